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
  out and `new` (or None) put in; `totals` is not changed.
- `with_records(totals, records)` -> `totals` plus the per-learner records the block kept before it
  kept totals (`{learner key: {"score": float, "items": {id: {"earned": float, "chosen": [...]}}}}`).
"""
from __future__ import annotations

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
    earned = {q.id: exact(results[q.id]["earned"]) for q in drawn}
    score = sum(earned.values(), Fraction(0)) / len(drawn) if drawn else Fraction(0)
    return {"score": str(score),
            "items": {q.id: {"earned": str(earned[q.id]), "chosen": chosen_options(q, answers[q.id])} for q in drawn}}


def _from_record(record: dict) -> dict:
    return {"score": str(exact(record["score"])),
            "items": {qid: {"earned": str(exact(item["earned"])), "chosen": [option_key(o) for o in item.get("chosen", [])]}
                      for qid, item in record["items"].items()}}


def _apply(totals: dict, part: dict, sign: int) -> None:
    """Add (sign 1) or take out (sign -1) one contribution, in place on a copy made by the caller."""
    totals["learners"] = totals.get("learners", 0) + sign
    bucket = totals["by_score"].setdefault(str(exact(part["score"])), {"learners": 0, "items": {}})
    bucket["learners"] += sign
    for qid, item in part["items"].items():
        earned = exact(item["earned"])
        question = totals["questions"].setdefault(qid, {"responses": 0, "earned": "0", "chosen": {}})
        question["responses"] += sign
        question["earned"] = str(exact(question["earned"]) + sign * earned)
        for option in item["chosen"]:
            question["chosen"][option] = question["chosen"].get(option, 0) + sign
            if not question["chosen"][option]:
                del question["chosen"][option]
        if not question["responses"]:
            del totals["questions"][qid]
        responses, summed = bucket["items"].get(qid, (0, "0"))
        if responses + sign:
            bucket["items"][qid] = [responses + sign, str(exact(summed) + sign * earned)]
        else:
            bucket["items"].pop(qid, None)
    if not bucket["learners"]:
        del totals["by_score"][str(exact(part["score"]))]


def _copy(totals: dict) -> dict:
    return {"learners": totals.get("learners", 0),
            "questions": {qid: {**q, "chosen": dict(q["chosen"])} for qid, q in totals.get("questions", {}).items()},
            "by_score": {score: {"learners": b["learners"], "items": {qid: list(v) for qid, v in b["items"].items()}}
                         for score, b in totals.get("by_score", {}).items()}}


def with_contribution(totals: dict, old: dict | None, new: dict | None) -> dict:
    changed = _copy(totals)
    if old:
        _apply(changed, old, -1)
    if new:
        _apply(changed, new, 1)
    return changed


def with_records(totals: dict, records: dict) -> dict:
    changed = _copy(totals)
    for record in records.values():
        _apply(changed, _from_record(record), 1)
    return changed
