"""The quiz's question bank: one model for the YAML form, the OLX form and the block's fields.

Contract:
- `Question`, `Choice`, `Item` and `QuizSettings` are plain data; `Question.to_dict()` /
  `Question.from_dict()` give the JSON form the block stores in its `questions` field.
- `questions_from_data(items, render)` builds questions from the YAML form (Markdown rendered to
  XHTML by `render`); `quiz_from_xml(element)` from an `<rpt_quiz>` element; `quiz_to_xml(...)`
  writes that element. XML -> model -> XML -> model gives equal models.
- `bank_errors(settings, questions)` lists every mistake as `BankError(location, message)`;
  location is a tuple of keys/indices into the YAML form (e.g. ("questions", 2, "choices")), so the
  authoring command can add file and line. Parsing never raises on bad input; it reports.
Text fields (prompt, choice text, feedback, hints, explanation) hold XHTML fragments; the block
sanitizes them again when rendering.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Callable, NamedTuple

from lxml import etree

from rpt_xblocks.quantities import tolerance_problem
from rpt_xblocks.xhtml_elements import append_xhtml, inner_xhtml

QUESTION_TYPES = ("single", "multiple", "truefalse", "numeric", "ordering")
SCORING = ("partial", "all_or_nothing")
SHOW_ANSWER = ("never", "finished", "always", "past_due")
SHOW_CORRECTNESS = ("always", "never", "past_due")
GRADING_METHODS = ("best", "last")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TAG = "rpt_quiz"


class BankError(NamedTuple):
    location: tuple
    message: str


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""
    pinned: bool = False


@dataclass(frozen=True)
class Item:
    """One step of an ordering question; items are kept in their correct order."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    citation: str
    explanation: str = ""
    teaches: str = ""
    hints: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    scoring: str = "all_or_nothing"
    answer: bool | float | None = None  # truefalse: bool; numeric: the keyed value
    unit: str = ""
    tolerance: str = ""  # "3%" (relative) or "0.5" (absolute, in `unit`)
    feedback_true: str = ""
    feedback_false: str = ""
    items: tuple[Item, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        return cls(**{**data,
                      "hints": tuple(data.get("hints", ())),
                      "choices": tuple(Choice(**c) for c in data.get("choices", ())),
                      "items": tuple(Item(**i) for i in data.get("items", ()))})


@dataclass(frozen=True)
class QuizSettings:
    display_name: str = "Quiz"
    max_attempts: int = 1  # 0 = unlimited
    show_answer: str = "finished"
    show_correctness: str = "always"
    grading_method: str = "best"
    weight: float = 1.0
    draw: int = 0  # questions per learner; 0 = all
    shuffle_choices: bool = True
    allow_check: bool = False  # learners may check one question before submitting (ungraded)
    max_checks: int = 3  # checks per question per learner, when allow_check


# ---- validation -------------------------------------------------------------------------------

def bank_errors(settings: QuizSettings, questions: list[Question], known_unit: Callable[[str], str | None]) -> list[BankError]:
    """Every mistake in the quiz. `known_unit(text)` returns None for a unit it knows, else a message."""
    errors: list[BankError] = []
    _check_settings(settings, len(questions), errors)
    if not questions:
        errors.append(BankError(("questions",), "the quiz has no questions — add at least one"))
    seen: dict[str, int] = {}
    for index, question in enumerate(questions):
        where = ("questions", index)
        if not ID_PATTERN.match(question.id):
            errors.append(BankError(where + ("id",), f"question id {question.id!r} may use only lower-case letters, digits, _ and - — rename it"))
        elif question.id in seen:
            errors.append(BankError(where + ("id",), f"question id '{question.id}' is already used by question {seen[question.id] + 1} — ids must be unique in the quiz"))
        seen.setdefault(question.id, index)
        if not question.citation.strip():
            errors.append(BankError(where, f"question '{question.id}' has no citation — add `citation:` with its source, e.g. 10 CFR 20.1201"))
        if not question.prompt.strip():
            errors.append(BankError(where, f"question '{question.id}' has no prompt — add `prompt:`"))
        check = _CHECKS.get(question.type)
        if check is None:
            errors.append(BankError(where + ("type",), f"question type {question.type!r} is not one of {', '.join(QUESTION_TYPES)} — use one of those"))
        else:
            check(question, where, errors, known_unit)
    return errors


def _check_settings(settings: QuizSettings, count: int, errors: list[BankError]) -> None:
    for name, allowed in (("show_answer", SHOW_ANSWER), ("show_correctness", SHOW_CORRECTNESS),
                          ("grading_method", GRADING_METHODS)):
        if getattr(settings, name) not in allowed:
            errors.append(BankError((name,), f"{name} is {getattr(settings, name)!r}, not one of {', '.join(allowed)} — use one of those"))
    if not isinstance(settings.max_attempts, int) or settings.max_attempts < 0:
        errors.append(BankError(("max_attempts",), "max_attempts must be a whole number, 0 for unlimited — fix it"))
    if not isinstance(settings.weight, (int, float)) or not math.isfinite(settings.weight) or settings.weight < 0:
        errors.append(BankError(("weight",), "weight must be a number of 0 or more — fix it"))
    if not isinstance(settings.max_checks, int) or isinstance(settings.max_checks, bool) or settings.max_checks < 1:
        errors.append(BankError(("max_checks",), "max_checks must be a whole number of 1 or more — fix it"))
    if settings.allow_check and settings.show_correctness != "always":
        errors.append(BankError(("allow_check",), "allow_check shows right and wrong before submitting, so it needs "
                                                  "show_correctness: always — set that, or remove allow_check"))
    if not isinstance(settings.draw, int) or settings.draw < 0 or (count and settings.draw > count):
        errors.append(BankError(("draw",), f"draw must be a whole number from 1 to the {count} questions in the bank (or omitted for all) — fix it"))


def _check_choices(question: Question, where, errors, exactly_one: bool) -> None:
    if len(question.choices) < 2:
        errors.append(BankError(where + ("choices",), f"question '{question.id}' needs at least two choices — add choices"))
    correct = sum(c.correct for c in question.choices)
    if correct == 0:
        errors.append(BankError(where + ("choices",), f"question '{question.id}' has no correct choice — mark one with `correct: true`"))
    elif exactly_one and correct > 1:
        errors.append(BankError(where + ("choices",), f"single-choice question '{question.id}' has {correct} correct choices — keep one, or make it `type: multiple`"))
    ids = [c.id for c in question.choices]
    for position, choice in enumerate(question.choices):
        if ids.index(choice.id) != position:
            errors.append(BankError(where + ("choices", position), f"choice id '{choice.id}' is used twice in question '{question.id}' — give each choice its own id"))
        if not choice.text.strip():
            errors.append(BankError(where + ("choices", position), f"choice {position + 1} of question '{question.id}' has no text — add `text:`"))


def _check_single(question, where, errors, _known_unit):
    _check_choices(question, where, errors, exactly_one=True)


def _check_multiple(question, where, errors, _known_unit):
    _check_choices(question, where, errors, exactly_one=False)
    if question.scoring not in SCORING:
        errors.append(BankError(where + ("scoring",), f"scoring {question.scoring!r} is not one of {', '.join(SCORING)} — use one of those"))


def _check_truefalse(question, where, errors, _known_unit):
    if not isinstance(question.answer, bool):
        errors.append(BankError(where + ("answer",), f"true/false question '{question.id}' has no answer — add `answer: true` or `answer: false`"))


def _check_numeric(question, where, errors, known_unit):
    answer = question.answer
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
        errors.append(BankError(where + ("answer",), f"numeric question '{question.id}' needs `answer:` with a number"
                                + (" (a tolerance alone is not enough)" if question.tolerance else "") + " — add the keyed value"))
    if question.unit:
        problem = known_unit(question.unit)
        if problem:
            errors.append(BankError(where + ("unit",), f"question '{question.id}': {problem}"))
    if question.tolerance and parse_tolerance(question.tolerance) is None:
        errors.append(BankError(where + ("tolerance",), f"tolerance {question.tolerance!r} of question '{question.id}' is not a number — write a percentage like 3% or an absolute amount in the answer's unit like 0.5"))
    elif question.tolerance and isinstance(answer, (int, float)) and not isinstance(answer, bool) and math.isfinite(answer):
        problem = tolerance_problem(question.tolerance, [answer])
        if problem:
            errors.append(BankError(where + ("tolerance",), f"question '{question.id}': {problem}"))


def _check_ordering(question, where, errors, _known_unit):
    if len(question.items) < 2:
        errors.append(BankError(where + ("items",), f"ordering question '{question.id}' needs at least two items — add items in their correct order"))
    ids = [i.id for i in question.items]
    if len(set(ids)) != len(ids):
        errors.append(BankError(where + ("items",), f"ordering question '{question.id}' repeats an item id — give each item its own id"))


_CHECKS = {"single": _check_single, "multiple": _check_multiple, "truefalse": _check_truefalse,
           "numeric": _check_numeric, "ordering": _check_ordering}


def parse_tolerance(text: str) -> tuple[str, float] | None:
    """("relative", 0.03) for "3%", ("absolute", 0.5) for "0.5"; None if it is not a tolerance."""
    text = str(text).strip()
    relative = text.endswith("%")
    number = text[:-1].strip() if relative else text
    if not re.fullmatch(r"\d+(\.\d+)?([eE][-+]?\d+)?", number):
        return None
    value = float(number)
    if not math.isfinite(value):
        return None
    return ("relative", value / 100) if relative else ("absolute", value)


# ---- the YAML form ----------------------------------------------------------------------------

def settings_from_data(data: dict) -> QuizSettings:
    """Settings from the YAML form (already schema-checked)."""
    defaults = QuizSettings()
    return QuizSettings(
        display_name=data.get("title", defaults.display_name),
        max_attempts=data.get("max_attempts", defaults.max_attempts),
        show_answer=data.get("show_answer", defaults.show_answer),
        show_correctness=data.get("show_correctness", defaults.show_correctness),
        grading_method=data.get("grading_method", defaults.grading_method),
        weight=data.get("weight", defaults.weight),
        draw=data.get("draw", 0),
        shuffle_choices=data.get("shuffle_choices", defaults.shuffle_choices),
        allow_check=data.get("allow_check", defaults.allow_check),
        max_checks=data.get("max_checks", defaults.max_checks),
    )


def questions_from_data(items: list[dict], render: Callable[[str], str]) -> list[Question]:
    """Questions from the YAML form (already schema-checked); Markdown goes through `render`."""
    questions = []
    for data in items:
        tolerance = data.get("tolerance", "")
        questions.append(Question(
            id=data["id"], type=data["type"], prompt=render(data["prompt"]), citation=data["citation"].strip(),
            explanation=render(data.get("explanation", "")), teaches=data.get("teaches", ""),
            hints=tuple(render(h) for h in data.get("hints", [])),
            choices=tuple(Choice(id=c.get("id", _letter(n)), text=render(c["text"]), correct=c.get("correct", False),
                                 feedback=render(c.get("feedback", "")), pinned=c.get("pin", False))
                          for n, c in enumerate(data.get("choices", []))),
            scoring=data.get("scoring", "all_or_nothing"),
            answer=data.get("answer"), unit=data.get("unit", ""),
            tolerance=str(tolerance) if tolerance != "" else "",
            feedback_true=render(data.get("feedback_true", "")), feedback_false=render(data.get("feedback_false", "")),
            items=tuple(Item(id=f"step{n + 1}", text=render(text)) for n, text in enumerate(data.get("items", []))),
        ))
    return questions


def _letter(position: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[position] if position < len(letters) else f"c{position + 1}"


# ---- the OLX form -----------------------------------------------------------------------------

def quiz_to_xml(settings: QuizSettings, questions: list[Question], url_name: str | None = None) -> etree._Element:
    root = etree.Element(TAG)
    if url_name:
        root.set("url_name", url_name)
    root.set("display_name", settings.display_name)
    root.set("max_attempts", str(settings.max_attempts))
    root.set("show_answer", settings.show_answer)
    root.set("show_correctness", settings.show_correctness)
    root.set("grading_method", settings.grading_method)
    root.set("weight", repr(float(settings.weight)))
    root.set("draw", str(settings.draw))
    root.set("shuffle_choices", "true" if settings.shuffle_choices else "false")
    if settings.allow_check:
        root.set("allow_check", "true")
        root.set("max_checks", str(settings.max_checks))
    for question in questions:
        root.append(_question_to_xml(question))
    return root


def _question_to_xml(question: Question) -> etree._Element:
    element = etree.Element("question", id=question.id, type=question.type, citation=question.citation)
    if question.teaches:
        element.set("teaches", question.teaches)
    if question.type == "multiple":
        element.set("scoring", question.scoring)
    if question.type == "truefalse" and isinstance(question.answer, bool):
        element.set("answer", "true" if question.answer else "false")
    if question.type == "numeric":
        if question.answer is not None:
            element.set("answer", repr(float(question.answer)))
        for name in ("unit", "tolerance"):
            if getattr(question, name):
                element.set(name, getattr(question, name))
    append_xhtml(element, "prompt", question.prompt)
    for choice in question.choices:
        child = etree.SubElement(element, "choice", id=choice.id)
        if choice.correct:
            child.set("correct", "true")
        if choice.pinned:
            child.set("pinned", "true")
        append_xhtml(child, "text", choice.text)
        append_xhtml(child, "feedback", choice.feedback)
    for item in question.items:
        append_xhtml(element, "item", item.text)
        element[-1].set("id", item.id)
    for value, text in (("true", question.feedback_true), ("false", question.feedback_false)):
        if text:
            append_xhtml(element, "feedback", text)
            element[-1].set("answer", value)
    for hint in question.hints:
        append_xhtml(element, "hint", hint)
    append_xhtml(element, "explanation", question.explanation)
    return element


def _boolean(value: str | None, default: bool = False) -> bool | None:
    if value is None:
        return default
    return {"true": True, "false": False}.get(value.strip().lower())


def _number(value: str | None, kind=float):
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


def quiz_from_xml(element: etree._Element) -> tuple[QuizSettings, list[Question], list[BankError]]:
    """Settings and questions from an `<rpt_quiz>` element, with what could not be read as errors."""
    errors: list[BankError] = []
    defaults = QuizSettings()

    def attribute(name, kind, default):
        raw = element.get(name)
        if raw is None:
            return default
        value = _boolean(raw) if kind is bool else _number(raw, kind)
        if value is None:
            errors.append(BankError((name,), f"{name}={raw!r} is not a valid value — fix the attribute"))
            return default
        return value

    settings = QuizSettings(
        display_name=element.get("display_name", defaults.display_name),
        max_attempts=attribute("max_attempts", int, defaults.max_attempts),
        show_answer=element.get("show_answer", defaults.show_answer),
        show_correctness=element.get("show_correctness", defaults.show_correctness),
        grading_method=element.get("grading_method", defaults.grading_method),
        weight=attribute("weight", float, defaults.weight),
        draw=attribute("draw", int, defaults.draw),
        shuffle_choices=attribute("shuffle_choices", bool, defaults.shuffle_choices),
        allow_check=attribute("allow_check", bool, defaults.allow_check),
        max_checks=attribute("max_checks", int, defaults.max_checks),
    )
    questions = []
    for index, node in enumerate(element.iterchildren("question")):
        questions.append(_question_from_xml(node, ("questions", index), errors))
    return settings, questions, errors


def _question_from_xml(node: etree._Element, where, errors) -> Question:
    kind = node.get("type", "")
    answer = None
    if kind == "truefalse":
        answer = _boolean(node.get("answer"), default=None)
    elif kind == "numeric" and node.get("answer") is not None:
        answer = _number(node.get("answer"))
        if answer is None:
            errors.append(BankError(where + ("answer",), f"answer={node.get('answer')!r} is not a number — fix it"))
    feedback = {f.get("answer"): inner_xhtml(f) for f in node.iterchildren("feedback")}
    return Question(
        id=node.get("id", ""), type=kind, prompt=inner_xhtml(node.find("prompt")), citation=node.get("citation", ""),
        explanation=inner_xhtml(node.find("explanation")), teaches=node.get("teaches", ""),
        hints=tuple(inner_xhtml(h) for h in node.iterchildren("hint")),
        choices=tuple(Choice(id=c.get("id", _letter(n)), text=inner_xhtml(c.find("text")), correct=_boolean(c.get("correct")) or False,
                             feedback=inner_xhtml(c.find("feedback")), pinned=_boolean(c.get("pinned")) or False)
                      for n, c in enumerate(node.iterchildren("choice"))),
        scoring=node.get("scoring", "all_or_nothing"), answer=answer, unit=node.get("unit", ""),
        tolerance=node.get("tolerance", ""), feedback_true=feedback.get("true", ""), feedback_false=feedback.get("false", ""),
        items=tuple(Item(id=i.get("id", f"step{n + 1}"), text=inner_xhtml(i)) for n, i in enumerate(node.iterchildren("item"))),
    )
