"""What one learner's browser may receive: the single gate between the bank and the page.

Contract: `learner_state(drawn, ...)` returns JSON-ready data for the learner's questions, `drawn`
(`drawn_questions`: the learner's draw, in the learner's order), with choices and ordering steps
shuffled for that learner, their last answers, and only what the policy allows: per-question
status and the feedback of the options they chose only when correctness is visible; the answer key
and explanations only when the answer is visible.
Nothing about which option is correct leaves through any other field. Text is sanitized here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from lxml import html as lxml_html

from rpt_xblocks.quiz import grading, pool
from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.sanitizing import sanitize


@dataclass(frozen=True)
class Situation:
    """The learner's standing, already decided by the block from its fields and the runtime."""

    seed_key: str
    attempts: int
    attempts_left: int | None  # None: unlimited
    answers: dict
    results: dict  # question id -> {"earned": float, "status": str}
    correctness_visible: bool
    answer_visible: bool
    score: tuple[float, float] | None  # (earned, possible) of the graded score, if any


def drawn_questions(questions: list[Question], draw: int, seed_key: str) -> list[Question]:
    by_id = {q.id: q for q in questions}
    return [by_id[i] for i in pool.draw([q.id for q in questions], draw, seed_key)]


def _public_question(question: Question, seed_key: str, shuffle: bool) -> dict:
    data = {"id": question.id, "type": question.type, "prompt": sanitize(question.prompt),
            "hint_count": len(question.hints)}  # the citation comes with the explanation: it can hint at the answer
    if question.type in ("single", "multiple"):
        choices = list(question.choices)
        if shuffle:
            choices = pool.shuffle_keeping_pinned(choices, [c.pinned for c in choices], seed_key, question.id)
        data["choices"] = [{"id": c.id, "text": sanitize(c.text)} for c in choices]
    if question.type == "numeric":
        data["unit_hint"] = question.unit
    if question.type == "ordering":
        items = pool.shuffle_keeping_pinned(question.items, [False] * len(question.items), seed_key, question.id)
        if [i.id for i in items] == [i.id for i in question.items]:  # never show the solution as the start
            items = items[1:] + items[:1]
        data["items"] = [{"id": i.id, "text": sanitize(i.text)} for i in items]
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


def _revealed(question: Question, jump_url: Callable[[str], str]) -> dict:
    revealed = {"answer": grading.answer_key(question), "explanation": sanitize(question.explanation),
                "citation": question.citation}
    if question.type in ("single", "multiple"):
        revealed["feedback"] = {c.id: sanitize(c.feedback) for c in question.choices if c.feedback}
    if question.teaches:
        revealed["teaches_url"] = jump_url(question.teaches)
    return revealed


def learner_state(drawn: list[Question], *, title: str, shuffle: bool, situation: Situation,
                  jump_url: Callable[[str], str]) -> dict:
    state = {"title": title, "attempts": situation.attempts, "attempts_left": situation.attempts_left,
             "submitted": bool(situation.answers), "questions": []}
    if situation.correctness_visible and situation.score is not None:
        state["score"] = {"earned": situation.score[0], "possible": situation.score[1]}
    for question in drawn:
        data = _public_question(question, situation.seed_key, shuffle)
        if question.id in situation.answers:
            data["answer"] = situation.answers[question.id]
        result = situation.results.get(question.id)
        if result and situation.correctness_visible:
            data["status"] = result["status"]
            data["feedback"] = _chosen_feedback(question, situation.answers.get(question.id))
            if result["status"] != grading.CORRECT and question.teaches:
                data["teaches_url"] = jump_url(question.teaches)
        if situation.answer_visible:
            data["revealed"] = _revealed(question, jump_url)
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
