"""Item analysis for staff, from the totals the block keeps (item_totals.py; no learner is named).

Contract: `item_analysis(totals, questions)` returns, per question of the bank, a dict with
`responses` (learners who answered it), `percent_correct` (mean earned x 100, so partial credit
counts in part), `distribution` (how many learners chose each option) and `discrimination`, the
upper-lower index D = p(upper) - p(lower): learners are ranked by quiz score, the upper and lower
groups are the top and bottom 27% (at least one learner each), and p is the mean earned on the
question in each group among those who answered it. Learners whose score ties across a group's
edge count in proportion: if the group needs k of the m learners with that score, each of them
counts k/m (the same as the mean over every way of choosing k of them). D is None with fewer than
two learners, or when a group has no answer to the question.

`learner_key(seed_key)` is the key the block used for a learner's record before it kept totals.
"""
from __future__ import annotations

import hashlib
import math
from fractions import Fraction

from rpt_xblocks.quiz.bank import Question
from rpt_xblocks.quiz.item_totals import exact

GROUP_FRACTION = 0.27


def learner_key(seed_key: str) -> str:
    """The per-learner records' key for a learner: a one-way hash of their private seed key."""
    return hashlib.sha256(f"item-analysis\x1f{seed_key}".encode("utf-8")).hexdigest()[:24]


def _group(buckets: list[dict], size: int) -> list[tuple[Fraction, dict]]:
    """The first `size` learners of `buckets` (score buckets in rank order), as (weight, bucket)."""
    group, left = [], size
    for bucket in buckets:
        if left <= 0:
            break
        taken = min(bucket["learners"], left)
        group.append((Fraction(taken, bucket["learners"]), bucket))
        left -= taken
    return group


def _group_mean(group: list[tuple[Fraction, dict]], question_id: str) -> Fraction | None:
    answered = sum((weight * bucket["items"][question_id][0] for weight, bucket in group
                    if question_id in bucket["items"]), Fraction(0))
    earned = sum((weight * exact(bucket["items"][question_id][1]) for weight, bucket in group
                  if question_id in bucket["items"]), Fraction(0))
    return earned / answered if answered else None


def _distribution(question: Question, chosen: dict) -> dict[str, int]:
    if question.type in ("single", "multiple"):
        return {c.id: chosen.get(c.id, 0) for c in question.choices}
    if question.type == "truefalse":
        return {"true": chosen.get("true", 0), "false": chosen.get("false", 0)}
    return {}


def item_analysis(totals: dict, questions: list[Question]) -> list[dict]:
    learners = totals.get("learners", 0)
    size = max(1, math.floor(GROUP_FRACTION * learners + 0.5)) if learners >= 2 else 0
    ranked = [bucket for _score, bucket in sorted(totals.get("by_score", {}).items(), key=lambda item: exact(item[0]))]
    lower, upper = _group(ranked, size), _group(ranked[::-1], size)
    report = []
    for question in questions:
        counted = totals.get("questions", {}).get(question.id, {"responses": 0, "earned": "0", "chosen": {}})
        responses = counted["responses"]
        p_upper, p_lower = _group_mean(upper, question.id), _group_mean(lower, question.id)
        report.append({
            "id": question.id, "type": question.type, "responses": responses,
            "percent_correct": round(100 * float(exact(counted["earned"]) / responses), 1) if responses else None,
            "distribution": _distribution(question, counted["chosen"]),
            "discrimination": None if p_upper is None or p_lower is None else round(float(p_upper - p_lower), 3),
        })
    return report
