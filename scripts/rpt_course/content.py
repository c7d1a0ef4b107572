"""Read course_content/ into the validated course model, collecting every author mistake.

Contract: `load_course(content_dir, overrides)` returns a `model.Course` or raises
`ProblemsFound` with all problems found (schema errors, duplicate ids, missing files, bad or
inverted dates, grading that does not add up, graded formats without a grader, a teaching module
without learning objectives: objectives.py). Nothing is
written. `overrides` may replace `run`, `start` and `end` for a new term; url_names never change.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rpt_course import dates
from rpt_course.course_schemas import course_schema
from rpt_course.model import Component, Course, Grader, Module, Section, Unit
from rpt_course.compile.objectives import objectives_component, objectives_problems
from rpt_xblocks.author_input.problems import Problem, ProblemsFound
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml, schema_problems
from rpt_xblocks.author_input.yaml_source import LineMap, load_yaml

COURSE_FILE = "course.yaml"
MODULE_FILE = "module.yaml"
STATIC_DIR = "static"
STATIC_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
JUNK_NAMES = re.compile(r"^(\._.*|\.DS_Store|.*~|Thumbs\.db)$")
_COURSE_KEY_PART = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True)
class Overrides:
    """Per-term values given on the command line instead of in course.yaml."""

    run: str | None = None
    start: str | None = None
    end: str | None = None


def load_course(content_dir: Path, overrides: Overrides = Overrides(), memo: CheckMemo | None = None) -> Course:
    content_dir = Path(content_dir).resolve()
    problems: list[Problem] = []
    if not (content_dir / COURSE_FILE).is_file():
        raise ProblemsFound([Problem(str(content_dir), None,
                                     f"no {COURSE_FILE} here — point the command at the course_content folder")])
    data, lines, found = load_yaml(content_dir / COURSE_FILE, COURSE_FILE)
    problems += found
    if data is None or found:
        raise ProblemsFound(problems)
    schema_found = schema_problems(course_schema("course.schema.json"), data, lines, memo)
    problems += schema_found
    if schema_found:
        # The module files can still be checked, so every mistake shows at once.
        modules_listed = data.get("modules") if isinstance(data, dict) else None
        if isinstance(modules_listed, list):
            _load_modules(content_dir, [m for m in modules_listed if isinstance(m, str)], lines, None, problems, memo)
        raise ProblemsFound(problems)

    run = _override(overrides.run, data["run"], "--run", _COURSE_KEY_PART, problems)
    start = _date(overrides.start, data["start"], ("start",), lines, problems)
    end = _date(overrides.end, data["end"], ("end",), lines, problems)
    if start and end and end <= start:
        message = f"the course ends ({dates.olx_date(end)}) before it starts ({dates.olx_date(start)}) — make `end` later than `start`"
        given = "--end" if overrides.end else "--start" if overrides.start else None
        problems.append(Problem(given, None, message) if given else lines.problem(("end",), message))
        start = end = None  # section dates cannot be checked against an impossible window

    graders = _graders(data["grading"], lines, problems)
    grader_types = {g.type for g in graders}
    about = data["about"]
    info = data.get("info", {})
    overview = _course_file(content_dir, about["overview"], ("about", "overview"), lines, problems)
    handouts = _course_file(content_dir, info["handouts"], ("info", "handouts"), lines, problems) if "handouts" in info else None
    updates = _course_file(content_dir, info["updates"], ("info", "updates"), lines, problems) if "updates" in info else None
    sources = _course_file(content_dir, data["sources"], ("sources",), lines, problems) if "sources" in data else None
    static_files = _static_files(content_dir, problems)
    image = data.get("course_image")
    if image and image not in static_files:
        problems.append(lines.problem(("course_image",), f"course_image '{image}' is not in {STATIC_DIR}/ — add the file there or fix the name"))

    modules = _load_modules(content_dir, data["modules"], lines, (start, end, grader_types), problems, memo)
    _check_unique_ids(modules, problems)
    figures = _figures(content_dir, [folder for folder in data["modules"] if (content_dir / folder).is_dir()],
                       static_files, problems)
    if problems:
        raise ProblemsFound(problems)
    return Course(
        content_dir=content_dir, org=data["org"], number=data["number"], run=run, title=data["title"].strip(),
        start=start, end=end, language=data.get("language", "en"), course_image=image,
        short_description=about["short_description"].strip(), overview=overview, handouts=handouts,
        updates=updates, graders=tuple(graders), cutoffs=dict(data["grading"]["cutoffs"]),
        modules=tuple(modules), static_files=static_files, figures=figures, sources=sources,
    )


def _override(given, written, option, pattern, problems):
    if given is None:
        return written
    if not pattern.match(given):
        problems.append(Problem(option, None, f"'{given}' is not a valid value — use letters, digits, _ . and - only"))
    return given


def _date(given, written, location, lines: LineMap, problems) -> datetime | None:
    if given is not None:
        moment = dates.parse_date(given)
        if moment is None:
            problems.append(Problem(f"--{location[-1]}", None, f"'{given}' is not a date — {dates.HOW}"))
        return moment
    moment = dates.parse_date(written)
    if moment is None:
        problems.append(lines.problem(location, f"'{location[-1]}' is {written!r}, which is not a date — {dates.HOW}"))
    return moment


def _graders(grading, lines: LineMap, problems) -> list[Grader]:
    graders = [Grader(**g) for g in grading["graders"]]
    seen: set[str] = set()
    for index, grader in enumerate(graders):
        if grader.type in seen:
            problems.append(lines.problem(("grading", "graders", index, "type"), f"grader type '{grader.type}' is listed twice — merge the two or rename one"))
        seen.add(grader.type)
        if grader.drop_count >= grader.min_count:
            problems.append(lines.problem(("grading", "graders", index, "drop_count"), f"drop_count {grader.drop_count} would drop every one of the {grader.min_count} assignments — make drop_count smaller than min_count"))
    total = math.fsum(g.weight for g in graders)
    if not math.isclose(total, 1.0, abs_tol=1e-9):
        shown = ", ".join(f"{g.type} {g.weight:g}" for g in graders)
        problems.append(lines.problem(("grading", "graders"), f"grader weights sum to {total:g} ({shown}), not 1 — adjust the weights so they add up to 1"))
    return graders


def _inside(content_dir: Path, relative: str, base: Path) -> Path | None:
    target = (base / relative).resolve()
    return target if target.is_relative_to(content_dir) else None


def _course_file(content_dir: Path, relative: str, location, lines: LineMap, problems) -> Path | None:
    target = _inside(content_dir, relative, content_dir)
    if target is None:
        problems.append(lines.problem(location, f"'{relative}' points outside course_content — keep every file inside the content folder"))
    elif not target.is_file():
        problems.append(lines.problem(location, f"the file '{relative}' does not exist — create it or fix the path (relative to course_content/)"))
    return target


def _static_files(content_dir: Path, problems) -> dict[str, Path]:
    folder = content_dir / STATIC_DIR
    files: dict[str, Path] = {}
    if not folder.is_dir():
        return files
    lowered: dict[str, str] = {}
    for entry in sorted(folder.iterdir()):
        shown = f"{STATIC_DIR}/{entry.name}"
        if JUNK_NAMES.match(entry.name):
            problems.append(Problem(shown, None, "a system or backup file does not belong in the course — delete it"))
        elif entry.is_symlink() or not entry.is_file():
            problems.append(Problem(shown, None, f"{STATIC_DIR}/ holds only plain files (no folders or links) — move the files up into {STATIC_DIR}/ and give them distinct names"))
        elif not STATIC_NAME.match(entry.name):
            problems.append(Problem(shown, None, "static file names may use only letters, digits, '.', '_' and '-' — rename the file and its links"))
        elif entry.name.lower() in lowered:
            problems.append(Problem(shown, None, f"differs from {STATIC_DIR}/{lowered[entry.name.lower()]} only in letter case, which collides on some systems — rename one"))
        else:
            lowered[entry.name.lower()] = entry.name
            files[entry.name] = entry
    return files


def _figures(content_dir: Path, folders, static_files: dict, problems) -> dict[str, Path]:
    """Each module's figures/NAME.yaml, to be drawn as static/NAME.svg (names unique, no clash with static/)."""
    figures: dict[str, Path] = {}
    for folder in dict.fromkeys(folders):
        for spec in sorted((content_dir / folder / "figures").glob("*.yaml")):
            name, shown = spec.stem + ".svg", spec.relative_to(content_dir).as_posix()
            clash = ("static/" + name if name.lower() in {n.lower() for n in static_files}
                     else figures[name].relative_to(content_dir).as_posix() if name in figures else None)
            if not STATIC_NAME.match(spec.name):
                problems.append(Problem(shown, None, "figure names may use only letters, digits, '.', '_' and '-' — rename the file and its links"))
            elif clash:
                problems.append(Problem(shown, None, f"this figure would be static/{name}, which {clash} already is — rename one"))
            else:
                figures[name] = spec
    return figures


def _load_modules(content_dir, folders, course_lines: LineMap, context, problems, memo) -> list[Module]:
    modules = []
    seen: set[str] = set()
    for index, folder in enumerate(folders):
        location = ("modules", index)
        if folder in seen:
            problems.append(course_lines.problem(location, f"module '{folder}' is listed twice — list each module once"))
            continue
        seen.add(folder)
        module_file = content_dir / folder / MODULE_FILE
        if not module_file.is_file():
            problems.append(course_lines.problem(location, f"module folder '{folder}' has no {MODULE_FILE} — create {folder}/{MODULE_FILE} or remove '{folder}' from modules"))
            continue
        module = _load_module(content_dir, module_file, context, problems, memo)
        if module is not None:
            modules.append(module)
    return modules


def _load_module(content_dir: Path, module_file: Path, context, problems, memo) -> Module | None:
    shown = module_file.relative_to(content_dir).as_posix()
    loaded = load_checked_yaml(module_file, shown, course_schema("module.schema.json"), problems, memo)
    if loaded is None or context is None:
        return None
    data, lines = loaded
    course_start, course_end, grader_types = context
    base = module_file.parent
    sections = []
    for s_index, section in enumerate(data["sections"]):
        s_loc = ("sections", s_index)
        units = []
        for u_index, unit in enumerate(section["units"]):
            u_loc = s_loc + ("units", u_index)
            components = []
            for c_index, component in enumerate(unit["components"]):
                c_loc = u_loc + ("components", c_index)
                source = _component_file(content_dir, base, component, c_loc, lines, problems)
                components.append(Component(
                    id=component["id"], kind=component["kind"], title=component.get("title", unit["title"]).strip(),
                    file=source, where=(shown, lines.line(c_loc + ("id",)))))
            units.append(Unit(id=unit["id"], title=unit["title"].strip(), components=tuple(components),
                              where=(shown, lines.line(u_loc + ("id",)))))
        fmt = section.get("format")
        if fmt is not None and fmt not in grader_types:
            known = ", ".join(sorted(grader_types))
            problems.append(lines.problem(s_loc + ("format",), f"format '{fmt}' is not a grader type in course.yaml (types: {known}) — use one of those or add a grader of that type"))
        start = _section_date(section, "start", s_loc, lines, problems)
        due = _section_date(section, "due", s_loc, lines, problems)
        for name, moment in (("start", start), ("due", due)):
            if moment and course_start and course_end and not (course_start <= moment <= course_end):
                problems.append(lines.problem(s_loc + (name,), f"the section's {name} {dates.olx_date(moment)} is outside the course dates ({dates.olx_date(course_start)} to {dates.olx_date(course_end)}) — move it inside them"))
        if start and due and due <= start:
            problems.append(lines.problem(s_loc + ("due",), "the section is due before it starts — make `due` later than `start`"))
        sections.append(Section(id=section["id"], title=section["title"].strip(), format=fmt, start=start, due=due,
                                units=tuple(units), where=(shown, lines.line(s_loc + ("id",)))))
    problems.extend(objectives_problems(data, lines))
    objectives = tuple(" ".join(text.split()) for text in data.get("objectives", ()))
    if objectives and sections and sections[0].units:  # shown first in the module
        first = sections[0].units[0]
        shown_first = objectives_component(data["id"], (shown, lines.line(("objectives",))), module_file)
        first = dataclasses.replace(first, components=(shown_first,) + first.components)
        sections[0] = dataclasses.replace(sections[0], units=(first,) + sections[0].units[1:])
    return Module(id=data["id"], title=data["title"].strip(), sections=tuple(sections), where=(shown, lines.line(("id",))),
                  objectives=objectives)


def _section_date(section, name, location, lines: LineMap, problems):
    if name not in section:
        return None
    moment = dates.parse_date(section[name])
    if moment is None:
        problems.append(lines.problem(location + (name,), f"'{name}' is {section[name]!r}, which is not a date — {dates.HOW}"))
    return moment


def _component_file(content_dir, base, component, location, lines: LineMap, problems) -> Path:
    relative = component["file"]
    target = _inside(content_dir, relative, base)
    if target is None:
        problems.append(lines.problem(location + ("file",), f"'{relative}' points outside course_content — keep lesson files inside the module folder"))
        return base / relative
    if component["kind"] == "lesson" and target.suffix != ".md":
        problems.append(lines.problem(location + ("file",), f"a lesson's file must be Markdown ending in .md, not '{relative}' — rename it"))
    elif component["kind"] in ("quiz", "walkthrough", "tracker", "sources") and target.suffix not in (".yaml", ".yml"):
        problems.append(lines.problem(location + ("file",), f"a {component['kind']}'s file must be YAML ending in .yaml, not '{relative}' — rename it"))
    elif not target.is_file():
        problems.append(lines.problem(location + ("file",), f"the file '{relative}' does not exist — create it or fix the path (relative to {base.relative_to(content_dir).as_posix()}/)"))
    return target


def _check_unique_ids(modules: list[Module], problems) -> None:
    first_seen: dict[str, tuple[str, int]] = {}
    for item in (block for module in modules for block in module.blocks()):
        if item.id in first_seen:
            path, line = first_seen[item.id]
            problems.append(Problem(item.where[0], item.where[1], f"the id '{item.id}' is already used at {path}:{line} — ids become url_names and must be unique in the course; rename this one"))
        else:
            first_seen[item.id] = item.where

