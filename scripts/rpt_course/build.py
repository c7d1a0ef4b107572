"""From course_content/ to OLX files in memory: load, render, check links.

Contract: `build_files(content_dir, overrides)` returns `(course, files)` where files maps archive
paths to bytes, or raises `ProblemsFound` with every author mistake (`path:line`). It writes
nothing; archive.py packs the result.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from rpt_course import lessons
from rpt_course.content import Overrides, load_course
from rpt_course.model import Course
from rpt_course.olx import Pages, olx_files
from rpt_course.problems import Problem, ProblemsFound
from rpt_course.quizzes import compile_quiz
from rpt_course.figures import compile_figure
from rpt_course.sources import bibliography_xhtml, citation_problems, load_sources
from rpt_course.trackers import compile_tracker
from rpt_course.walkthroughs import compile_walkthrough
from rpt_course.xml_characters import first_unstorable, line_of_offset

Progress = Callable[[int, int], None]


def build_files(content_dir: Path, overrides: Overrides = Overrides(),
                progress: Progress | None = None) -> tuple[Course, dict[str, bytes]]:
    course = load_course(Path(content_dir), overrides)
    problems: list[Problem] = []
    url_names = {block.id for module in course.modules for block in module.blocks()}
    render = _Renderer(course, url_names, problems)
    lesson_components = [c for c in course.components if c.kind == "lesson"]
    rendered = {}
    for done, component in enumerate(lesson_components, start=1):
        rendered[component.id] = render(component.file, component.id)
        if progress:
            progress(done, len(lesson_components))
    if course.sources is not None:
        listed = load_sources(course.sources, course.shown(course.sources), problems)
        if listed is not None:
            problems.extend(citation_problems(course, listed))
    for component in (c for c in course.components if c.kind == "sources"):
        listed = load_sources(component.file, course.shown(component.file), problems)
        if listed is not None:
            rendered[component.id] = bibliography_xhtml(listed)
    unit_ids = {unit.id for unit in course.units}
    quizzes = {}
    for component in (c for c in course.components if c.kind == "quiz"):
        compiled = compile_quiz(component.file, course.shown(component.file), component.id, unit_ids,
                                render.markdown, problems)
        if compiled is not None:
            quizzes[component.id] = compiled
    walkthroughs = {}
    for component in (c for c in course.components if c.kind == "walkthrough"):
        compiled = compile_walkthrough(component.file, course.shown(component.file), component.id,
                                       render.markdown, problems)
        if compiled is not None:
            walkthroughs[component.id] = compiled
    figures = {}
    for name, spec in course.figures.items():
        drawn = compile_figure(spec, course.shown(spec), problems)
        if drawn is not None:
            figures[name] = drawn
    trackers = {}
    for component in (c for c in course.components if c.kind == "tracker"):
        compiled = compile_tracker(component.file, course.shown(component.file), Path(content_dir), problems)
        if compiled is not None:
            trackers[component.id] = compiled
    pages = Pages(
        lessons=rendered,
        quizzes=quizzes,
        walkthroughs=walkthroughs,
        trackers=trackers,
        figures=figures,
        overview=render(course.overview, "overview"),
        handouts=render(course.handouts, "handouts") if course.handouts else "",
        updates=render(course.updates, "updates") if course.updates else "",
    )
    if problems:
        raise ProblemsFound(problems)
    return course, olx_files(course, pages)


class _Renderer:
    """Renders one Markdown file and reports its markup problems and broken links at their lines."""

    def __init__(self, course: Course, url_names: set[str], problems: list[Problem]):
        self.course = course
        self.url_names = url_names
        self.problems = problems

    def __call__(self, path: Path, anchor_prefix: str) -> str:
        """Render a Markdown file; problems are located at the line that holds their text."""
        shown = self.course.shown(path)
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            self.problems.append(Problem(shown, None, "this file is not UTF-8 text — save it with UTF-8 encoding"))
            return ""
        unstorable = first_unstorable(text)
        if unstorable is not None:
            offset, message = unstorable
            self.problems.append(Problem(shown, line_of_offset(text, offset), message))
            return ""
        return self.markdown(text, anchor_prefix, shown, lambda needle: _line_of(text, needle))

    def markdown(self, text: str, anchor_prefix: str, shown: str, locate) -> str:
        """Render Markdown `text` from `shown`; `locate(needle)` gives the line of a problem's text."""
        xhtml, markup_problems = lessons.render_lesson(text, anchor_prefix)
        for needle, message in markup_problems:
            self.problems.append(Problem(shown, locate(needle), message))
        for target in lessons.links(xhtml):
            self._check_link(target, shown, locate)
        return xhtml

    def _check_link(self, target: str, shown: str, locate) -> None:
        bare = target.split("#", 1)[0].split("?", 1)[0]
        if bare.startswith(lessons.STATIC_PREFIX):
            name = bare[len(lessons.STATIC_PREFIX):]
            if name not in self.course.static_files and name not in self.course.figures:
                self.problems.append(Problem(shown, locate(target),
                                             f"the link {target} has no file static/{name} — add the file to course_content/static/ or fix the name"))
        elif bare.startswith(lessons.JUMP_PREFIX):
            name = bare[len(lessons.JUMP_PREFIX):]
            if name not in self.url_names:
                self.problems.append(Problem(shown, locate(target),
                                             f"the link {target} names no unit or component id in this course — use an id from a module.yaml"))


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle and needle in line:
            return number
    return None
