"""The walkthrough as learners meet it (issue 17): parameters under the author's labels, a wrong
answer diagnosed where the author describes the mistake (its value never sent), every try kept in
the step's history, percentages read with or without "%", and practice rounds that grade nothing."""
from __future__ import annotations

import json
from importlib import resources

import pytest
from webob import Request

from rpt_xblocks.dosimetry.practice import practice_parameters
from rpt_xblocks.dosimetry.walkthrough_view import shown_value
from rpt_xblocks.records.models import ScoreSet, StepAttempt

EXAMPLE = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")

PERCENT = """<rpt_dosimetry display_name="Dosage check" step_attempts="2">
  <parameter name="A_presc" label="Prescribed activity" unit="GBq" value="7.4"/>
  <parameter name="A_cal" label="Activity at calibration" unit="GBq" min="7.6" max="8.1" step="0.05"/>
  <parameter name="df" label="Decay factor" unit="" value="0.9"/>
  <parameter name="limit" label="Limit" unit="" value="20" percent="true"/>
  <step id="pct" unit="" percent="true" tolerance="0.5">
    <formula>100 * (A_cal * df / A_presc - 1)</formula>
    <prompt><p>By what percentage does {A_cal} after decay differ from {A_presc}? The limit is {limit}.</p></prompt>
    <explanation><p>It is {pct}.</p></explanation>
    <mistake message="not decay-corrected"><formula>100 * (A_cal / A_presc - 1)</formula></mistake>
  </step>
</rpt_dosimetry>"""


def call(block, handler, payload):
    response = block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode()))
    return response.status_code, json.loads(response.body)


def numbers(block):
    _scenario, parameters, expected = block._numbers()
    return parameters, expected


def test_parameters_are_shown_with_their_labels_and_units(load_olx):
    block = load_olx(EXAMPLE)
    page = block.render("student_view", {}).content
    state = block.student_view_data()
    assert [(p["label"], p["value"]) for p in state["parameters"]][:2] == [
        ("Calibrated activity", "7.4 GBq"), ("Lu-177 half-life", "6.647 d")]
    assert "Calibrated activity" in page
    percent = load_olx(PERCENT).student_view_data()
    assert {"label": "Limit", "value": "20%"}.items() <= percent["parameters"][3].items()
    assert "The limit is 20%." in percent["current"]["prompt"]


def test_a_wrong_answer_matching_a_described_mistake_gets_its_message_and_no_value(load_olx):
    block = load_olx(EXAMPLE)
    parameters, expected = numbers(block)
    call(block, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    status, reply = call(block, "check_step", {"step": "activity", "answer": "7.4 GBq"})  # A0: decay forgotten
    assert status == 200 and reply["last"]["correct"] is False
    assert reply["last"]["diagnosis"] == "not decay-corrected: that is the activity at calibration."
    assert reply["current"]["tries"] == [{"answer": "7.4 GBq", "correct": False,
                                          "diagnosis": "not decay-corrected: that is the activity at calibration."}]
    status, reply = call(block, "check_step", {"step": "activity", "answer": "1 GBq"})  # a slip nobody described
    assert reply["last"]["diagnosis"] == ""
    text = json.dumps(reply)
    inverted = 1 / expected["remaining"]
    assert shown_value(inverted) not in text and f"{inverted:.4f}" not in text, "no mistake's value is sent"
    assert "<mistake" not in block.render("student_view", {}).content


def test_every_try_stays_in_the_steps_history_after_it_is_done(load_olx):
    block = load_olx(EXAMPLE)
    _, expected = numbers(block)
    inverted = 1 / expected["remaining"]
    call(block, "check_step", {"step": "remaining", "answer": f"{inverted:.4f}"})
    _, state = call(block, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    tries = state["finished"][0]["tries"]
    assert [t["correct"] for t in tries] == [False, True]
    assert tries[0]["answer"] == f"{inverted:.4f}" and tries[0]["diagnosis"].startswith("decay factor inverted")
    assert StepAttempt.objects.filter(step="remaining").count() == 2  # the history is the rows
    assert json.loads(json.dumps(block._state()))["finished"][0]["tries"] == tries


@pytest.mark.parametrize("suffix", ["%", " %", ""])
def test_a_percentage_reads_with_or_without_the_sign(load_olx, suffix):
    block = load_olx(PERCENT)
    _, expected = numbers(block)
    status, reply = call(block, "check_step", {"step": "pct", "answer": f"{expected['pct']:.3f}{suffix}"})
    assert status == 200 and reply["last"]["correct"] is True
    assert reply["finished"][0]["reference"] == shown_value(expected["pct"]) + "%"
    assert "It is " + shown_value(expected["pct"]) + "%." in reply["finished"][0]["explanation"]


def test_a_percent_sign_where_no_percentage_is_asked_is_explained_and_costs_nothing(load_olx):
    block = load_olx(EXAMPLE)
    status, reply = call(block, "check_step", {"step": "remaining", "answer": "50%"})
    assert status == 400 and "does not ask for a percentage" in reply["error"] and "U+0025" not in reply["error"]
    status, reply = call(load_olx(PERCENT), "check_step", {"step": "pct", "answer": "5%%"})
    assert status == 400 and "for example 12 or 12%" in reply["error"]
    assert not StepAttempt.objects.exists()


def test_the_percentage_mistake_is_diagnosed(load_olx):
    block = load_olx(PERCENT)
    parameters, _ = numbers(block)
    undecayed = 100 * (parameters["A_cal"].m_as("GBq") / 7.4 - 1)
    _, reply = call(block, "check_step", {"step": "pct", "answer": f"{undecayed:.2f}%"})
    assert reply["last"]["diagnosis"] == "not decay-corrected"


def finish(block):
    _, expected = numbers(block)
    call(block, "check_step", {"step": "remaining", "answer": "0.1"})
    call(block, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    return call(block, "check_step", {"step": "activity", "answer": f"{expected['activity'].m_as('GBq'):.5f} GBq"})[1]


def graded_record(block):
    return (list(StepAttempt.objects.order_by("id").values_list("step", "attempt", "answer", "correct")),
            ScoreSet.objects.count(), block.get_score(), json.dumps(block._state(), sort_keys=True))


def test_practice_waits_until_the_walkthrough_is_finished(load_olx):
    block = load_olx(EXAMPLE)
    status, reply = call(block, "practice", {"round": 1})
    assert status == 409 and "Finish the walkthrough first" in reply["error"]
    status, _ = call(block, "practice_check", {"round": 1, "step": "remaining", "reveal": True})
    assert status == 409


def test_practice_rounds_draw_new_numbers_and_grade_nothing(load_olx, runtime):
    block = load_olx(EXAMPLE)
    finish(block)
    before, published = graded_record(block), list(runtime.published)
    rounds = {}
    for number in range(1, 6):
        status, reply = call(block, "practice", {"round": number})
        assert status == 200 and reply["round"] == number and reply["step"]["id"] == "remaining"
        assert call(block, "practice", {"round": number})[1] == reply, "the same round gives the same numbers"
        rounds[number] = reply["parameters"][2]["value"]
    assert len(set(rounds.values())) > 1, "rounds draw other numbers"
    parameters = practice_parameters(block.scenario(), block.seed_key(), 2)
    import math
    remaining = math.exp(-math.log(2) * parameters["t"].m_as("h") / (6.647 * 24))
    status, reply = call(block, "practice_check", {"round": 2, "step": "remaining", "answer": "0.1"})
    assert status == 200 and reply["correct"] is False and "reference" not in reply
    status, reply = call(block, "practice_check", {"round": 2, "step": "remaining", "answer": f"{1 / remaining:.5f}"})
    assert reply["diagnosis"].startswith("decay factor inverted")
    status, reply = call(block, "practice_check", {"round": 2, "step": "remaining", "answer": f"{remaining:.5f}"})
    assert reply["correct"] is True and reply["next"]["id"] == "activity" and reply["reference"]
    status, reply = call(block, "practice_check", {"round": 2, "step": "activity", "reveal": True})
    assert reply["correct"] is False and reply["reference"] == shown_value(7.4 * remaining) + " GBq" and reply["next"] is None
    assert graded_record(block) == before, "the graded record is untouched"
    assert runtime.published == published, "no grade, completion or step event"


@pytest.mark.parametrize("payload", [{"round": 0}, {"round": "1"}, {"round": True}, {"round": 10 ** 6}, {}])
def test_a_practice_round_must_be_a_small_whole_number(load_olx, payload):
    block = load_olx(EXAMPLE)
    finish(block)
    assert call(block, "practice", payload)[0] == 400


def test_practice_refuses_what_is_not_an_answer(load_olx):
    block = load_olx(EXAMPLE)
    finish(block)
    assert call(block, "practice_check", {"round": 1, "step": "nope", "reveal": True})[0] == 400
    status, reply = call(block, "practice_check", {"round": 1, "step": "activity", "answer": "5 mSv"})
    assert status == 400 and "mSv" in reply["error"]
    assert call(block, "practice_check", {"round": 1, "step": "activity", "answer": ""})[0] == 400
