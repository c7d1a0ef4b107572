"""Item analysis for staff, from the totals of the block's graded submissions (item_totals.py; no
learner is named).

Contract: `item_analysis(totals, questions)` returns, per question of the bank, a dict with
`responses` (submissions graded on it), `unanswered` (those of them that left it unanswered), `percent_correct` (mean earned x 100, so partial credit
counts in part), `distribution` (how many submissions chose each option) and `discrimination`, the
upper-lower index D = p(upper) - p(lower): submissions are ranked by quiz score, the upper and lower
groups are the top and bottom 27% (at least one submission each), and p is the mean earned on the
question in each group among those that answered it. Submissions whose score ties across a group's
edge count in proportion: if the group needs k of the m submissions with that score, each of them
counts k/m (the same as the mean over every way of choosing k of them). D is None with fewer than
two submissions, or when a group has no answer to the question.
"""
from __future__ import annotations

import math
from fractions import Fraction

from rpt_xblocks.quiz.bank import Question

GROUP_FRACTION = 0.27


def _group(buckets: list[dict], size: int) -> list[tuple[Fraction, dict]]:
    """The first `size` submissions of `buckets` (score buckets in rank order), as (weight, bucket)."""
    group, left = [], size
    for bucket in buckets:
        if left <= 0:
            break
        taken = min(bucket["submissions"], left)
        group.append((Fraction(taken, bucket["submissions"]), bucket))
        left -= taken
    return group


def _group_mean(group: list[tuple[Fraction, dict]], question_id: str) -> Fraction | None:
    answered = sum((weight * bucket["items"][question_id][0] for weight, bucket in group
                    if question_id in bucket["items"]), Fraction(0))
    earned = sum((weight * bucket["items"][question_id][1] for weight, bucket in group
                  if question_id in bucket["items"]), Fraction(0))
    return earned / answered if answered else None


def _distribution(question: Question, chosen: dict) -> dict[str, int]:
    if question.type in ("single", "multiple"):
        return {c.id: chosen.get(c.id, 0) for c in question.choices}
    if question.type == "truefalse":
        return {"true": chosen.get("true", 0), "false": chosen.get("false", 0)}
    return {}


def item_analysis(totals: dict, questions: list[Question]) -> list[dict]:
    submissions = totals["submissions"]
    size = max(1, math.floor(GROUP_FRACTION * submissions + 0.5)) if submissions >= 2 else 0
    ranked = [bucket for _score, bucket in sorted(totals["by_score"].items())]
    lower, upper = _group(ranked, size), _group(ranked[::-1], size)
    report = []
    for question in questions:
        counted = totals["questions"].get(question.id, {"responses": 0, "earned": Fraction(0), "chosen": {},
                                                        "unanswered": 0})
        responses = counted["responses"]
        p_upper, p_lower = _group_mean(upper, question.id), _group_mean(lower, question.id)
        report.append({
            "id": question.id, "type": question.type, "responses": responses, "unanswered": counted["unanswered"],
            "percent_correct": round(100 * float(counted["earned"] / responses), 1) if responses else None,
            "distribution": _distribution(question, counted["chosen"]),
            "discrimination": None if p_upper is None or p_lower is None else round(float(p_upper - p_lower), 3),
        })
    return report
