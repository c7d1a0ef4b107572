"""Issue 17's quiz behaviours through the real handlers: drafts, Try again keeping answers, one rule
for unanswered questions, bare numbers in the question's unit, points, hints, Check, and the staff's
item analysis with texts and a CSV download."""
from __future__ import annotations

import csv
import io
import json

import pytest
from webob import Request

import records_database
from quiz_fixture import RIGHT, SECRETS, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz import analysis_csv, grading, wording
from rpt_xblocks.records.models import QuizCheck, QuizDraft, QuizSubmission


def call(block, handler, payload, method="POST"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = block.handle(handler, Request.blank("/", method=method, body=body, content_type="application/json"))
    return response.status_code, json.loads(response.body) if response.content_type == "application/json" else response


def by_id(state):
    return {q["id"]: q for q in state["questions"]}


@pytest.fixture
def quiz(load_olx):
    return load_olx(quiz_olx())


# ---- drafts -----------------------------------------------------------------------------------

def test_a_draft_is_saved_and_restored_on_reload(quiz):
    draft = as_browser(quiz, {"public_limit": "b", "limits_that_apply": ["a"], "i131_release_activity": "2"})
    assert call(quiz, "save_draft", {"attempt": 1, "answers": draft}) == (200, {"saved": 3})
    _, state = call(quiz, "state", {})
    assert {qid: q["draft"] for qid, q in by_id(state).items() if "draft" in q} == draft
    assert QuizDraft.objects.get().answers == draft, "stored in the learner's stand-ins, as sent"
    assert "b" not in json.dumps(QuizDraft.objects.get().answers["public_limit"])


def test_each_save_replaces_the_whole_draft_in_one_row(quiz):
    call(quiz, "save_draft", {"attempt": 1, "answers": as_browser(quiz, {"public_limit": "b", "release_is_by_dose": True})})
    call(quiz, "save_draft", {"attempt": 1, "answers": as_browser(quiz, {"release_is_by_dose": False, "limits_that_apply": []})})
    assert QuizDraft.objects.count() == 1
    assert QuizDraft.objects.get().answers == {"release_is_by_dose": False}, "not merged; empty = unanswered, left out"


@pytest.mark.parametrize("payload,status", [
    ({"attempt": 1, "answers": {"nope": "a"}}, 400),
    ({"attempt": 1, "answers": {"public_limit": "a"}}, 400),  # an author id, not a stand-in
    ({"attempt": 1, "answers": "everything"}, 400),
    ({"attempt": 1, "answers": {"release_is_by_dose": "yes"}}, 400),
    ({"attempt": 1, "answers": {"i131_release_activity": "1" * 100}}, 400),
    ({"attempt": 0, "answers": {}}, 400),
    ({"attempt": True, "answers": {}}, 400),
    ({"attempt": 2, "answers": {}}, 409),
    ({"attempt": 1, "answers": {}, "padding": "x" * 70_000}, 413),
])
def test_bad_drafts_are_refused_and_store_nothing(quiz, payload, status):
    before = records_database.rows()
    assert call(quiz, "save_draft", payload)[0] == status
    assert records_database.rows() == before


def test_a_draft_for_a_submitted_attempt_is_refused_and_changes_no_graded_record(quiz):
    call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    graded = list(QuizSubmission.objects.values())
    status, reply = call(quiz, "save_draft", {"attempt": 1, "answers": as_browser(quiz, RIGHT)})
    assert status == 409 and "already submitted" in reply["error"]
    assert list(QuizSubmission.objects.values()) == graded and not QuizDraft.objects.exists()
    assert call(quiz, "save_draft", {"attempt": 2, "answers": {}})[0] == 409, "Try again first"


def test_a_stale_draft_is_not_restored_after_its_attempt_was_submitted(quiz):
    call(quiz, "save_draft", {"attempt": 1, "answers": as_browser(quiz, {"public_limit": "c"})})
    call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    _, state = call(quiz, "reset", {})
    assert by_id(state)["public_limit"]["draft"] == as_browser(quiz, WRONG)["public_limit"], "Try again's answers"


def test_try_again_keeps_the_previous_answers_and_a_later_draft_wins(quiz):
    call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    _, state = call(quiz, "reset", {})
    assert {qid: q["draft"] for qid, q in by_id(state).items()} == as_browser(quiz, WRONG)
    assert not any("status" in q or "answer" in q for q in state["questions"])
    edited = as_browser(quiz, dict(WRONG, public_limit="a"))
    assert call(quiz, "save_draft", {"attempt": 2, "answers": edited})[0] == 200
    _, state = call(quiz, "state", {})
    assert {qid: q["draft"] for qid, q in by_id(state).items()} == edited


# ---- one rule for unanswered questions ----------------------------------------------------------

def test_unanswered_questions_need_confirmation_then_score_zero_whatever_their_type(quiz):
    partial = {"public_limit": "a", "limits_that_apply": [], "i131_release_activity": "  "}
    status, reply = call(quiz, "submit", {"answers": as_browser(quiz, partial)})
    assert status == 400 and sorted(reply["unanswered"]) == sorted(
        ["limits_that_apply", "release_is_by_dose", "i131_release_activity", "limits_in_order"])
    assert reply["error"].startswith("4 questions are not answered")
    assert not QuizSubmission.objects.exists()
    status, state = call(quiz, "submit", {"answers": as_browser(quiz, partial), "unanswered": "confirmed"})
    assert status == 200 and state["score"]["earned"] == 1.0
    statuses = {qid: q["status"] for qid, q in by_id(state).items()}
    assert statuses == {"public_limit": "correct", "limits_that_apply": "unanswered", "release_is_by_dose": "unanswered",
                        "i131_release_activity": "unanswered", "limits_in_order": "unanswered"}
    assert QuizSubmission.objects.get().answers == {"public_limit": "a"}


def test_an_empty_multiple_select_is_unanswered_not_partly_right():
    from rpt_xblocks.quiz.bank import Choice, Question
    question = Question(id="m", type="multiple", prompt="p", citation="c", scoring="partial",
                        choices=(Choice("a", "A", True), Choice("b", "B"), Choice("c", "C"), Choice("d", "D"), Choice("e", "E")))
    assert grading.grade(question, [], None) == grading.Result(0.0, grading.UNANSWERED)
    assert grading.grade(question, ["b"], None).earned == pytest.approx(0.6)  # a chosen answer still earns in part
    for answer in (None, "", "   ", []):
        assert grading.is_unanswered(answer)
    assert not grading.is_unanswered(False) and not grading.is_unanswered("0")


def test_one_unanswered_question_is_counted_in_the_singular(quiz):
    status, reply = call(quiz, "submit", {"answers": as_browser(quiz, {k: v for k, v in RIGHT.items() if k != "public_limit"})})
    assert status == 400 and reply["error"].startswith("1 question is not answered") and reply["unanswered"] == ["public_limit"]


# ---- numbers, points, hints ---------------------------------------------------------------------

def test_a_bare_number_is_read_in_the_questions_unit_and_the_feedback_says_so(quiz):
    status, state = call(quiz, "submit", {"answers": as_browser(quiz, dict(RIGHT, i131_release_activity="33"))})
    question = by_id(state)["i131_release_activity"]
    assert status == 200 and question["status"] == "correct"
    assert question["feedback"] == ["Read as 33 mCi: a number without a unit is taken in the question&#39;s unit."]
    assert "Read as" not in json.dumps(by_id(state)["public_limit"])


@pytest.mark.parametrize("value,shown", [(4.93, "4.9"), (4.96, "4.9"), (5.0, "5"), (0.5, "0.5"), (0.7, "0.7"),
                                         (4.75, "4.7"), (0.0, "0"), (10, "10"), (2.9999999999, "3")])
def test_points_are_shown_to_one_decimal_rounded_down(value, shown):
    assert wording.format_points(value) == shown


def test_scores_and_question_points_use_plural_forms(quiz):
    plural = lambda one, many, n: one if n == 1 else many  # noqa: E731
    assert wording.score_text(plural, 4.93, 10) == "Score: 4.9 of 10 points"
    assert wording.question_points(plural, 0.5, 1) == "0.5 of 1 point"
    assert wording.submissions_text(plural, 1) == "1 graded submission."
    _, state = call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    assert by_id(state)["limits_that_apply"]["points"] == "0.5 of 1 point"
    assert state["score"]["text"] == "Score: 0.5 of 5 points"


def test_no_hint_is_offered_for_a_question_answered_correctly(load_olx):
    block = load_olx(quiz_olx(max_attempts=0))
    _, state = call(block, "state", {})
    assert by_id(state)["public_limit"]["hint_offered"] is True
    _, state = call(block, "submit", {"answers": as_browser(block, dict(WRONG, public_limit="a"))})
    assert by_id(state)["public_limit"]["hint_offered"] is False
    assert call(block, "hint", {"question": "public_limit", "index": 0})[0] == 409
    _, state = call(block, "reset", {})
    assert by_id(state)["public_limit"]["hint_offered"] is True, "a new attempt: the hint is offered again"


# ---- Check ----------------------------------------------------------------------------------------

@pytest.fixture
def checkable(load_olx):
    return load_olx(quiz_olx(allow_check="true", max_checks=2, max_attempts=0))


def test_check_is_refused_unless_the_author_allows_it(quiz):
    _, state = call(quiz, "state", {})
    assert state["can_check"] is False and not any("checks_left" in q for q in state["questions"])
    status, _reply = call(quiz, "check", {"question": "public_limit", "answer": as_browser(quiz, {"public_limit": "a"})["public_limit"]})
    assert status == 403 and not QuizCheck.objects.exists()


def test_check_gives_one_verdict_uses_no_attempt_and_is_limited_in_the_database(checkable):
    sent = lambda answer: as_browser(checkable, {"public_limit": answer})["public_limit"]  # noqa: E731
    status, reply = call(checkable, "check", {"question": "public_limit", "answer": sent("b")})
    assert status == 200 and reply == {
        "question": "public_limit", "status": "incorrect", "checks_left": 1,
        "checks_left_text": "1 check left for this question.", "hint_offered": True,
        "feedback": ["<p>That is the occupational TEDE limit (10 CFR 20.1201).</p>"]}
    assert not any(secret in json.dumps(reply) for secret in SECRETS), "no key, no explanation"
    status, reply = call(checkable, "check", {"question": "public_limit", "answer": sent("a")})
    assert status == 200 and reply["status"] == "correct" and reply["hint_offered"] is False
    assert call(checkable, "check", {"question": "public_limit", "answer": sent("a")})[0] == 403, "limit reached"
    assert list(QuizCheck.objects.order_by("number").values_list("number", "status")) == [(1, "incorrect"), (2, "correct")]
    assert not QuizSubmission.objects.exists()
    _, state = call(checkable, "state", {})
    assert state["attempts"] == 0 and by_id(state)["public_limit"]["checks_left"] == 0
    assert by_id(state)["limits_that_apply"]["checks_left"] == 2
    assert by_id(state)["public_limit"]["hint_offered"] is False, "checked correct in this attempt"


@pytest.mark.parametrize("payload,status", [
    ({"question": "nope", "answer": "x"}, 400),
    ({"question": "public_limit", "answer": "a"}, 400),  # an author id
    ({"question": "limits_that_apply", "answer": []}, 400),  # unanswered
    ({"question": "i131_release_activity", "answer": "5 mSv"}, 400),  # wrong kind of unit
])
def test_a_check_that_cannot_be_graded_uses_no_check(checkable, payload, status):
    assert call(checkable, "check", payload)[0] == status
    assert not QuizCheck.objects.exists()


def test_check_is_refused_once_the_attempt_is_submitted(checkable):
    call(checkable, "submit", {"answers": as_browser(checkable, WRONG)})
    answer = as_browser(checkable, {"public_limit": "a"})["public_limit"]
    assert call(checkable, "check", {"question": "public_limit", "answer": answer})[0] == 409
    assert not QuizCheck.objects.exists()


def test_allow_check_needs_correctness_shown(load_olx):
    with pytest.raises(ValueError, match="allow_check .* needs show_correctness: always"):
        load_olx(quiz_olx(allow_check="true", show_correctness="never"))


# ---- item analysis for staff ----------------------------------------------------------------------

def test_item_analysis_shows_question_and_choice_texts(quiz, runtime):
    call(quiz, "submit", {"answers": as_browser(quiz, WRONG)})
    runtime.user_is_staff = True
    _, reply = call(quiz, "item_analysis", {})
    public = by_id(reply)["public_limit"]
    assert reply["submissions_text"] == "1 graded submission."
    assert public["prompt"] == "What is the annual dose limit for a member of the public?"
    assert public["options"] == [{"text": "1 mSv (0.1 rem)", "count": 0}, {"text": "50 mSv (5 rem)", "count": 1},
                                 {"text": "None of these", "count": 0}]
    assert by_id(reply)["release_is_by_dose"]["options"] == [{"text": "True", "count": 0}, {"text": "False", "count": 1}]


def test_the_csv_download_is_for_staff_only_and_safe_in_a_spreadsheet(load_olx, runtime):
    hostile = quiz_olx().replace("<p>What is the annual dose limit for a member of the public?</p>",
                                 "<p>=HYPERLINK(\"http://x\")</p>")
    block = load_olx(hostile)
    call(block, "submit", {"answers": as_browser(block, WRONG)})
    status, reply = call(block, "item_analysis_csv", b"", method="GET")
    assert status == 403 and "error" in reply
    assert call(block, "item_analysis", {})[0] == 403
    runtime.user_is_staff = True
    response = block.handle("item_analysis_csv", Request.blank("/", method="GET"))
    assert response.status_code == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8"))))
    assert rows[0][:2] == ["Question id", "Question"]
    public = [row for row in rows if row[0] == "public_limit"]
    assert [row[7] for row in public] == ["1 mSv (0.1 rem)", "50 mSv (5 rem)", "None of these"]
    assert all(row[1] == "'=HYPERLINK(\"http://x\")" for row in public)


@pytest.mark.parametrize("cell,safe", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                       ("\tx", "'\tx"), ("ok", "ok"), (-0.5, -0.5), (None, "")])
def test_csv_cells_starting_a_formula_are_made_text(cell, safe):
    assert analysis_csv.safe_cell(cell) == safe
