"""Requirement sets as data: what a learner must log to meet a rule, each requirement cited.

Contract (no XBlock import):
- `Requirement` and `RequirementSet` are frozen dataclasses; `RequirementSet.to_data()` is a plain
  JSON-ready dict (optional keys left out when empty) and `requirement_set_from_data(data)` reads it
  back: `requirement_set_from_data(s.to_data()) == s`.
- `requirement_set_from_data(data)` checks untrusted data (a set stored in a block's fields or read
  from its OLX) and raises `RequirementSetError`, whose message lists every mistake, each saying how
  to fix it.
- `stored_requirement_set(data)` is `requirement_set_from_data(data)` for a block's stored content,
  checked once per process for each content (keyed by its JSON text; the immutable set is shared,
  a refusal is raised again every time).
- `load_requirement_set(path, shown_as)` reads a YAML file: `(set, [])`, or `(None, problems)` with
  every mistake as a `Problem` at `shown_as:line`. It never raises for bad content.
- `shipped_sets()` -> id -> set, for every YAML file in requirement_sets/, read once, ordered by file
  name. A broken shipped file is a packaging bug: it raises `RuntimeError` naming the problems.

Both readers apply the same checks: the JSON Schema requirement_set.schema.json (shape, unknown keys,
types), then the rules below (which keys each kind takes; topic, item and category ids exist in
vocabulary.py; requirement ids unique). What each kind means is implemented in progress.py:

  kind            needs                  may have        need counted in
  didactic_hours  quantity, topics       -               classroom hours in `topics`; each topic > 0 h
  total_hours     quantity               -               classroom hours (all topics) + work hours
  work_item       item                   quantity (1)    work entries for `item`
  cases           quantity, category     -               case entries in `category`, if sought
  declaration     -                      -               one declaration naming this requirement's id
  recentness      years                  -               every counted entry within `years` years
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.schema_check import schema_problems
from rpt_xblocks.author_input.yaml_source import LineMap, load_yaml
from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES, TOPICS, WORK_ITEMS

KINDS = ("didactic_hours", "total_hours", "work_item", "cases", "declaration", "recentness")

_NEEDS = {"didactic_hours": ("quantity", "topics"), "total_hours": ("quantity",), "work_item": ("item",),
          "cases": ("quantity", "category"), "declaration": (), "recentness": ("years",)}
_MAY = {"work_item": ("quantity",)}
_SPECIFIC = ("quantity", "topics", "item", "category", "years")
UNITS = {"didactic_hours": "h", "total_hours": "h", "work_item": "entries", "cases": "cases", "declaration": "",
         "recentness": "entries"}
_COUNTED = ("work_item", "cases")  # quantities that count entries: whole numbers
_HOW = {
    "quantity": "`quantity:` with the amount needed, e.g. 200",
    "topics": f"`topics:` with a list of topic ids from: {', '.join(TOPICS)}",
    "item": f"`item:` with one of {', '.join(WORK_ITEMS)}",
    "category": f"`category:` with one of {', '.join(CASE_CATEGORIES)}",
    "years": "`years:` with a whole number of years, e.g. 7",
}

SCHEMA = resources.files("rpt_xblocks.tracker").joinpath("requirement_set.schema.json")
SHIPPED = resources.files("rpt_xblocks.tracker").joinpath("requirement_sets")


class RequirementSetError(ValueError):
    """Raised by `requirement_set_from_data` with every mistake found (`messages`)."""

    def __init__(self, messages: list[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Requirement:
    id: str            # unique within its set, [a-z0-9_]+
    kind: str          # one of KINDS
    title: str         # learner-facing
    citation: str      # e.g. "10 CFR 35.390(b)(1)(i)"
    description: str = ""
    quantity: float | None = None   # hours or count needed; None for declaration and recentness
    unit: str = ""     # fixed by the kind (UNITS)
    topics: tuple[str, ...] = ()    # didactic_hours: TOPICS ids
    item: str | None = None         # work_item: WORK_ITEMS id
    category: str | None = None     # cases: CASE_CATEGORIES id
    years: int | None = None        # recentness

    def to_data(self) -> dict:
        data = {"id": self.id, "kind": self.kind, "title": self.title, "citation": self.citation}
        optional = {"description": self.description, "quantity": self.quantity, "unit": self.unit,
                    "topics": list(self.topics), "item": self.item, "category": self.category, "years": self.years}
        data.update({key: value for key, value in optional.items() if value not in (None, "", [])})
        return data


@dataclass(frozen=True)
class RequirementSet:
    id: str
    title: str
    citation: str
    description: str
    requirements: tuple[Requirement, ...]

    def to_data(self) -> dict:
        data = {"id": self.id, "title": self.title, "citation": self.citation}
        if self.description:
            data["description"] = self.description
        data["requirements"] = [requirement.to_data() for requirement in self.requirements]
        return data


# ---- checking ------------------------------------------------------------------------------------

class _Unlocated(LineMap):
    """Stands in for a LineMap when the data has no file: problems name the requirement instead of a line."""

    def __init__(self, data):
        super().__init__("requirement set")
        self._data = data

    def problem(self, location, message: str) -> Problem:
        location = tuple(location)
        where = "the set"
        if len(location) >= 2 and location[0] == "requirements" and isinstance(location[1], int):
            where = f"requirement {location[1] + 1}"
            try:
                requirement_id = self._data["requirements"][location[1]]["id"]
            except (KeyError, IndexError, TypeError):
                requirement_id = None
            if isinstance(requirement_id, str):
                where += f" “{requirement_id}”"
        return Problem(self.shown_as, None, f"{where}: {message}")


def _suggest(value, choices) -> str:
    value = str(value)
    close = ([c for c in choices if c.lower() == value.lower()]
             or ([c for c in choices if value.lower() in c.lower()] if len(value) >= 3 else [])
             or difflib.get_close_matches(value, list(choices), n=1))
    return f"did you mean '{close[0]}'? (allowed: {', '.join(choices)})" if close else f"use one of: {', '.join(choices)}"


def _rule_problems(data, lines: LineMap) -> list[Problem]:
    """The checks the schema cannot express; tolerant of data the schema has already refused."""
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        return []
    problems: list[Problem] = []
    first_use: dict[str, int] = {}
    for index, requirement in enumerate(data["requirements"]):
        if not isinstance(requirement, dict):
            continue
        at = ("requirements", index)
        requirement_id = requirement.get("id")
        if isinstance(requirement_id, str):
            if requirement_id in first_use:
                first = first_use[requirement_id]
                on_line = ("" if isinstance(lines, _Unlocated)
                           else f" (line {lines.line(('requirements', first, 'id'))})")
                problems.append(lines.problem(at + ("id",), f"the requirement id '{requirement_id}' is already used by "
                                                            f"requirement {first + 1}{on_line} — give each requirement "
                                                            "its own id"))
            else:
                first_use[requirement_id] = index
        kind = requirement.get("kind")
        if kind not in KINDS:
            continue  # the schema reports it
        for key in _NEEDS[kind]:
            if key not in requirement:
                problems.append(lines.problem(at, f"a {kind} requirement needs '{key}' — add {_HOW[key]}"))
        for key in _SPECIFIC:
            if key in requirement and key not in _NEEDS[kind] + _MAY.get(kind, ()):
                problems.append(lines.problem(at + (key,), f"'{key}' does not apply to a {kind} requirement — remove it "
                                                           "(or change the kind)"))
        unit = requirement.get("unit")
        if isinstance(unit, str) and unit != UNITS[kind]:
            fix = f"write `unit: {UNITS[kind]}`" if UNITS[kind] else "remove it"
            problems.append(lines.problem(at + ("unit",), f"a {kind} requirement is counted in "
                                                          f"'{UNITS[kind] or 'declarations'}', not '{unit}' — {fix} "
                                                          "or leave the unit out"))
        quantity = requirement.get("quantity")
        if (kind in _COUNTED and isinstance(quantity, (int, float)) and not isinstance(quantity, bool)
                and quantity != int(quantity)):
            problems.append(lines.problem(at + ("quantity",), f"a {kind} requirement counts entries, so its quantity "
                                                              f"must be a whole number, not {quantity} — e.g. 3"))
        topics = requirement.get("topics")
        if kind == "didactic_hours" and isinstance(topics, list):
            seen = set()
            for position, topic in enumerate(topics):
                if not isinstance(topic, str):
                    continue  # the schema reports it
                if topic not in TOPICS:
                    problems.append(lines.problem(at + ("topics", position),
                                                  f"'{topic}' is not a classroom topic id — {_suggest(topic, TOPICS)}"))
                elif topic in seen:
                    problems.append(lines.problem(at + ("topics", position),
                                                  f"the topic '{topic}' is listed twice — list each topic once"))
                seen.add(topic)
        for key, known, what in (("item", WORK_ITEMS, "a supervised work-experience item"),
                                 ("category", CASE_CATEGORIES, "a case category")):
            value = requirement.get(key)
            if key in _NEEDS[kind] and isinstance(value, str) and value not in known:
                problems.append(lines.problem(at + (key,), f"'{value}' is not {what} — {_suggest(value, known)}"))
    return problems


def _all_problems(data, lines: LineMap) -> list[Problem]:
    found = schema_problems(SCHEMA, data, lines) + _rule_problems(data, lines)
    return list(dict.fromkeys(found))  # one message per mistake (an empty title breaks two schema rules)


def _build(data: dict) -> RequirementSet:
    """The set from checked data (only call after `_all_problems` found nothing)."""
    requirements = []
    for item in data["requirements"]:
        kind = item["kind"]
        quantity = item.get("quantity", 1 if kind == "work_item" else None)
        requirements.append(Requirement(
            id=item["id"], kind=kind, title=item["title"], citation=item["citation"],
            description=item.get("description", ""),
            quantity=float(quantity) if quantity is not None else None, unit=UNITS[kind],
            topics=tuple(item.get("topics", ())), item=item.get("item"), category=item.get("category"),
            years=int(item["years"]) if "years" in item else None))
    return RequirementSet(id=data["id"], title=data["title"], citation=data["citation"],
                          description=data.get("description", ""), requirements=tuple(requirements))


# ---- the three ways in ---------------------------------------------------------------------------

def requirement_set_from_data(data) -> RequirementSet:
    """The set described by plain data (e.g. `RequirementSet.to_data()`); see the module docstring."""
    problems = _all_problems(data, _Unlocated(data))
    if problems:
        raise RequirementSetError([problem.message for problem in problems])
    return _build(data)


def stored_requirement_set(data) -> RequirementSet:
    """`requirement_set_from_data(data)`, memoized by the data's JSON text: a tracker reads its
    institution's sets on every request, and their checks (schema, rules) cost more than the rest."""
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):  # not JSON (stored content is): checked as it is, every time
        return requirement_set_from_data(data)
    return _from_json_text(text)


@lru_cache(maxsize=256)
def _from_json_text(text: str) -> RequirementSet:
    return requirement_set_from_data(json.loads(text))


def load_requirement_set(path, shown_as: str) -> tuple[RequirementSet | None, list[Problem]]:
    """A requirement set from a YAML file, or None and every problem at `shown_as:line`."""
    data, lines, problems = load_yaml(Path(path), shown_as)
    if data is None or problems:
        return None, problems
    problems = _all_problems(data, lines)
    if problems:
        return None, sorted(problems, key=lambda p: (p.line or 0, p.message))
    return _build(data), []


@cache
def _shipped() -> tuple[RequirementSet, ...]:
    found, problems = [], []
    for entry in sorted(SHIPPED.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith((".yaml", ".yml")):
            continue
        with resources.as_file(entry) as path:
            loaded, file_problems = load_requirement_set(path, f"rpt_xblocks/tracker/requirement_sets/{entry.name}")
        problems += file_problems
        if loaded is not None:
            if any(s.id == loaded.id for s in found):
                problems.append(Problem(entry.name, None, f"the set id '{loaded.id}' is used by two files — give each set its own id"))
            found.append(loaded)
    if problems:
        raise RuntimeError("broken shipped requirement sets:\n" + "\n".join(str(p) for p in problems))
    return tuple(found)


def shipped_sets() -> dict[str, RequirementSet]:
    """Every shipped set by id, in file-name order (a fresh dict: callers may change it)."""
    return {requirement_set.id: requirement_set for requirement_set in _shipped()}
