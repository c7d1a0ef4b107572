"""Item analysis equals numbers computed by hand, counts every graded submission once (whoever made
it, whichever attempt), is staff-only, and Open edX's problem response report gets one row per
learner and answered question of their latest submission."""
from __future__ import annotations

import json
from collections import namedtuple
from datetime import datetime, timezone

import pytest
from webob import Request

from quiz_fixture import RIGHT, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz import analysis, item_totals, learner_view
from rpt_xblocks.quiz.bank import Choice, Question
from rpt_xblocks.records.models import QuizSubmission

Q1 = Question(id="q1", type="single", prompt="p", citation="c",
              choices=tuple(Choice(id=i, text=i, correct=i == "a") for i in "abc"))
Q2 = Question(id="q2", type="multiple", prompt="p", citation="c", scoring="partial",
              choices=tuple(Choice(id=i, text=i, correct=i in "ab") for i in "abcd"))


def submission(q1, q2=None):
    """(answers, results) as the quiz stores them: q1 (earned, choice), q2 (earned, choices)."""
    answers, results = {"q1": q1[1]}, {"q1": {"earned": q1[0], "status": ""}}
    if q2 is not None:
        answers["q2"], results["q2"] = q2[1], {"earned": q2[0], "status": ""}
    return answers, results


# Eight submissions, scored by their mean earned: L2 1.0, L1 0.875, L6 0.75, L4 0.625, L5 0.375,
# L3 0.25, L7 and L8 0. Groups of 27%: round(0.27 x 8) = 2 -> upper L2, L1; lower L7, L8.
SUBMISSIONS = {
    "L1": submission((1, "a"), (0.75, ["a"])),
    "L2": submission((1, "a"), (1.0, ["a", "b"])),
    "L3": submission((0, "b"), (0.5, ["a", "c"])),
    "L4": submission((1, "a"), (0.25, ["c"])),
    "L5": submission((0, "c"), (0.75, ["b"])),
    "L6": submission((1, "a"), (0.5, ["a", "d"])),
    "L7": submission((0, "b")),
    "L8": submission((0, "b"), (0.0, ["c", "d"])),
}


def item_analysis(submissions, questions):
    return analysis.item_analysis(item_totals.totals(submissions.values(), {q.id: q for q in questions}), questions)


def test_figures_equal_the_hand_computed_ones():
    q1, q2 = item_analysis(SUBMISSIONS, [Q1, Q2])
    # q1: 4 of 8 right; upper group 2/2 right, lower group 0/2: D = 1 - 0.
    assert q1 == {"id": "q1", "type": "single", "responses": 8, "unanswered": 0, "percent_correct": 50.0,
                  "distribution": {"a": 4, "b": 3, "c": 1}, "discrimination": 1.0}
    # q2: answered by 7; mean earned 3.75 / 7 = 0.5357; upper (0.75 + 1.0) / 2 = 0.875; lower: only L8
    # answered it, 0.0; D = 0.875.
    assert q2 == {"id": "q2", "type": "multiple", "responses": 7, "unanswered": 0, "percent_correct": 53.6,
                  "distribution": {"a": 4, "b": 2, "c": 3, "d": 2}, "discrimination": 0.875}


def test_one_learner_has_no_discrimination_index():
    (q1,) = item_analysis({"L1": SUBMISSIONS["L1"]}, [Q1])
    assert q1["discrimination"] is None and q1["percent_correct"] == 100.0


def call(block, handler, payload):
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode(), content_type="application/json")
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body)


def as_learner(block, learner):
    block.scope_ids = block.scope_ids._replace(user_id=learner)
    return block


def test_every_graded_submission_counts_once_and_only_staff_can_read_it(load_olx, runtime):
    block = load_olx(quiz_olx(max_attempts=0))
    history = [("learner-a", RIGHT), ("learner-b", WRONG), ("learner-c", RIGHT),
               ("learner-b", dict(RIGHT, public_limit="c")), ("learner-b", RIGHT)]
    for learner, answers in history:
        as_learner(block, learner)
        call(block, "reset", {})  # refused (409) before a learner's first submission; changes nothing
        assert call(block, "submit", {"answers": as_browser(block, as_browser(block, answers))})[0] == 200
    as_learner(block, "learner-b")
    assert call(block, "submit", {"answers": as_browser(block, as_browser(block, RIGHT))})[0] == 409  # refused: not counted
    as_learner(block, "learner-d")
    assert call(block, "submit", {"answers": as_browser(block, dict(RIGHT, public_limit="z"))})[0] == 400  # refused: not counted
    status, reply = call(block, "item_analysis", {})
    assert status == 403 and set(reply) == {"error"}
    runtime.user_is_staff = True
    status, reply = call(block, "item_analysis", {})
    assert status == 200 and reply["learners"] == reply["submissions"] == 5
    by_id = {q["id"]: q for q in reply["questions"]}
    assert {q["responses"] for q in reply["questions"]} == {5}
    assert by_id["public_limit"]["percent_correct"] == pytest.approx(60.0)
    assert by_id["public_limit"]["distribution"] == {"a": 3, "b": 1, "c": 1}
    assert by_id["release_is_by_dose"]["distribution"] == {"true": 4, "false": 1}  # true is right
    assert "learner-a" not in json.dumps(reply)


def test_the_analysis_equals_one_computed_from_the_rows(load_olx, runtime):
    """The same numbers as item_totals computed from every stored submission, taken one by one."""
    block = load_olx(quiz_olx(max_attempts=0, draw=3))
    for n in range(7):
        as_learner(block, f"learner-{n % 3}")
        call(block, "reset", {})
        drawn = [q["id"] for q in call(block, "state", {})[1]["questions"]]
        answers = {q: (WRONG if i == 0 or (n + i) % 2 else RIGHT)[q] for i, q in enumerate(drawn)}  # never all right
        assert call(block, "submit", {"answers": as_browser(block, answers)})[0] == 200
    rows = list(QuizSubmission.objects.values_list("answers", "results"))
    assert sorted(QuizSubmission.objects.values_list("learner", "attempt")) == [
        ("learner-0", 1), ("learner-0", 2), ("learner-0", 3), ("learner-1", 1), ("learner-1", 2), ("learner-2", 1),
        ("learner-2", 2)]
    runtime.user_is_staff = True
    _, reply = call(block, "item_analysis", {})
    questions = block.bank_questions()
    expected = analysis.item_analysis(item_totals.totals(rows, {q.id: q for q in questions}), questions)
    assert reply["submissions"] == 7 and reply["submissions_text"] == "7 graded submissions."
    texts = {q.id: learner_view.plain_text(q.prompt) for q in questions}
    assert [{k: v for k, v in q.items() if k not in ("prompt", "options")} for q in reply["questions"]] \
        == json.loads(json.dumps(expected))
    assert [q["prompt"] for q in reply["questions"]] == [texts[q["id"]] for q in expected]
    assert sum(q["responses"] for q in reply["questions"]) == 7 * 3


def test_staff_see_the_analysis_button_and_learners_do_not(load_olx, runtime):
    block = load_olx(quiz_olx())

    def init_data():  # the block's initial data, as the page carries it (script-safe JSON inside JSON)
        page = block.render("student_view", {}).content
        args = page.split('class="xblock_json_init_args">', 1)[1].split("</script>", 1)[0]
        return json.loads(json.loads(args)["rpt"])
    assert init_data()["staff"] is False
    runtime.user_is_staff = True
    assert init_data()["staff"] is True


UserState = namedtuple("UserState", "username state")


def stored(block, learner, username, attempt, answers, results, reset=False):
    QuizSubmission.objects.create(block=block.record_block_key(), learner=learner, username=username, attempt=attempt,
                                  answers=answers, results=results, reset=reset, created=datetime.now(timezone.utc))


def test_problem_response_report_rows(load_olx):
    block = load_olx(quiz_olx())
    stored(block, "anon-ada", "ada", 1, {"public_limit": "c"}, {"public_limit": {"earned": 0, "status": "incorrect"}},
           reset=True)
    stored(block, "anon-ada", "ada", 2, {"public_limit": "b", "limits_in_order": ["step2", "step1", "step3"]},
           {"public_limit": {"earned": 0, "status": "incorrect"}})
    stored(block, "anon-bo", "bo", 1, {"public_limit": "a"}, {"public_limit": {"earned": 1, "status": "correct"}})
    states = [UserState("ada", {}), UserState("cy", {})]
    rows = list(block.generate_report_data(iter(states)))
    assert rows == [
        ("ada", {"Question": "Put these limits from lowest to highest.",
                 "Answer": "1 mSv per year (public) > 0.02 mSv in any one hour (public) > 50 mSv per year (occupational TEDE)",
                 "Correctness": "", "Attempts": 2}),
        ("ada", {"Question": "What is the annual dose limit for a member of the public?", "Answer": "50 mSv (5 rem)",
                 "Correctness": "incorrect", "Attempts": 2}),
    ]
    assert len(list(block.generate_report_data(iter(states), limit_responses=1))) == 1


def test_submissions_store_the_username_the_user_service_gives(load_olx, runtime):
    block = load_olx(quiz_olx())

    class User:
        opt_attrs = {"edx-platform.username": "ada", "edx-platform.anonymous_user_id": "anon-ada"}

    class UserService:
        def get_current_user(self):
            return User()
    runtime._services["user"] = UserService()  # pylint: disable=protected-access
    assert call(block, "submit", {"answers": as_browser(block, RIGHT)})[0] == 200
    assert list(QuizSubmission.objects.values_list("learner", "username")) == [("anon-ada", "ada")]
    assert [name for name, _row in block.generate_report_data(iter([UserState("ada", {})]))] == ["ada"] * len(RIGHT)
