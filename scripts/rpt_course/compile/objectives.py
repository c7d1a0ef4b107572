"""A module's learning objectives: required of every teaching module, shown first in the module.

Contract:
- A module is a *teaching module* when it has at least one lesson and is not marked
  `assessment: true` (the final exam: a module that only assesses). `objectives_problems(data,
  lines)` returns the problems of a schema-checked module.yaml's `objectives:` and `assessment:`:
  a teaching module without `objectives` (reported at the module's `title` line, with what to
  write), an objective repeated, and an `assessment: true` module that teaches (one with a
  walkthrough or tracker, or an ungraded section: an assessment module's sections are all graded).
  The schema already bounds the list (3 to 8 plain-text items).
- `objectives_component(module_id, objectives, where, module_file)` is the HTML component the build
  puts first in the module's first unit (id `objectives_id(module_id)`, kind `"objectives"`, title
  `TITLE`); `objectives_xhtml(objectives)` is its page: a level-2 heading, a sentence and an
  unordered list, each objective as escaped plain text (markup in an objective shows as written).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from rpt_course.model import Component, Where
from rpt_xblocks.author_input.problems import Problem

TITLE = "Learning objectives"
KIND = "objectives"
_TEACHING_KINDS = ("walkthrough", "tracker")
_HOW = ("add `objectives:` after the title: a list of 3 to 8 outcomes a learner can show by the end of "
        "the module, each a plain sentence starting with a verb (e.g. - Calculate the decay factor of a dosage "
        "from its calibration time), or mark a module that only assesses with `assessment: true`")


def objectives_id(module_id: str) -> str:
    return f"{module_id}_objectives"


def objectives_problems(data: dict, lines) -> list[Problem]:
    components = [c for s in data["sections"] for u in s["units"] for c in u["components"]]
    problems = []
    if data.get("assessment") is True:
        teaching = [c for c in components if c["kind"] in _TEACHING_KINDS]
        ungraded = [index for index, s in enumerate(data["sections"]) if "format" not in s]
        if teaching or ungraded:
            what = (f"has a {teaching[0]['kind']} ('{teaching[0]['id']}')" if teaching
                    else f"has an ungraded section ('{data['sections'][ungraded[0]]['id']}')")
            problems.append(lines.problem(("assessment",), f"the module is marked `assessment: true` but {what}, so it "
                                          "teaches — remove `assessment: true` and give the module `objectives:`"))
        return problems
    objectives = data.get("objectives")
    if objectives is None:
        if any(c["kind"] == "lesson" for c in components):
            problems.append(lines.problem(("title",), f"the module '{data['id']}' teaches (it has lessons) but states "
                                          f"no learning objectives — {_HOW}"))
        return problems
    seen: set[str] = set()
    for index, objective in enumerate(objectives):
        key = " ".join(objective.split()).casefold()
        if key in seen:
            problems.append(lines.problem(("objectives", index), "this objective repeats an earlier one — "
                                          "remove it or say what else the learner can do"))
        seen.add(key)
    return problems


def objectives_component(module_id: str, where: Where, module_file: Path) -> Component:
    return Component(id=objectives_id(module_id), kind=KIND, title=TITLE, file=module_file, where=where)


def objectives_xhtml(objectives) -> str:
    items = "".join(f"<li>{escape(' '.join(objective.split()), quote=False)}</li>" for objective in objectives)
    return (f"<h2>{TITLE}</h2><p>By the end of this module you will be able to:</p>"
            f"<ul>{items}</ul>")
