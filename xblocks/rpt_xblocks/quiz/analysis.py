"""Item analysis for staff, from the aggregate the block keeps (no other learner data is read).

The aggregate holds, per learner (keyed by a one-way hash, never a name), the latest graded
submission: `{"score": fraction of the quiz earned, "items": {question id: {"earned": 0..1,
"chosen": [choice ids] | [true/false] | []}}}`.

Contract: `item_analysis(records, questions)` returns, per question of the bank, a dict with
`responses` (learners who answered it), `percent_correct` (mean earned x 100, so partial credit
counts in part), `distribution` (how many learners chose each option) and `discrimination`, the
upper-lower index D = p(upper) - p(lower): learners are ranked by quiz score, the upper and lower
groups are the top and bottom 27% (at least one learner each, ties broken by the record key), and
p is the mean earned on the question in each group among those who answered it. D is None with
fewer than two learners.
"""
from __future__ import annotations

import hashlib
import math

from rpt_xblocks.quiz.bank import Question

GROUP_FRACTION = 0.27


def learner_key(seed_key: str) -> str:
    """The aggregate's key for a learner: a one-way hash of their private seed key."""
    return hashlib.sha256(f"item-analysis\x1f{seed_key}".encode("utf-8")).hexdigest()[:24]


def chosen_options(question: Question, answer) -> list:
    if question.type == "single":
        return [answer]
    if question.type == "multiple":
        return list(answer)
    if question.type == "truefalse":
        return [answer]
    return []


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def item_analysis(records: dict, questions: list[Question]) -> list[dict]:
    ranked = sorted(records.items(), key=lambda item: (item[1]["score"], item[0]))
    size = max(1, math.floor(GROUP_FRACTION * len(ranked) + 0.5)) if len(ranked) >= 2 else 0
    lower = [record for _, record in ranked[:size]]
    upper = [record for _, record in ranked[len(ranked) - size:]] if size else []
    report = []
    for question in questions:
        answered = [r["items"][question.id] for _, r in ranked if question.id in r["items"]]
        distribution: dict[str, int] = {}
        if question.type in ("single", "multiple"):
            distribution = {c.id: 0 for c in question.choices}
        elif question.type == "truefalse":
            distribution = {"true": 0, "false": 0}
        for item in answered:
            for option in item.get("chosen", []):
                key = str(option).lower() if isinstance(option, bool) else str(option)
                if key in distribution:
                    distribution[key] += 1
        mean = _mean([item["earned"] for item in answered])
        p_upper = _mean([r["items"][question.id]["earned"] for r in upper if question.id in r["items"]])
        p_lower = _mean([r["items"][question.id]["earned"] for r in lower if question.id in r["items"]])
        report.append({
            "id": question.id, "type": question.type, "responses": len(answered),
            "percent_correct": None if mean is None else round(100 * mean, 1),
            "distribution": distribution,
            "discrimination": None if p_upper is None or p_lower is None else round(p_upper - p_lower, 3),
        })
    return report
