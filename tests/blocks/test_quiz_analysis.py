"""Item analysis equals numbers computed by hand, is staff-only, and Open edX's problem response
report gets one row per learner and answered question."""
from __future__ import annotations

import json
from collections import namedtuple

import pytest
from webob import Request

from quiz_fixture import RIGHT, WRONG, as_browser, quiz_olx
from rpt_xblocks.quiz import analysis
from rpt_xblocks.quiz.item_totals import with_records
from rpt_xblocks.quiz.bank import Choice, Question

Q1 = Question(id="q1", type="single", prompt="p", citation="c",
              choices=tuple(Choice(id=i, text=i, correct=i == "a") for i in "abc"))
Q2 = Question(id="q2", type="multiple", prompt="p", citation="c", scoring="partial",
              choices=tuple(Choice(id=i, text=i, correct=i in "ab") for i in "abcd"))


def record(score, q1, q2=None):
    items = {"q1": {"earned": q1[0], "chosen": q1[1]}}
    if q2 is not None:
        items["q2"] = {"earned": q2[0], "chosen": q2[1]}
    return {"score": score, "items": items}


# Eight learners. Groups of 27%: round(0.27 x 8) = 2 -> upper L1, L2; lower L8, L7.
RECORDS = {
    "L1": record(0.95, (1, ["a"]), (0.75, ["a"])),
    "L2": record(0.90, (1, ["a"]), (1.0, ["a", "b"])),
    "L3": record(0.70, (0, ["b"]), (0.5, ["a", "c"])),
    "L4": record(0.60, (1, ["a"]), (0.25, ["c"])),
    "L5": record(0.50, (0, ["c"]), (0.75, ["b"])),
    "L6": record(0.40, (1, ["a"]), (0.5, ["a", "d"])),
    "L7": record(0.20, (0, ["b"])),
    "L8": record(0.10, (0, ["b"]), (0.0, ["c", "d"])),
}


def item_analysis(records, questions):
    return analysis.item_analysis(with_records({}, records), questions)


def test_figures_equal_the_hand_computed_ones():
    q1, q2 = item_analysis(RECORDS, [Q1, Q2])
    # q1: 4 of 8 right; upper group 2/2 right, lower group 0/2: D = 1 - 0.
    assert q1 == {"id": "q1", "type": "single", "responses": 8, "percent_correct": 50.0,
                  "distribution": {"a": 4, "b": 3, "c": 1}, "discrimination": 1.0}
    # q2: answered by 7; mean earned 3.75 / 7 = 0.5357; upper (0.75 + 1.0) / 2 = 0.875; lower: only L8
    # answered it, 0.0; D = 0.875.
    assert q2 == {"id": "q2", "type": "multiple", "responses": 7, "percent_correct": 53.6,
                  "distribution": {"a": 4, "b": 2, "c": 3, "d": 2}, "discrimination": 0.875}


def test_one_learner_has_no_discrimination_index():
    (q1,) = item_analysis({"L1": RECORDS["L1"]}, [Q1])
    assert q1["discrimination"] is None and q1["percent_correct"] == 100.0


def call(block, handler, payload):
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode(), content_type="application/json")
    response = block.handle(handler, request)
    return response.status_code, json.loads(response.body)


def test_the_block_keeps_the_aggregate_and_only_staff_can_read_it(load_olx, runtime):
    block = load_olx(quiz_olx(max_attempts=0))
    ids = block.scope_ids
    for learner, answers in (("learner-a", RIGHT), ("learner-b", WRONG), ("learner-c", RIGHT)):
        block.scope_ids = ids._replace(user_id=learner)
        block.answers, block.results, block.attempts, block.item_contribution = {}, {}, 0, {}  # each learner's own state
        assert call(block, "submit", {"answers": as_browser(block, answers)})[0] == 200
    before = dict(block.item_totals)
    status, reply = call(block, "item_analysis", {})
    assert status == 403 and block.item_totals == before
    runtime.user_is_staff = True
    status, reply = call(block, "item_analysis", {})
    assert status == 200 and reply["learners"] == 3
    by_id = {q["id"]: q for q in reply["questions"]}
    assert by_id["public_limit"]["responses"] == 3
    assert by_id["public_limit"]["percent_correct"] == pytest.approx(66.7)
    assert by_id["public_limit"]["distribution"] == {"a": 2, "b": 1, "c": 0}
    assert by_id["release_is_by_dose"]["distribution"] == {"true": 2, "false": 1}
    assert "learner-a" not in json.dumps(reply) and "learner-a" not in json.dumps(block.item_totals)


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


def test_problem_response_report_rows(load_olx):
    block = load_olx(quiz_olx())
    states = [UserState("ada", {"answers": {"public_limit": "b", "limits_in_order": ["step2", "step1", "step3"]},
                                "results": {"public_limit": {"earned": 0, "status": "incorrect"}}, "attempts": 1})]
    rows = list(block.generate_report_data(iter(states)))
    assert rows == [
        ("ada", {"Question": "Put these limits from lowest to highest.",
                 "Answer": "1 mSv per year (public) > 0.02 mSv in any one hour (public) > 50 mSv per year (occupational TEDE)",
                 "Correctness": "", "Attempts": 1}),
        ("ada", {"Question": "What is the annual dose limit for a member of the public?", "Answer": "50 mSv (5 rem)",
                 "Correctness": "incorrect", "Attempts": 1}),
    ]
    assert len(list(block.generate_report_data(iter(states), limit_responses=1))) == 1
