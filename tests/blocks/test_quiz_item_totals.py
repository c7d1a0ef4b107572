"""The item analysis kept as totals (item_totals.py) answers as the per-learner records it replaced:
the same history of submissions (resubmissions, resets, a question removed from the bank, records
left by the earlier version) is recorded both ways and the staff replies are compared.

The reference below is the earlier implementation, reading one record per learner. It differs from
the totals in one documented place: where learners with equal scores straddle the edge of the upper
or lower 27% group, it chose among them by the hash of their key (arbitrary), and the totals count
them in proportion. `weighted_discrimination` computes that rule from the records, learner by
learner, and the earlier D is asserted wherever no tie straddles an edge.
"""
from __future__ import annotations

import copy
import json
import math
import random

import pytest
from webob import Request

from quiz_fixture import RIGHT, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz import analysis, item_totals

OTHER = {"public_limit": "c", "limits_that_apply": ["b", "c"], "release_is_by_dose": True,
         "i131_release_activity": "1.22 GBq", "limits_in_order": ["step2", "step1", "step3"]}


# ---- the earlier implementation, from per-learner records ---------------------------------------

def record_of(block, drawn_ids, answers) -> dict:
    """The record the earlier version kept for a learner's graded submission."""
    questions = {q.id: q for q in block.bank_questions()}
    earned = {qid: block.results[qid]["earned"] for qid in drawn_ids}

    def chosen(question, answer):
        return [answer] if question.type in ("single", "truefalse") else list(answer) if question.type == "multiple" else []
    return {"score": sum(earned.values()) / len(drawn_ids),
            "items": {qid: {"earned": earned[qid], "chosen": chosen(questions[qid], answers[qid])} for qid in drawn_ids}}


def earlier_item_analysis(records: dict, questions) -> list[dict]:
    ranked = sorted(records.items(), key=lambda item: (item[1]["score"], item[0]))
    size = max(1, math.floor(0.27 * len(ranked) + 0.5)) if len(ranked) >= 2 else 0
    lower = [record for _, record in ranked[:size]]
    upper = [record for _, record in ranked[len(ranked) - size:]] if size else []

    def mean(values):
        return sum(values) / len(values) if values else None
    report = []
    for question in questions:
        answered = [r["items"][question.id] for _, r in ranked if question.id in r["items"]]
        distribution = ({c.id: 0 for c in question.choices} if question.type in ("single", "multiple")
                        else {"true": 0, "false": 0} if question.type == "truefalse" else {})
        for item in answered:
            for option in item.get("chosen", []):
                key = str(option).lower() if isinstance(option, bool) else str(option)
                if key in distribution:
                    distribution[key] += 1
        p_upper = mean([r["items"][question.id]["earned"] for r in upper if question.id in r["items"]])
        p_lower = mean([r["items"][question.id]["earned"] for r in lower if question.id in r["items"]])
        average = mean([item["earned"] for item in answered])
        report.append({"id": question.id, "type": question.type, "responses": len(answered),
                       "percent_correct": None if average is None else round(100 * average, 1),
                       "distribution": distribution,
                       "discrimination": None if p_upper is None or p_lower is None else round(p_upper - p_lower, 3)})
    return report


def weighted_discrimination(records: dict, question_id: str):
    """D with learners tied across a group edge counted in proportion, learner by learner:
    a learner whose score spans ranks [below, below + tied) weighs overlap(ranks, group) / tied."""
    scores = [item_totals.exact(r["score"]) for r in records.values()]
    n = len(scores)
    size = max(1, math.floor(0.27 * n + 0.5)) if n >= 2 else 0

    def p(group_start, group_end):
        answered = earned = 0
        for record, score in zip(records.values(), scores):
            below, tied = sum(s < score for s in scores), scores.count(score)
            weight = max(0, min(below + tied, group_end) - max(below, group_start)) / tied
            if question_id in record["items"] and weight:
                answered += weight
                earned += weight * record["items"][question_id]["earned"]
        return earned / answered if answered else None
    upper, lower = p(n - size, n), p(0, size)
    return None if not size or upper is None or lower is None else round(upper - lower, 3)


def straddles_an_edge(records: dict) -> bool:
    scores = sorted(item_totals.exact(r["score"]) for r in records.values())
    size = max(1, math.floor(0.27 * len(scores) + 0.5)) if len(scores) >= 2 else 0
    return any(0 < edge < len(scores) and scores[edge - 1] == scores[edge] for edge in (size, len(scores) - size))


def assert_same_reply(reply: dict, records: dict, questions) -> None:
    earlier = earlier_item_analysis(records, questions)
    assert reply["learners"] == len(records)
    for now, before in zip(reply["questions"], earlier, strict=True):
        assert {k: v for k, v in now.items() if k != "discrimination"} == \
            {k: v for k, v in before.items() if k != "discrimination"}
        assert now["discrimination"] == pytest.approx(weighted_discrimination(records, now["id"]), abs=1e-9)
        if not straddles_an_edge(records):
            assert now["discrimination"] == before["discrimination"]


# ---- histories driven through the block ----------------------------------------------------------

def call(block, handler, payload):
    response = block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode(),
                                                   content_type="application/json"))
    return response.status_code, json.loads(response.body)


class Class:
    """Learners using one quiz through its handlers; `records` is what the earlier version kept."""

    def __init__(self, runtime, usage_id):
        self.runtime, self.usage_id, self.records = runtime, usage_id, {}

    def block(self, learner, staff=False):
        self.runtime.user_id, self.runtime.user_is_staff = learner, staff
        return self.runtime.get_block(self.usage_id)

    def submit(self, learner, choose):
        block = self.block(learner)
        drawn = [q.id for q in block._drawn()]  # pylint: disable=protected-access
        answers = {qid: choose(qid) for qid in drawn}
        status, _reply = call(block, "submit", {"answers": as_browser(block, answers)})
        assert status == 200
        block.save()
        self.records[analysis.learner_key(block.seed_key())] = record_of(block, drawn, answers)

    def reset(self, learner) -> bool:
        """Try again if the learner may (not after all answers right); whether they may submit now."""
        block = self.block(learner)
        if call(block, "reset", {})[0] == 200:
            block.save()
        return not block.answers

    def reply(self):
        status, reply = call(self.block("staff", staff=True), "item_analysis", {})
        assert status == 200
        return reply


@pytest.fixture
def quiz(runtime):
    return Class(runtime, runtime.parse_xml_string(quiz_olx(max_attempts=0)))


def random_history(quiz, rng, learners, steps):
    for _ in range(steps):
        learner = f"learner-{rng.randrange(learners)}"
        if quiz.reset(learner):
            quiz.submit(learner, lambda qid: rng.choice((RIGHT, WRONG, OTHER))[qid])


@pytest.mark.parametrize("seed", range(6))
def test_random_histories_give_the_same_reply_as_per_learner_records(quiz, seed):
    rng = random.Random(seed)
    random_history(quiz, rng, learners=rng.choice((2, 5, 12, 30)), steps=60)
    assert_same_reply(quiz.reply(), quiz.records, quiz.block("staff", staff=True).bank_questions())


def test_resubmitting_replaces_the_learners_contribution(quiz):
    quiz.submit("ann", lambda qid: WRONG[qid])
    quiz.submit("bob", lambda qid: RIGHT[qid])
    first = quiz.reply()
    quiz.reset("ann")
    quiz.submit("ann", lambda qid: OTHER[qid])
    assert quiz.reply() != first
    quiz.reset("ann")
    quiz.submit("ann", lambda qid: WRONG[qid])
    assert quiz.reply() == first
    assert_same_reply(quiz.reply(), quiz.records, quiz.block("x").bank_questions())


def test_reset_alone_changes_nothing(quiz):
    quiz.submit("ann", lambda qid: WRONG[qid])
    quiz.submit("bob", lambda qid: OTHER[qid])
    before = quiz.reply()
    quiz.reset("ann")
    assert quiz.reply() == before


def test_a_question_removed_from_the_bank_leaves_the_report_and_not_the_scores(quiz, runtime):
    random_history(quiz, random.Random(7), learners=9, steps=25)
    block = quiz.block("author")
    block.questions = [q for q in block.questions if q["id"] != "public_limit"]
    block.save()
    reply = quiz.reply()
    assert "public_limit" not in [q["id"] for q in reply["questions"]]
    assert_same_reply(reply, quiz.records, quiz.block("x").bank_questions())
    learner = next(f"learner-{n}" for n in range(9) if quiz.reset(f"learner-{n}"))
    quiz.submit(learner, lambda qid: RIGHT[qid])  # now drawn without the removed question
    assert_same_reply(quiz.reply(), quiz.records, quiz.block("x").bank_questions())


def test_records_left_by_the_earlier_version_are_read_and_leave_on_the_next_submission(quiz):
    """A course already running: learners who submitted before the update have a record in
    item_records and no contribution of their own; their next submission moves them to the totals."""
    rng = random.Random(3)
    random_history(quiz, rng, learners=6, steps=12)
    for learner in range(6):  # what the earlier version left: records, no totals, no contributions
        block = quiz.block(f"learner-{learner}")
        block.item_contribution = {}
        block.save()
    staff = quiz.block("staff", staff=True)
    staff.item_totals, staff.item_records = {}, dict(quiz.records)
    staff.save()
    assert_same_reply(quiz.reply(), quiz.records, staff.bank_questions())
    quiz.submit("learner-9", lambda qid: OTHER[qid])  # a new learner: the records stay as they are
    assert len(quiz.block("x").item_records) == len(quiz.records) - 1
    resubmitted = set()
    for learner in (0, 2, 0, 3, 4, 5):  # a resubmission takes the learner's record out
        if quiz.reset(f"learner-{learner}"):
            quiz.submit(f"learner-{learner}", lambda qid: rng.choice((WRONG, OTHER))[qid])
            resubmitted.add(learner)
            assert_same_reply(quiz.reply(), quiz.records, staff.bank_questions())
    left = quiz.block("x").item_records
    assert len(resubmitted) >= 2 and len(left) == len(quiz.records) - 1 - len(resubmitted)
    assert all(key in quiz.records for key in left)


def test_the_totals_do_not_grow_with_the_class(quiz):
    random_history(quiz, random.Random(5), learners=10, steps=10)
    ten = len(json.dumps(quiz.block("x").item_totals))
    random_history(quiz, random.Random(6), learners=80, steps=150)
    reply = quiz.reply()
    assert reply["learners"] > 40
    assert len(json.dumps(quiz.block("x").item_totals)) < 2 * ten + 2000
    assert "learner-" not in json.dumps(quiz.block("x").item_totals)


def test_submissions_and_the_report_never_change_the_block_wide_rows_in_place(quiz):
    """item_totals and item_records are copy-on-write fields (no deep copy on read or save): every
    change must assign a new value, leaving the objects read before the request as they were."""
    rng = random.Random(5)
    random_history(quiz, rng, learners=4, steps=8)
    staff = quiz.block("staff", staff=True)
    staff.item_records = dict(quiz.records)  # a legacy record is taken out on the learner's next submission
    staff.save()
    for learner in ("learner-0", "learner-1", "learner-7"):
        block = quiz.block(learner)
        if learner != "learner-7":
            block.item_contribution = {}
            block.save()
        totals, records = block.item_totals, block.item_records
        before = copy.deepcopy((totals, records))
        if quiz.reset(learner):
            quiz.submit(learner, lambda qid: rng.choice((RIGHT, WRONG))[qid])
        quiz.reply()
        assert (totals, records) == before
    assert quiz.block("x").item_records != staff.item_records or not quiz.records
