"""Item analysis totals: graded quiz submissions added up, per question and per quiz score. Plain
functions on JSON data; no XBlock import.

Numbers are exact: earned values and scores are `Fraction`s (`exact`), so that submissions with
equal scores fall in one score group whatever the order they are added in.

Contract: `totals(submissions, questions)` adds up `submissions`, an iterable of `(answers, results)`
as the quiz stores them (`results` holds each drawn question's `earned`), each counted once;
`questions` maps question ids to the bank's `Question`s (a question no longer in the bank still
counts towards the submission's score, with no options chosen). Returns
`{"submissions": int, "questions": {question id: {"responses": int, "earned": Fraction,
"chosen": {option key: int}, "unanswered": int}}, "by_score": {score Fraction: {"submissions": int,
"items": {question id: [responses, earned Fraction]}}}}`, where a score is the submission's mean
earned. An unanswered question (status "unanswered", grading.is_unanswered) counts as a response
that earned 0 and chose nothing, and is also counted in its question's `unanswered`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Iterable

from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.quiz.grading import UNANSWERED, is_unanswered

MAX_DENOMINATOR = 10**6  # earned is decisions right / choices: far smaller denominators


def exact(value) -> Fraction:
    """A float earned or score as the fraction it stands for."""
    return Fraction(value).limit_denominator(MAX_DENOMINATOR)


def option_key(option) -> str:
    """The key an answer option is counted under: a choice id, or "true"/"false"."""
    return str(option).lower() if isinstance(option, bool) else str(option)


def chosen_options(question: Question | None, answer) -> list[str]:
    """The options an answer chose, as counted in the distribution (none for numeric and ordering)."""
    if question is None or is_unanswered(answer):
        return []
    if question.type in ("single", "truefalse"):
        return [option_key(answer)]
    if question.type == "multiple" and isinstance(answer, list):
        return [option_key(option) for option in answer]
    return []


def totals(submissions: Iterable[tuple[dict, dict]], questions: dict[str, Question]) -> dict:
    count, by_question, by_score = 0, {}, {}
    for answers, results in submissions:
        if not results:
            continue
        earned = {qid: exact(result["earned"]) for qid, result in results.items()}
        score = sum(earned.values(), Fraction(0)) / len(earned)
        count += 1
        bucket = by_score.setdefault(score, {"submissions": 0, "items": {}})
        bucket["submissions"] += 1
        for qid, value in earned.items():
            question = by_question.setdefault(qid, {"responses": 0, "earned": Fraction(0), "chosen": {}, "unanswered": 0})
            question["responses"] += 1
            question["unanswered"] += results[qid].get("status") == UNANSWERED
            question["earned"] += value
            for option in chosen_options(questions.get(qid), answers.get(qid)):
                question["chosen"][option] = question["chosen"].get(option, 0) + 1
            item = bucket["items"].setdefault(qid, [0, Fraction(0)])
            item[0] += 1
            item[1] += value
    return {"submissions": count, "questions": by_question, "by_score": by_score}
