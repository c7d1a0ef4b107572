"""What one learner's browser may receive: the single gate between the bank and the page.

Contract: `learner_state(drawn, ...)` returns JSON-ready data for the learner's questions, `drawn`
(`drawn_questions`: the learner's draw, in the learner's order), with choices and ordering steps
shuffled for that learner, their last answers, and only what the policy allows: per-question
status and the feedback of the options they chose only when correctness is visible; the answer key
and explanations only when the answer is visible.
Nothing about which option is correct leaves through any other field. Text is sanitized here.
A question's `teaches_url` (shown when it was not answered correctly, and with the revealed answer)
is `jump_url(question.teaches)`: the block passes the runtime's link to that unit
(`course_links.lesson_url`: course-scoped in the LMS, the unit's page in the preview); this module
makes no URL itself.

While an attempt is open (`Situation.open`), each question carries the learner's `draft`: their
saved draft (`Situation.draft`, in stand-ins, checked by `valid_draft`) when there is one, else
the answers of the submission they chose Try again on (`Situation.previous`), so Try again keeps
the answers for editing. `hint_offered` is False for a question answered correctly (in the shown
submission, or by a Check in the open attempt). `points` ("0.5 of 1 point") comes with the status;
a numeric answer read in the question's unit gets a note saying so (numeric.assumed_unit_note).

Choice and step ids never leave as the authors wrote them: every id keyed to an answer (choices,
steps, the saved answers shown again, the revealed answer key and its feedback keys) is the
learner's stand-in for it (`opaque_ids.py`). Answers stay in author ids on the server: the browser's
answers come back through `answers_from_browser(drawn, answers, stand_in_key)`, which returns them in
author ids or raises `NotOffered` (naming the questions) for an answer that is not a dict of the
learner's questions or that names a choice or step this learner was not shown; values of other
shapes pass through unchanged, for grading to refuse.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lxml import html as lxml_html
from markupsafe import escape as markupsafe_escape

from rpt_xblocks.quiz import grading, pool, wording
from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.quiz.numeric import assumed_unit_note
from rpt_xblocks.quiz.opaque_ids import opaque_ids
from rpt_xblocks.sanitizing import sanitize


@dataclass(frozen=True)
class Situation:
    """The learner's standing, already decided by the block from its fields and the runtime."""

    seed_key: str
    stand_in_key: str  # LearnerBlockMixin.stand_in_key(): keys the learner's stand-in ids
    attempts: int
    attempts_left: int | None  # None: unlimited
    answers: dict
    results: dict  # question id -> {"earned": float, "status": str}
    correctness_visible: bool
    answer_visible: bool
    score: tuple[float, float] | None  # (earned, possible) of the graded score, if any
    open: bool = False  # an attempt is open: the learner may answer and submit
    draft: dict | None = None  # the learner's saved draft for the open attempt (stand-ins), if any
    previous: dict | None = None  # author-id answers of the submission reset by Try again, if any
    checks_left: dict | None = None  # question id -> checks left, when the author allows Check
    checked_correct: frozenset = frozenset()  # questions a Check found correct in the open attempt


def drawn_questions(questions: list[Question], draw: int, seed_key: str) -> list[Question]:
    by_id = {q.id: q for q in questions}
    return [by_id[i] for i in pool.draw([q.id for q in questions], draw, seed_key)]


class NotOffered(ValueError):
    """Answers that are not this learner's: `questions` maps each question id concerned (or "" for
    the whole request) to what was wrong, in author-facing words the block replaces by its message."""

    def __init__(self, questions: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in questions.items()))
        self.questions = questions


def _stand_ins(question: Question, stand_in_key: str) -> dict[str, str]:
    """Author id -> the learner's stand-in, for the choices or steps of `question` (empty for others)."""
    if question.type in ("single", "multiple"):
        return opaque_ids(stand_in_key, question.id, [c.id for c in question.choices])
    if question.type == "ordering":
        return opaque_ids(stand_in_key, question.id, [i.id for i in question.items])
    return {}


def _shown(value, stand_ins: dict[str, str]):
    """An author-id answer (or key) as the learner sees it: each id by its stand-in, an id no longer
    in the bank left out (None for a single id)."""
    if not stand_ins:
        return value
    if isinstance(value, list):
        return [stand_ins[v] for v in value if isinstance(v, str) and v in stand_ins]
    return stand_ins.get(value) if isinstance(value, str) else None


def answers_from_browser(drawn: list[Question], answers, stand_in_key: str) -> dict:
    """The browser's answers (question id -> answer in stand-ins) in author ids; see the module."""
    if not isinstance(answers, dict) or not set(answers) <= {q.id for q in drawn}:
        raise NotOffered({"": "the answers are not a map of this learner's question ids"})
    translated, unknown = {}, {}
    for question in drawn:
        if question.id not in answers:
            continue
        answer, stand_ins = answers[question.id], _stand_ins(question, stand_in_key)
        if not stand_ins:
            translated[question.id] = answer
            continue
        back = {opaque: author for author, opaque in stand_ins.items()}
        values = answer if isinstance(answer, list) else [answer]
        if any(isinstance(v, str) and v not in back for v in values):
            unknown[question.id] = "names a choice or step this learner was not shown"
            continue
        author = [back.get(v, v) if isinstance(v, str) else v for v in values]  # other values: grading refuses them
        translated[question.id] = author if isinstance(answer, list) else author[0]
    if unknown:
        raise NotOffered(unknown)
    return translated


def answers_for_browser(questions: list[Question], answers: dict, stand_in_key: str) -> dict:
    """Author-id answers as this learner's browser sends them (the inverse of `answers_from_browser`,
    for tests and tools): each choice or step id of a question in `questions` by its stand-in; any
    other value, and answers to other questions, as they are."""
    by_id = {q.id: q for q in questions}

    def shown(question_id, answer):
        stand_ins = _stand_ins(by_id[question_id], stand_in_key) if question_id in by_id else {}
        values = [stand_ins.get(v, v) if isinstance(v, str) else v for v in (answer if isinstance(answer, list) else [answer])]
        return values if isinstance(answer, list) else values[0]
    return {question_id: shown(question_id, answer) for question_id, answer in answers.items()}


def valid_draft(drawn: list[Question], draft, stand_in_key: str) -> dict:
    """The answers of `draft` (question id -> answer in stand-ins) that are still answers to the
    learner's questions (the bank may have changed since it was saved); unanswered ones left out."""
    if not isinstance(draft, dict):
        return {}
    by_id, kept = {q.id: q for q in drawn}, {}
    for question_id, answer in draft.items():
        if question_id not in by_id or grading.is_unanswered(answer):
            continue
        try:
            author = answers_from_browser(drawn, {question_id: answer}, stand_in_key)[question_id]
            grading.check_shape(by_id[question_id], author)
        except (NotOffered, grading.AnswerRejected):
            continue
        kept[question_id] = answer
    return kept


def chosen_feedback(question: Question, answer) -> list[str]:
    """The feedback of the options `answer` (author ids) chose, and the note on a bare number's unit."""
    note = assumed_unit_note(answer, question) if question.type == "numeric" else None
    return _chosen_feedback(question, answer) + ([str(markupsafe_escape(note))] if note else [])


def _public_question(question: Question, seed_key: str, shuffle: bool, stand_ins: dict[str, str]) -> dict:
    data = {"id": question.id, "type": question.type, "prompt": sanitize(question.prompt),
            "hint_count": len(question.hints)}  # the citation comes with the explanation: it can hint at the answer
    if question.type in ("single", "multiple"):
        choices = list(question.choices)
        if shuffle:
            choices = pool.shuffle_keeping_pinned(choices, [c.pinned for c in choices], seed_key, question.id)
        data["choices"] = [{"id": stand_ins[c.id], "text": sanitize(c.text)} for c in choices]
    if question.type == "numeric":
        data["unit_hint"] = question.unit
    if question.type == "ordering":
        items = pool.shuffle_keeping_pinned(question.items, [False] * len(question.items), seed_key, question.id)
        if [i.id for i in items] == [i.id for i in question.items]:  # never show the solution as the start
            items = items[1:] + items[:1]
        data["items"] = [{"id": stand_ins[i.id], "text": sanitize(i.text)} for i in items]
    return data


def _chosen_feedback(question: Question, answer) -> list[str]:
    if question.type == "single":
        return [sanitize(c.feedback) for c in question.choices if c.id == answer and c.feedback]
    if question.type == "multiple" and isinstance(answer, list):
        return [sanitize(c.feedback) for c in question.choices if c.id in answer and c.feedback]
    if question.type == "truefalse" and isinstance(answer, bool):
        text = question.feedback_true if answer else question.feedback_false
        return [sanitize(text)] if text else []
    return []


def _revealed(question: Question, jump_url: Callable[[str], str], stand_ins: dict[str, str]) -> dict:
    revealed = {"answer": _shown(grading.answer_key(question), stand_ins),
                "explanation": sanitize(question.explanation), "citation": question.citation}
    if question.type in ("single", "multiple"):
        revealed["feedback"] = {stand_ins[c.id]: sanitize(c.feedback) for c in question.choices if c.feedback}
    if question.teaches:
        revealed["teaches_url"] = jump_url(question.teaches)
    return revealed


def learner_state(drawn: list[Question], *, title: str, shuffle: bool, situation: Situation,
                  jump_url: Callable[[str], str], ngettext: wording.Ngettext) -> dict:
    state = {"title": title, "attempts": situation.attempts, "attempts_left": situation.attempts_left,
             "submitted": bool(situation.answers), "questions": []}
    if situation.correctness_visible and situation.score is not None:
        earned, possible = situation.score
        state["score"] = {"earned": earned, "possible": possible,
                          "text": wording.score_text(ngettext, earned, possible)}
    if situation.open:
        state["draft_attempt"] = situation.attempts + 1
    for question in drawn:
        stand_ins = _stand_ins(question, situation.stand_in_key)
        data = _public_question(question, situation.seed_key, shuffle, stand_ins)
        if question.id in situation.answers:
            data["answer"] = _shown(situation.answers[question.id], stand_ins)
        if situation.open:
            if situation.draft is not None:
                if question.id in situation.draft:
                    data["draft"] = situation.draft[question.id]
            elif situation.previous and not grading.is_unanswered(situation.previous.get(question.id)):
                data["draft"] = _shown(situation.previous[question.id], stand_ins)
        result = situation.results.get(question.id)
        correct = question.id in situation.checked_correct
        if result and situation.correctness_visible:
            data["status"] = result["status"]
            data["points"] = wording.question_points(ngettext, result["earned"], 1)
            data["feedback"] = chosen_feedback(question, situation.answers.get(question.id))
            correct = correct or result["status"] == grading.CORRECT
            if result["status"] != grading.CORRECT and question.teaches:
                data["teaches_url"] = jump_url(question.teaches)
        data["hint_offered"] = bool(question.hints) and not correct
        if situation.checks_left is not None and situation.open:
            data["checks_left"] = situation.checks_left.get(question.id, 0)
        if situation.answer_visible:
            data["revealed"] = _revealed(question, jump_url, stand_ins)
        state["questions"].append(data)
    state["can_show_answer"] = situation.answer_visible
    return state


def plain_text(xhtml: str) -> str:
    """The text of an XHTML fragment, for reports."""
    if not xhtml.strip():
        return ""
    return " ".join(lxml_html.fragment_fromstring(xhtml, create_parent="div").text_content().split())


def answer_text(question: Question, answer) -> str:
    """A learner's answer in words, for reports (choice texts rather than ids)."""
    if question.type in ("single", "multiple"):
        chosen = [answer] if question.type == "single" else list(answer or [])
        texts = {c.id: plain_text(c.text) for c in question.choices}
        return "; ".join(texts.get(c, str(c)) for c in chosen)
    if question.type == "ordering":
        texts = {i.id: plain_text(i.text) for i in question.items}
        return " > ".join(texts.get(i, str(i)) for i in (answer or []))
    if question.type == "truefalse":
        return "true" if answer is True else "false" if answer is False else ""
    return str(answer)
