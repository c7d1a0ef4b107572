"""Item analysis totals: what every learner's latest graded submission adds up to, kept per question
and per quiz score, so that recording a submission costs the same whatever the size of the class.
Plain functions on JSON data; no XBlock import.

Numbers are exact: earned values and scores are fractions written "n/d" (`exact`), so that taking a
learner's contribution out and putting a new one in never leaves a rounding residue.

Shapes:
- a contribution, one learner's latest graded submission (kept in that learner's own state):
  `{"score": "n/d", "items": {question id: {"earned": "n/d", "chosen": [option key, ...]}}}`;
- totals (block-wide): `{"learners": int, "questions": {question id: {"responses": int,
  "earned": "n/d", "chosen": {option key: int}}}, "by_score": {score "n/d": {"learners": int,
  "items": {question id: [responses, earned "n/d"]}}}}`. Entries that fall to zero are removed, so
  the size depends on the bank and the scores possible, not on the number of learners.

Contract:
- `contribution(drawn, answers, results)` -> the contribution of a graded submission (`results`
  holds each drawn question's `earned`).
- `with_contribution(totals, old, new)` -> new totals with the contribution `old` (or None) taken
  out and `new` (or None) put in; `totals` is not changed, and the new totals share with it the
  entries they leave unchanged (the field is never changed in place: content_fields.py).
- `with_records(totals, records)` -> `totals` plus the per-learner records the block kept before it
  kept totals (`{learner key: {"score": float, "items": {id: {"earned": float, "chosen": [...]}}}}`).
"""
from __future__ import annotations

import math
from fractions import Fraction

from rpt_xblocks.quiz.bank import Question

MAX_DENOMINATOR = 10**6  # earned is decisions right / choices: far smaller denominators


def exact(value) -> Fraction:
    """A float earned or score (or an "n/d" text) as the fraction it stands for."""
    if isinstance(value, str):
        return Fraction(value)
    return Fraction(value).limit_denominator(MAX_DENOMINATOR)


def option_key(option) -> str:
    """The key an answer option is counted under: a choice id, or "true"/"false"."""
    return str(option).lower() if isinstance(option, bool) else str(option)


def chosen_options(question: Question, answer) -> list[str]:
    """The options an answer chose, as counted in the distribution (none for numeric and ordering)."""
    if question.type in ("single", "truefalse"):
        return [option_key(answer)]
    if question.type == "multiple":
        return [option_key(option) for option in answer]
    return []


def contribution(drawn: list[Question], answers: dict, results: dict) -> dict:
    earned = {q.id: _ratio_of_number(results[q.id]["earned"]) for q in drawn}
    total = (0, 1)
    for value in earned.values():
        total = _plus(total, value, 1)
    score = _ratio(total[0], total[1] * len(drawn)) if drawn else (0, 1)
    return {"score": _text(score),
            "items": {q.id: {"earned": _text(earned[q.id]), "chosen": chosen_options(q, answers[q.id])} for q in drawn}}


def _from_record(record: dict) -> dict:
    return {"score": str(exact(record["score"])),
            "items": {qid: {"earned": str(exact(item["earned"])), "chosen": [option_key(o) for o in item.get("chosen", [])]}
                      for qid, item in record["items"].items()}}


# ---- "n/d" arithmetic on (numerator, denominator) ints -------------------------------------------
# A submission adds and takes out a few dozen such numbers; `Fraction`, which parses each text with a
# regular expression and normalizes through several layers, was about a fifth of `submit`. The texts
# read and written are `str(Fraction(...))`'s: "n/d" in lowest terms with d > 1, or "n".

def _ratio(numerator: int, denominator: int) -> tuple[int, int]:
    common = math.gcd(numerator, denominator)
    return numerator // common, denominator // common


def _ratio_of_number(value) -> tuple[int, int]:
    """A float earned or score as `exact` reads it (whole values, the usual case, without `Fraction`)."""
    if float(value).is_integer():
        return int(value), 1
    fraction = exact(value)
    return fraction.numerator, fraction.denominator


def _parse(text: str) -> tuple[int, int]:
    numerator, _slash, denominator = text.partition("/")
    return int(numerator), int(denominator) if denominator else 1


def _text(ratio: tuple[int, int]) -> str:
    return str(ratio[0]) if ratio[1] == 1 else f"{ratio[0]}/{ratio[1]}"


def _plus(left: tuple[int, int], right: tuple[int, int], sign: int) -> tuple[int, int]:
    """left + sign * right, in lowest terms."""
    if left[1] == right[1] == 1:
        return left[0] + sign * right[0], 1
    return _ratio(left[0] * right[1] + sign * right[0] * left[1], left[1] * right[1])


# ---- totals, copied on write -----------------------------------------------------------------------

def _apply(learners: int, questions: dict, by_score: dict, part: dict, sign: int) -> int:
    """Add (sign 1) or take out (sign -1) one contribution: `questions` and `by_score` are the caller's
    shallow copies, whose entries are replaced, never changed (the totals read are shared with the
    stored value, see content_fields); returns the new number of learners."""
    score = part["score"]  # written by `contribution` or `_from_record`: already the "n/d" key
    bucket = by_score.get(score)
    bucket = {"learners": 0, "items": {}} if bucket is None else {"learners": bucket["learners"], "items": dict(bucket["items"])}
    by_score[score] = bucket
    bucket["learners"] += sign
    for qid, item in part["items"].items():
        earned = _parse(item["earned"])
        question = questions.get(qid)
        question = ({"responses": 0, "earned": "0", "chosen": {}} if question is None
                    else {**question, "chosen": dict(question["chosen"])})
        questions[qid] = question
        question["responses"] += sign
        question["earned"] = _text(_plus(_parse(question["earned"]), earned, sign))
        for option in item["chosen"]:
            question["chosen"][option] = question["chosen"].get(option, 0) + sign
            if not question["chosen"][option]:
                del question["chosen"][option]
        if not question["responses"]:
            del questions[qid]
        responses, summed = bucket["items"].get(qid, (0, "0"))
        if responses + sign:
            bucket["items"][qid] = [responses + sign, _text(_plus(_parse(summed), earned, sign))]
        else:
            bucket["items"].pop(qid, None)
    if not bucket["learners"]:
        del by_score[score]
    return learners + sign


def _with_parts(totals: dict, parts: list[tuple[dict, int]]) -> dict:
    learners, questions, by_score = totals.get("learners", 0), dict(totals.get("questions", {})), dict(totals.get("by_score", {}))
    for part, sign in parts:
        learners = _apply(learners, questions, by_score, part, sign)
    return {"learners": learners, "questions": questions, "by_score": by_score}


def with_contribution(totals: dict, old: dict | None, new: dict | None) -> dict:
    return _with_parts(totals, [(part, sign) for part, sign in ((old, -1), (new, 1)) if part])


def with_records(totals: dict, records: dict) -> dict:
    return _with_parts(totals, [(_from_record(record), 1) for record in records.values()])
