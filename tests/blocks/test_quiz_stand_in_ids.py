"""rpt_quiz's stand-in ids through its real handlers: a submission in the learner's own stand-ins is
graded as the author's ids would be; the authors' ids, another learner's stand-ins and made-up ids are
refused (400) and change nothing; what is shown back (the learner's answers, the revealed key and its
feedback) is in the learner's stand-ins while the stored answers stay in author ids."""
from __future__ import annotations

import json

import pytest
from webob import Request

import records_database

from quiz_fixture import RIGHT, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz.opaque_ids import opaque_ids
from rpt_xblocks.records.models import QuizSubmission


def call(block, handler, payload):
    response = block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode(),
                                                   content_type="application/json"))
    return response.status_code, json.loads(response.body)


def as_learner(runtime, usage, learner):
    runtime.user_id, runtime.user_is_staff = learner, False
    return runtime.get_block(usage)


def stored(block):
    """Every records row (the quiz keeps its learners' submissions there)."""
    return records_database.snapshot()


@pytest.fixture
def usage(runtime):
    return runtime.parse_xml_string(quiz_olx())


def test_stand_ins_grade_as_the_authors_ids_and_are_stored_as_author_ids(runtime, usage):
    block = as_learner(runtime, usage, "ann")
    sent = as_browser(block, RIGHT)
    assert sent["public_limit"] != "a" and sent["limits_in_order"] != RIGHT["limits_in_order"]
    status, state = call(block, "submit", {"answers": sent})
    assert status == 200 and state["score"]["earned"] == 5.0 and state["score"]["possible"] == 5.0
    assert [row.answers for row in QuizSubmission.objects.all()] == [RIGHT], \
        "stored in author ids (reports, rescoring and item analysis read them)"
    shown = {q["id"]: q for q in state["questions"]}
    assert {qid: q["answer"] for qid, q in shown.items()} == sent, "the learner's answers come back as sent"
    assert shown["public_limit"]["revealed"]["answer"] == sent["public_limit"]
    assert shown["limits_in_order"]["revealed"]["answer"] == sent["limits_in_order"]
    assert sorted(shown["limits_that_apply"]["revealed"]["answer"]) == sorted(sent["limits_that_apply"])
    feedback_keys = set(shown["public_limit"]["revealed"]["feedback"])
    assert feedback_keys == {as_browser(block, {"public_limit": "b"})["public_limit"]}


def test_wrong_answers_in_stand_ins_get_the_feedback_of_the_choice_made(runtime, usage):
    block = as_learner(runtime, usage, "ann")
    status, state = call(block, "submit", {"answers": as_browser(block, WRONG)})
    assert status == 200 and state["score"]["earned"] == 0.5
    public = {q["id"]: q for q in state["questions"]}["public_limit"]
    assert public["status"] == "incorrect" and "occupational" in public["feedback"][0]


@pytest.mark.parametrize("how", ["author ids", "another learner's ids", "made-up id", "author id in a list"])
def test_ids_the_learner_was_not_shown_are_refused_and_change_nothing(runtime, usage, published_events, how):
    ann = as_learner(runtime, usage, "ann")
    answers = as_browser(ann, RIGHT)
    if how == "author ids":
        answers["public_limit"] = "a"
    elif how == "another learner's ids":
        answers = as_browser(as_learner(runtime, usage, "bob"), RIGHT)  # all right, for Bob
    elif how == "made-up id":
        answers["public_limit"] = "c0123456789ab"
    else:
        answers["limits_that_apply"] = [answers["limits_that_apply"][0], "b"]
    ann = as_learner(runtime, usage, "ann")
    before, events = stored(ann), len(published_events)
    status, reply = call(ann, "submit", {"answers": answers})
    assert status == 400 and "do not belong to your questions" in reply["error"]
    assert reply["questions"], "the questions concerned are named, for the page to mark them"
    assert stored(as_learner(runtime, usage, "ann")) == before
    assert len(published_events) == events


@pytest.fixture
def published_events(runtime):
    return runtime.published


def test_stand_ins_are_distinct_within_a_question_even_when_the_hash_collides():
    """A 48-bit collision is not to be expected, so shorten the digest to one hex digit (16 values)."""
    ids = [f"choice{n}" for n in range(12)]
    alone = [opaque_ids("learner|block", "q1", [i], hex_characters=1)[i] for i in ids]
    assert len(set(alone)) < len(ids), "control: the first digests collide"
    given = opaque_ids("learner|block", "q1", ids, hex_characters=1)
    assert len(set(given.values())) == len(ids)
    assert given == opaque_ids("learner|block", "q1", ids, hex_characters=1), "the fallback is deterministic"
    assert given[ids[0]] == alone[0], "the first id keeps its digest; later colliding ones move"


def test_stand_ins_depend_on_the_learner_the_question_and_the_choice():
    one = opaque_ids("ann|quiz", "q1", ["a", "b"])
    assert one == opaque_ids("ann|quiz", "q1", ["a", "b"])
    assert not set(one.values()) & set(opaque_ids("bob|quiz", "q1", ["a", "b"]).values())
    assert not set(one.values()) & set(opaque_ids("ann|quiz", "q2", ["a", "b"]).values())
    assert not set(one.values()) & set(opaque_ids("ann|other-quiz", "q1", ["a", "b"]).values())
