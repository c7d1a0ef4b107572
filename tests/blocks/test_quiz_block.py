"""rpt_quiz on XBlock's TestRuntime, through its real handlers: grading, attempts (claimed as
QuizSubmission rows), policies, scores, and what may reach the browser."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from webob import Request

import records_database
from quiz_fixture import RIGHT, SECRETS, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz import submissions
from rpt_xblocks.records.models import QuizSubmission, ScoreSet


@pytest.fixture
def published(runtime):
    return runtime.published


@pytest.fixture
def quiz(load_olx, published):
    return load_olx(quiz_olx())


def call(block, handler, payload, method="POST"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = Request.blank("/", method=method, body=body, content_type="application/json")
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body)


def submit(block, answers, **extra):
    """Submit author-id `answers` as the learner's browser does, in the learner's stand-in ids."""
    return call(block, "submit", {"answers": as_browser(block, answers), **extra})


def learner_fields(block):
    """What the learner has stored: the block's fields and every records row."""
    return {"fields": {name: json.dumps(field.read_from(block), sort_keys=True, default=str)
                       for name, field in block.fields.items()},
            "rows": records_database.rows()}


def page(block):
    return block.render("student_view", {}).content


def test_page_and_init_data_hold_no_answer_key(quiz):
    html = page(quiz)
    assert "Decay check" in html
    for secret in SECRETS:
        assert secret not in html, secret
    status, state = call(quiz, "state", {})
    assert status == 200 and not any(secret in json.dumps(state) for secret in SECRETS)
    assert not any(secret in json.dumps(quiz.student_view_data()) for secret in SECRETS)


def test_all_right_scores_full_marks_publishes_grade_and_completion(quiz, published):
    status, state = submit(quiz, RIGHT)
    assert status == 200
    assert state["score"] == {"earned": 5.0, "possible": 5.0, "text": "Score: 5 of 5 points"}
    assert {q["id"]: q["status"] for q in state["questions"]} == dict.fromkeys(RIGHT, "correct")
    grades = [data for kind, data in published if kind == "grade"]
    assert grades == [{"value": 5.0, "max_value": 5.0, "only_if_higher": True}]
    assert ("completion", {"completion": 1.0}) in published
    assert all(q["revealed"]["explanation"] for q in state["questions"]), "finished: the answer is shown"


def test_wrong_answers_get_feedback_but_not_the_key_while_attempts_remain(quiz):
    status, state = submit(quiz, WRONG)
    assert status == 200
    by_id = {q["id"]: q for q in state["questions"]}
    assert by_id["public_limit"]["status"] == "incorrect"
    assert by_id["public_limit"]["feedback"] == ["<p>That is the occupational TEDE limit (10 CFR 20.1201).</p>"]
    assert by_id["public_limit"]["teaches_url"] == "/jump_to_id/decay"
    assert by_id["limits_that_apply"]["status"] == "partially_correct"  # 2 of 4 decisions right
    assert state["score"] == {"earned": 0.5, "possible": 5.0, "text": "Score: 0.5 of 5 points"}
    assert not any(secret in json.dumps(state) for secret in SECRETS)
    assert state["can_reset"] and not state["can_submit"]


def test_partial_credit_counts_every_decision(quiz):
    answers = dict(RIGHT, limits_that_apply=["a"])  # a right, b missed, c and d rightly left: 3 of 4
    _, state = submit(quiz, answers)
    assert state["score"]["earned"] == pytest.approx(4.75)


def test_attempts_are_enforced_and_the_answer_appears_after_the_last(quiz):
    submit(quiz, WRONG)
    status, state = call(quiz, "reset", {})
    assert status == 200 and state["can_submit"] and state["attempts"] == 1
    status, state = submit(quiz, WRONG)
    assert status == 200 and state["attempts_left"] == 0
    assert {q["id"]: q["revealed"]["answer"] for q in state["questions"]}["i131_release_activity"] == "33 mCi"
    before = learner_fields(quiz)
    assert call(quiz, "reset", {})[0] == 403
    assert submit(quiz, RIGHT)[0] == 403
    assert learner_fields(quiz) == before


def test_best_attempt_counts_by_default_and_last_when_asked(load_olx, published):
    best = load_olx(quiz_olx())
    submit(best, RIGHT)
    assert call(best, "reset", {})[0] == 409  # all correct: nothing to try again
    last = load_olx(quiz_olx(grading_method="last", max_attempts=0))
    submit(last, dict(RIGHT, public_limit="b"))
    assert last.get_score().raw_earned == 4.0
    call(last, "reset", {})
    submit(last, WRONG)
    assert last.get_score().raw_earned == 0.5
    grades = [data for kind, data in published if kind == "grade"]
    assert grades[-1] == {"value": 0.5, "max_value": 5.0, "only_if_higher": False}


def test_rescore_recomputes_the_graded_answers_and_score_override_persists(quiz):
    submit(quiz, WRONG)
    assert quiz.calculate_score() == quiz.get_score()
    from xblock.scorable import Score
    quiz.set_score(Score(raw_earned=4.0, raw_possible=5.0))
    assert quiz.get_score() == Score(4.0, 5.0)


HOSTILE = [
    (b"not json", 400),
    (b"[1, 2]", 400),
    ({"answers": {"no_such_question": "a"}}, 400),
    ({"answers": "all of them"}, 400),
    ({"answers": dict(RIGHT, public_limit=["a"])}, 400),
    ({"answers": dict(RIGHT, public_limit="z")}, 400),
    ({"answers": dict(RIGHT, release_is_by_dose="true")}, 400),
    ({"answers": dict(RIGHT, limits_that_apply=["a", "a"])}, 400),
    ({"answers": dict(RIGHT, limits_in_order=["step1", "step1", "step2"])}, 400),
    ({"answers": dict(RIGHT, i131_release_activity="5 mSv")}, 400),
    ({"answers": dict(RIGHT, i131_release_activity="<script>alert(1)</script>")}, 400),
    ({"answers": dict(RIGHT, i131_release_activity="1" * 100)}, 400),
    ({"answers": RIGHT, "padding": "x" * 70_000}, 413),
]


@pytest.mark.parametrize("body,expected", HOSTILE)
def test_bad_submissions_are_refused_and_change_nothing(quiz, published, body, expected):
    submit(quiz, WRONG)
    call(quiz, "reset", {})
    before = learner_fields(quiz)
    events = len(published)
    if isinstance(body, dict) and isinstance(body["answers"], dict):  # author ids: as the browser names them
        body = {**body, "answers": as_browser(quiz, body["answers"])}
    status, reply = call(quiz, "submit", body)
    assert status == expected and reply["error"]
    assert learner_fields(quiz) == before
    assert len(published) == events, "no grade or event from a refused submission"


def test_wrong_dimension_is_explained_not_marked_wrong(quiz):
    status, reply = submit(quiz, dict(RIGHT, i131_release_activity="5 mSv"))
    assert status == 400
    assert "dose equivalent" in reply["questions"]["i131_release_activity"]
    assert "activity" in reply["questions"]["i131_release_activity"]
    assert not QuizSubmission.objects.exists() and not quiz.has_submitted_answer()


def test_get_is_refused(quiz):
    assert call(quiz, "submit", b"", method="GET")[0] == 405


def test_hints_one_at_a_time(quiz):
    status, reply = call(quiz, "hint", {"question": "public_limit", "index": 0})
    assert status == 200 and "fiftieth" in reply["hint"]
    assert call(quiz, "hint", {"question": "public_limit", "index": 1})[0] == 400
    assert call(quiz, "hint", {"question": "public_limit", "index": True})[0] == 400
    assert call(quiz, "hint", {"question": "nope", "index": 0})[0] == 400


@pytest.mark.parametrize("show_answer,submissions,visible", [
    ("never", [RIGHT], False), ("always", [], True), ("finished", [WRONG], False), ("finished", [RIGHT], True),
])
def test_show_answer_policy(load_olx, show_answer, submissions, visible):
    block = load_olx(quiz_olx(show_answer=show_answer))
    for answers in submissions:
        submit(block, answers)
    _, state = call(block, "state", {})
    assert state["can_show_answer"] is visible
    assert all(("revealed" in q) is visible for q in state["questions"])


def test_past_due_policies_follow_the_due_date(load_olx):
    block = load_olx(quiz_olx(show_answer="past_due", show_correctness="past_due"))
    block.due = datetime.now(timezone.utc) + timedelta(days=1)
    submit(block, WRONG)
    _, state = call(block, "state", {})
    assert "score" not in state and not any("status" in q or "revealed" in q for q in state["questions"])
    block.due = datetime.now(timezone.utc) - timedelta(days=1)
    _, state = call(block, "state", {})
    assert state["score"]["earned"] == 0.5 and all("revealed" in q for q in state["questions"])


def test_never_showing_correctness_hides_status_feedback_and_score(load_olx):
    block = load_olx(quiz_olx(show_correctness="never", show_answer="never"))
    _, state = submit(block, WRONG)
    assert "score" not in state
    assert not any({"status", "feedback", "teaches_url"} & set(q) for q in state["questions"])


def test_draws_and_shuffles_are_stable_per_learner_and_differ_between_learners(load_olx):
    block = load_olx(quiz_olx(draw=3))
    learner_ids = block.scope_ids

    def seen(user):
        block.scope_ids = learner_ids._replace(user_id=user)
        state = call(block, "state", {})[1]
        pinned = as_browser(block, {"public_limit": "c"})["public_limit"]  # the learner's stand-in for choice c
        return tuple((q["id"], tuple("pinned" if c["id"] == pinned else c["text"] for c in q.get("choices", [])))
                     for q in state["questions"])

    assert seen("learner-1") == seen("learner-1")
    draws = {seen(f"learner-{n}") for n in range(12)}
    assert len(draws) > 1
    for draw in draws:
        assert len(draw) == 3
        for question_id, choices in draw:
            if question_id == "public_limit":
                assert choices[-1] == "pinned", "the pinned choice stays last"


def test_olx_round_trip_keeps_every_field(load_olx, runtime):
    from lxml import etree
    first = load_olx(quiz_olx())
    node = etree.Element("rpt_quiz")
    first.add_xml_to_node(node)
    second = load_olx(etree.tostring(node, encoding="unicode"))
    for name in ("display_name", "max_attempts", "show_answer", "show_correctness", "grading_method", "weight",
                 "draw", "shuffle_choices", "questions"):
        assert getattr(second, name) == getattr(first, name), name


def test_an_invalid_bank_in_olx_is_refused_with_its_reason(load_olx):
    broken = quiz_olx().replace('correct="true"', "", 1)
    with pytest.raises(ValueError, match="has no correct choice"):
        load_olx(broken)


def test_mobile_gets_questions_without_answers_and_the_view_supports_multi_device(quiz):
    assert quiz.has_support(quiz.student_view, "multi_device")
    data = quiz.student_view_data()
    assert [q["id"] for q in data["questions"]] and data["max_attempts"] == 2
    for question in data["questions"]:
        assert set(question) <= {"id", "type", "prompt", "choices", "items", "unit_hint", "hint_count"}
        assert all(set(choice) == {"id", "text"} for choice in question.get("choices", []))


def test_author_html_is_sanitized_when_shown(load_olx):
    hostile = quiz_olx().replace(
        "<p>What is the annual dose limit for a member of the public?</p>",
        '<p onclick="steal()">What is the limit?</p><script>alert(1)</script><img src="x" onerror="alert(2)"/>'
        '<a href="javascript:alert(3)">more</a>')
    block = load_olx(hostile)
    shown = json.dumps(call(block, "state", {})[1]) + page(block)
    assert "What is the limit?" in shown
    for bad in ("<script>alert", "onerror", "onclick", "javascript:", "\\u003cscript\\u003ealert"):
        assert bad not in shown, bad


def test_citations_come_only_with_the_explanation(quiz):
    _, before = call(quiz, "state", {})
    assert "10 CFR 20.1301" not in json.dumps(before)
    _, after = submit(quiz, RIGHT)
    assert {q["id"]: q["revealed"]["citation"] for q in after["questions"]}["public_limit"] == "10 CFR 20.1301"


# ---- attempts claimed as rows ---------------------------------------------------------------------

def rows(block):
    return list(QuizSubmission.objects.filter(block=block.record_block_key()).order_by("attempt")
                .values_list("learner", "attempt", "reset", "earned"))


def test_the_database_refuses_a_second_submission_with_the_same_number(quiz):
    from django.db import IntegrityError, transaction
    call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizSubmission.objects.create(block=quiz.record_block_key(), learner=quiz.learner_key(), attempt=1,
                                      created=datetime.now(timezone.utc))
    assert rows(quiz) == [(quiz.learner_key(), 1, False, 0.5)]


def test_losing_the_claim_is_a_409_that_says_nothing_about_correctness(quiz, published, monkeypatch):
    """Another request's row for attempt 1 was committed after this request read the learner's rows
    (as a snapshot read on MariaDB sees it): this request's insert hits the unique constraint."""
    other = QuizSubmission.objects.create(block=quiz.record_block_key(), learner=quiz.learner_key(), attempt=1,
                                          answers=WRONG, created=datetime.now(timezone.utc))
    real_filter = QuizSubmission.objects.filter
    monkeypatch.setattr(QuizSubmission.objects, "filter", lambda **kw: real_filter(**kw).exclude(pk=other.pk))
    status, reply = call(quiz, "submit", {"answers": as_browser(quiz, RIGHT)})
    assert status == 409 and "already being submitted" in reply["error"]
    assert not any(word in json.dumps(reply).lower() for word in ("correct", "score", "earned", "status"))
    assert not [e for e in published if e[0] in ("grade", "edx.rpt_quiz.submitted")]
    monkeypatch.undo()
    assert [row[1] for row in rows(quiz)] == [1] and QuizSubmission.objects.get().answers == WRONG, "only the winner's row"


def test_a_submission_after_the_limit_is_refused_with_403_and_stores_nothing(load_olx):
    block = load_olx(quiz_olx(max_attempts=2))
    for answers in (WRONG, WRONG):
        assert call(block, "submit", {"answers": as_browser(block, answers)})[0] == 200
        call(block, "reset", {})
    assert [(row[1], row[2]) for row in rows(block)] == [(1, True), (2, False)]
    status, reply = call(block, "submit", {"answers": as_browser(block, RIGHT)})
    assert status == 403 and [row[1] for row in rows(block)] == [1, 2]


def test_a_refused_grading_uses_no_attempt(load_olx):
    block = load_olx(quiz_olx(max_attempts=1))
    assert call(block, "submit", {"answers": as_browser(block, dict(RIGHT, public_limit="z"))})[0] == 400
    assert call(block, "submit", {"answers": as_browser(block, {"public_limit": "a"})})[0] == 400
    assert rows(block) == []
    status, state = call(block, "submit", {"answers": as_browser(block, RIGHT)})
    assert status == 200 and state["attempts"] == 1 and rows(block)[0][1:] == (1, False, 5.0)


def test_reset_then_submit_numbers_the_next_attempt_and_shows_only_the_new_answers(load_olx):
    block = load_olx(quiz_olx(max_attempts=3))
    call(block, "submit", {"answers": as_browser(block, WRONG)})
    assert call(block, "submit", {"answers": as_browser(block, RIGHT)})[0] == 409, "Try again first"
    status, state = call(block, "reset", {})
    assert status == 200 and state["can_submit"] and not any("answer" in q for q in state["questions"])
    assert {q["id"]: q["draft"] for q in state["questions"]} == as_browser(block, WRONG), "kept for editing"
    assert call(block, "reset", {})[0] == 409, "a reset submission is reset once"
    _, state = call(block, "submit", {"answers": as_browser(block, RIGHT)})
    assert state["attempts"] == 2 and state["score"] == {"earned": 5.0, "possible": 5.0, "text": "Score: 5 of 5 points"}
    assert [(row[1], row[2]) for row in rows(block)] == [(1, True), (2, False)]


def test_each_learner_has_their_own_attempts(load_olx):
    block = load_olx(quiz_olx(max_attempts=1))
    ids = block.scope_ids
    for learner in ("learner-a", "learner-b"):
        block.scope_ids = ids._replace(user_id=learner)
        assert call(block, "submit", {"answers": as_browser(block, WRONG)})[0] == 200
        assert call(block, "submit", {"answers": as_browser(block, WRONG)})[0] == 403
    assert [row[:2] for row in rows(block)] == [("learner-a", 1), ("learner-b", 1)]


def test_set_score_is_the_score_until_the_next_submission(load_olx, published):
    from xblock.scorable import Score
    block = load_olx(quiz_olx(max_attempts=0))
    assert not block.has_submitted_answer() and block.get_score() == Score(0.0, 5.0)
    call(block, "submit", {"answers": as_browser(block, WRONG)})
    assert block.has_submitted_answer() and block.get_score() == Score(0.5, 5.0)
    block.set_score(Score(raw_earned=3.0, raw_possible=5.0))
    block.set_score(Score(raw_earned=4.0, raw_possible=5.0))
    assert block.get_score() == Score(4.0, 5.0), "the latest score set wins"
    assert list(ScoreSet.objects.values_list("earned", "after")) == [(3.0, 1), (4.0, 1)]
    _, state = call(block, "state", {})
    assert state["score"] == {"earned": 4.0, "possible": 5.0, "text": "Score: 4 of 5 points"}
    call(block, "reset", {})
    call(block, "submit", {"answers": as_browser(block, dict(RIGHT, public_limit="b"))})
    assert block.get_score() == Score(4.0, 5.0), "best of the submissions since: 4 of 5"
    call(block, "reset", {})
    call(block, "submit", {"answers": as_browser(block, RIGHT)})
    assert block.get_score() == Score(5.0, 5.0)


def test_rescore_grades_the_best_submissions_answers_against_the_current_bank(load_olx):
    from xblock.scorable import Score
    block = load_olx(quiz_olx(max_attempts=0))
    call(block, "submit", {"answers": as_browser(block, dict(RIGHT, public_limit="b"))})  # 4 of 5: the best
    call(block, "reset", {})
    call(block, "submit", {"answers": as_browser(block, WRONG)})
    assert block.calculate_score() == Score(4.0, 5.0)
    questions = [dict(q) for q in block.questions]
    for question in questions:  # the author now accepts b as the public limit
        if question["id"] == "public_limit":
            question["choices"] = [{**c, "correct": c["id"] == "b"} for c in question["choices"]]
    block.questions = questions
    rescored = block.calculate_score()
    assert rescored == Score(5.0, 5.0), "the best submission's answers, graded against the edited bank"
    block.set_score(rescored)
    assert block.get_score() == rescored
    assert submissions.standing(block.record_block_key(), block.learner_key(), "best").graded.attempt == 1
