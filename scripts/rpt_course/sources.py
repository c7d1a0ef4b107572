"""The course's source list: every citation in the content must name one of its entries, and
learners see it as the course bibliography.

Contract:
- `load_sources(path, shown, problems)` -> the list of source entries (dicts: id, title, cites,
  optional publisher, year, url) from `sources.yaml`, or None after adding problems at `shown:line`
  (YAML, schema, a duplicate id).
- `citation_problems(course, sources)` -> a Problem at `file:line` for each citation in YAML that
  names no source: every `citation:` and `source:` text in quiz, walkthrough, figure, tracker and
  institution requirement-set YAML, and the citations of the shipped requirement
  sets a tracker shows. `footnote_problems(text, shown, sources)` -> the same for the footnotes
  (`[^n]: …`) of one lesson's text, which the build checks as it reads the lesson. A citation is split at ';' (outside brackets) and every
  part must contain one of a source's `cites` texts, or be a bare section number continuing the part
  before it (so "10 CFR 35.75; 35.2075" resolves and "10 CFR 35.75; Smith 2020" fails on "Smith 2020").
- `bibliography_xhtml(sources)` -> the bibliography page as XHTML (every text escaped).
"""
from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape

from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.author_input.yaml_source import load_yaml

_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:\s*(.+)$")
_KEYS = ("citation", "source")
_SECTION = re.compile(r"^§?\s*\d{1,4}\.\d+")


def load_sources(path: Path, shown: str, problems: list[Problem], memo: CheckMemo | None = None) -> list[dict] | None:
    loaded = load_checked_yaml(path, shown, course_schema("sources.schema.json"), problems, memo)
    if loaded is None:
        return None
    data, lines = loaded
    seen: dict[str, int] = {}
    before = len(problems)
    for index, source in enumerate(data["sources"]):
        if source["id"] in seen:
            problems.append(lines.problem(("sources", index, "id"), f"the id '{source['id']}' is already used on line "
                                          f"{seen[source['id']]} — give each source its own id"))
        seen.setdefault(source["id"], lines.line(("sources", index, "id")))
    return data["sources"] if len(problems) == before else None


def _parts(citation: str) -> list[str]:
    """The citation split at ';' outside brackets ("Saha, Table 6.2 (lead; TVL = 3.32 × HVL)" is one part)."""
    parts, depth, current = [], 0, ""
    for character in citation:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(character, 0)
        if character == ";" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += character
    return [part.strip() for part in [*parts, current] if part.strip()]


def _unresolved(citation: str, sources: list[dict]) -> list[str]:
    """The parts of `citation` that name no source; a bare section number ("35.40") after a part that
    named one continues it, as in "10 CFR 35.3045; 35.40; 35.2075"."""
    unresolved, previous_named = [], False
    for part in _parts(citation):
        named = any(text in part for source in sources for text in source["cites"]) or (
            previous_named and _SECTION.match(part) is not None)
        if not named:
            unresolved.append(part)
        previous_named = named
    return unresolved


def _yaml_citations(data, location=()):
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _KEYS and isinstance(value, str):
                yield location + (key,), value
            else:
                yield from _yaml_citations(value, location + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _yaml_citations(value, location + (index,))


def _problem(shown: str, line: int | None, citation: str, parts: list[str]) -> Problem:
    return Problem(shown, line, f"the citation “{'; '.join(parts)}” names no entry of the course's source list — "
                                "add the source to sources.yaml (with the text this citation uses under `cites`) or "
                                "cite a listed source")


def citation_problems(course, sources: list[dict]) -> list[Problem]:
    from rpt_xblocks.tracker.requirements import shipped_sets  # noqa: PLC0415  (only courses with trackers)
    problems = []
    yaml_files = [c.file for c in course.components if c.kind in ("quiz", "walkthrough", "tracker")]
    yaml_files += list(course.figures.values())
    for component in (c for c in course.components if c.kind == "tracker"):
        data, lines, trouble = load_yaml(component.file, course.shown(component.file))
        if trouble or not isinstance(data, dict):
            continue
        institution_sets, set_ids = data.get("institution_sets"), data.get("sets")
        for relative in institution_sets if isinstance(institution_sets, list) else []:
            if isinstance(relative, str):
                yaml_files.append((component.file.parent / relative).resolve())
        for index, set_id in enumerate(set_ids if isinstance(set_ids, list) else []):
            # the file is read here before its schema check has run: anything odd is the build's to report
            requirement_set = shipped_sets().get(set_id) if isinstance(set_id, str) else None
            for citation in ([requirement_set.citation, *(r.citation for r in requirement_set.requirements)]
                             if requirement_set else []):
                if parts := _unresolved(citation, sources):
                    problems.append(_problem(course.shown(component.file), lines.line(("sets", index)), citation, parts))
    for path in dict.fromkeys(yaml_files):
        if not path.is_file():
            continue
        shown = course.shown(path)
        data, lines, trouble = load_yaml(path, shown)
        if trouble:
            continue  # the build reports the file's own problems
        for location, citation in _yaml_citations(data):
            if parts := _unresolved(citation, sources):
                problems.append(_problem(shown, lines.line(location), citation, parts))
    return problems


def footnote_problems(text: str, shown: str, sources: list[dict]) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FOOTNOTE.match(line)
        if match and (parts := _unresolved(match[1], sources)):
            problems.append(_problem(shown, number, match[1], parts))
    return problems


def bibliography_xhtml(sources: list[dict]) -> str:
    items = []
    for source in sources:
        parts = [f"<cite>{escape(source['title'])}</cite>"]
        parts += [str(escape(str(source[key]))) for key in ("publisher", "year") if source.get(key)]
        text = ". ".join(parts) + "."
        if source.get("url"):
            text += f' <a href="{escape(source["url"])}">{escape(source["url"])}</a>'
        items.append(f'<li id="source-{escape(source["id"])}">{text}</li>')
    return ("<h2>Course sources</h2><p>Every clinical and regulatory statement in this course cites one of these "
            "sources.</p><ol>" + "".join(items) + "</ol>")
