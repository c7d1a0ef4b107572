"""Compile a quiz's YAML (in a module folder) through the quiz package's own model.

Contract: `compile_quiz(path, shown, component_id, unit_ids, markdown)` returns
`(settings, questions)` for `rpt_xblocks.quiz.bank.quiz_to_xml`, or None after adding every
problem (YAML syntax, schema, bank rules such as "no correct choice", duplicate ids, a tolerance
without a number, an unknown unit, `teaches` naming no unit, and markup or link problems in the
Markdown) at `shown:line` through `problems`. `markdown(text, anchor, shown, locate)` is the
build's renderer, which reports markup and link problems itself.
"""
from __future__ import annotations

from pathlib import Path

from rpt_course.course_schemas import course_schema
from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks.author_input.check_memo import CheckMemo
from rpt_xblocks.author_input.schema_check import load_checked_yaml
from rpt_xblocks.quiz.numeric import unit_problem
from rpt_xblocks.quiz import bank

_MARKDOWN_FIELDS = ("prompt", "explanation", "feedback_true", "feedback_false")


def compile_quiz(path: Path, shown: str, component_id: str, unit_ids: set[str], markdown, problems: list[Problem],
                 memo: CheckMemo | None = None):
    loaded = load_checked_yaml(path, shown, course_schema("quiz.schema.json"), problems, memo)
    if loaded is None:
        return None
    data, lines = loaded

    rendered: dict[tuple, str] = {}

    def render_field(location, text, anchor, inline=False):
        line = lines.line(location)
        xhtml = markdown(text, anchor, shown, lambda _needle: line)
        rendered[location] = _unwrap_paragraph(xhtml) if inline else xhtml

    for index, question in enumerate(data["questions"]):
        where = ("questions", index)
        anchor = f"{component_id}-{question['id']}"
        for name in _MARKDOWN_FIELDS:
            if name in question:
                render_field(where + (name,), question[name], anchor)
        for n, hint in enumerate(question.get("hints", [])):
            render_field(where + ("hints", n), hint, anchor)
        for n, choice in enumerate(question.get("choices", [])):
            render_field(where + ("choices", n, "text"), choice["text"], anchor, inline=True)
            if "feedback" in choice:
                render_field(where + ("choices", n, "feedback"), choice["feedback"], anchor)
        for n, item in enumerate(question.get("items", [])):
            render_field(where + ("items", n), item, anchor, inline=True)
        teaches = question.get("teaches")
        if teaches and teaches not in unit_ids:
            problems.append(lines.problem(where + ("teaches",), f"teaches '{teaches}' is not the id of a unit in this course — use the id of the unit that teaches this point"))

    cache = {}
    for location, xhtml in rendered.items():
        cache.setdefault(_source_text(data, location), xhtml)
    settings = bank.settings_from_data(data)
    questions = bank.questions_from_data(data["questions"], lambda text: cache.get(text, "") if text else "")
    for location, message in bank.bank_errors(settings, questions, unit_problem):
        problems.append(lines.problem(location, message))
    return settings, questions


def _unwrap_paragraph(xhtml: str) -> str:
    """Choice and step texts sit inside <label> and <li>, where a paragraph is not allowed."""
    body = xhtml.strip()
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        return body[3:-4]
    return xhtml


def _source_text(data, location):
    value = data
    for key in location:
        value = value[key]
    return value
