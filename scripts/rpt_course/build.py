"""From course_content/ to OLX files in memory: load, render, check links.

Contract: `build_files(content_dir, overrides, progress, cache, workers, staging)` returns
`(course, files)` where files maps archive paths to bytes, or raises `ProblemsFound` with every
author mistake (`path:line`). Without `staging` the files are a dict in memory and the build writes
nothing but the build cache; with a `staging` folder (empty, the caller's to remove) the rendered
lessons and the OLX files are written there as they are made and `files` is a `StagedFiles` that
reads them back one at a time, so that memory does not grow with the OLX. archive/write.py packs the
result. With a
`BuildCache`, Markdown rendered by an earlier build is taken from it (a rendered text's markup
problems are kept with it and reported again; links are checked against this build's course every
time), what is rendered anew is stored; the YAML files' schema checks and the walkthroughs' and
figures' scenario checks are skipped for inputs an earlier build found clean (check_cache: only
clean verdicts are kept, so every problem is found and reported as without the cache); and once
every text is rendered and checked the entries this build did not use are pruned. Lessons the cache does not have are rendered in up to `workers` processes when
there are enough (render_pool). The files are the same with or without a cache or staging folder
and for any `workers`. A lesson's footnote citations are checked on the text read for rendering.
"""
from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import Callable

from rpt_course.compile import lessons
from rpt_course.content import Overrides, load_course
from rpt_course.model import Course
from rpt_course.compile.olx import Pages, olx_files
from rpt_xblocks.author_input.problems import Problem, ProblemsFound
from rpt_course.compile.quizzes import compile_quiz
from rpt_course.caches.build_cache import BuildCache
from rpt_course.caches.render_cache import Rendered, RenderCache, render_text
from rpt_course.render_pool import render_many, workers_for
from rpt_course.archive.staging import StagedFiles, StagedTexts
from rpt_course.compile.figures import compile_figure
from rpt_course.compile.objectives import objectives_id, objectives_xhtml
from rpt_course.sources import bibliography_xhtml, citation_problems, footnote_problems, load_sources
from rpt_course.compile.trackers import compile_tracker
from rpt_course.compile.walkthroughs import compile_walkthrough
from rpt_xblocks.author_input.text_files import read_author_text
from rpt_xblocks.author_input.xml_characters import first_unstorable, line_of_offset

Progress = Callable[[int, int], None]


def build_files(content_dir: Path, overrides: Overrides = Overrides(), progress: Progress | None = None,
                cache: BuildCache | None = None, workers: int = 1,
                staging: Path | None = None) -> tuple[Course, MutableMapping[str, bytes]]:
    content_dir = Path(content_dir)
    memo = cache.checked if cache is not None else None
    course = load_course(content_dir, overrides, memo)
    problems: list[Problem] = []
    url_names = {block.id for module in course.modules for block in module.blocks()}
    listed = load_sources(course.sources, course.shown(course.sources), problems, memo) if course.sources else None

    def check_footnotes(path: Path, text: str) -> None:  # each lesson as it is read, not read again
        if listed is not None:
            problems.extend(footnote_problems(text, course.shown(path), listed))

    render = _Renderer(course, url_names, problems, cache.rendered if cache is not None else None)
    rendered: MutableMapping[str, str] = {}
    files: MutableMapping[str, bytes] = {}
    if staging is not None:
        (Path(staging) / "pages").mkdir()
        (Path(staging) / "olx").mkdir()
        rendered, files = StagedTexts(Path(staging) / "pages"), StagedFiles(Path(staging) / "olx")
    render.lessons([c for c in course.components if c.kind == "lesson"], rendered, workers, progress, check_footnotes)
    if listed is not None:
        problems.extend(citation_problems(course, listed))
    source_lists = {course.sources: listed} if course.sources else {}  # the list is also a page, often
    for component in (c for c in course.components if c.kind == "sources"):
        if component.file not in source_lists:
            source_lists[component.file] = load_sources(component.file, course.shown(component.file), problems, memo)
        listed_here = source_lists[component.file]
        if listed_here is not None:
            rendered[component.id] = bibliography_xhtml(listed_here)
    for module in (m for m in course.modules if m.objectives):
        rendered[objectives_id(module.id)] = objectives_xhtml(module.objectives)
    unit_ids = {unit.id for unit in course.units}
    quizzes = {}
    for component in (c for c in course.components if c.kind == "quiz"):
        compiled = compile_quiz(component.file, course.shown(component.file), component.id, unit_ids,
                                render.markdown, problems, memo)
        if compiled is not None:
            quizzes[component.id] = compiled
    walkthroughs = {}
    for component in (c for c in course.components if c.kind == "walkthrough"):
        compiled = compile_walkthrough(component.file, course.shown(component.file), component.id,
                                       render.markdown, problems, memo)
        if compiled is not None:
            walkthroughs[component.id] = compiled
    figures = {}
    for name, spec in course.figures.items():
        drawn = compile_figure(spec, course.shown(spec), problems, memo)
        if drawn is not None:
            figures[name] = drawn
    trackers = {}
    for component in (c for c in course.components if c.kind == "tracker"):
        compiled = compile_tracker(component.file, course.shown(component.file), content_dir, problems, memo)
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
    if cache is not None:
        cache.prune()
    if problems:
        raise ProblemsFound(problems)
    return course, olx_files(course, pages, files)


class _Renderer:
    """Renders Markdown files and texts (through the cache, if any) and reports their markup problems
    and broken links at their lines."""

    def __init__(self, course: Course, url_names: set[str], problems: list[Problem], cache: RenderCache | None):
        self.course = course
        self.url_names = url_names
        self.problems = problems
        self.cache = cache

    def _read(self, path: Path, seen=None) -> str | None:
        """The file's text, or None after reporting why it cannot be rendered; `seen(path, text)` is
        called with any text that decodes, also one that cannot be rendered."""
        text, problem = read_author_text(path, self.course.shown(path))
        if problem is not None:
            self.problems.append(problem)
            return None
        if seen is not None:
            seen(path, text)
        unstorable = first_unstorable(text)
        if unstorable is not None:
            offset, message = unstorable
            self.problems.append(Problem(self.course.shown(path), line_of_offset(text, offset), message))
            return None
        return text

    def __call__(self, path: Path, anchor_prefix: str) -> str:
        """Render a Markdown file; problems are located at the line that holds their text."""
        text = self._read(path)
        if text is None:
            return ""
        return self.markdown(text, anchor_prefix, self.course.shown(path), lambda needle: _line_of(text, needle))

    def lessons(self, components, into: MutableMapping[str, str], workers: int, progress: Progress | None,
                seen=None) -> None:
        """Every lesson component's XHTML, stored in `into` by id. Those in the cache first, then the
        others, rendered together (render_pool: several processes can share the work); each lesson's
        problems are reported as it is done, and nothing of it is kept but its XHTML in `into`.
        `seen(path, text)` is called once per lesson with its text as first read (see `_read`)."""
        done, missing = 0, []

        def finish(component, rendered: Rendered | None, text: str | None) -> None:
            nonlocal done
            into[component.id] = "" if rendered is None else self._report(
                rendered, self.course.shown(component.file), lambda needle: _line_of(text, needle))
            done += 1
            if progress:
                progress(done, len(components))

        for component in components:
            text = self._read(component.file, seen)
            rendered = self.cache.get(text, component.id) if text is not None and self.cache is not None else None
            if text is not None and rendered is None:
                missing.append(component)
            else:
                finish(component, rendered, text)
        jobs = ((text, component.id) for component in missing if (text := self._read(component.file)) is not None)
        components_of = {component.id: component for component in missing}
        finished = set()
        for (text, anchor_prefix), rendered in render_many(jobs, workers_for(len(missing), workers)):
            if self.cache is not None:
                self.cache.put(text, anchor_prefix, rendered)
            finish(components_of[anchor_prefix], rendered, text)
            finished.add(anchor_prefix)
        for component in missing:  # a file that stopped being UTF-8 text since it was first read
            if component.id not in finished:
                finish(component, None, None)

    def markdown(self, text: str, anchor_prefix: str, shown: str, locate) -> str:
        """Render Markdown `text` from `shown`; `locate(needle)` gives the line of a problem's text."""
        rendered = self.cache.get(text, anchor_prefix) if self.cache is not None else None
        if rendered is None:
            rendered = render_text(text, anchor_prefix)
            if self.cache is not None:
                self.cache.put(text, anchor_prefix, rendered)
        return self._report(rendered, shown, locate)

    def _report(self, rendered: Rendered, shown: str, locate) -> str:
        for needle, message in rendered.problems:
            self.problems.append(Problem(shown, locate(needle), message))
        for target in rendered.links:
            self._check_link(target, shown, locate)
        return rendered.xhtml

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
