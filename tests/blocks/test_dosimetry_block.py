"""rpt_dosimetry on XBlock's TestRuntime through its real handlers: one step at a time with the
learner's own numbers, units checked, reference values revealed only when a step is finished."""
from __future__ import annotations

import json
from importlib import resources

import pytest
from lxml import etree
from webob import Request

from rpt_xblocks.dosimetry import attempts
from rpt_xblocks.dosimetry.walkthrough_view import parameter_value, shown_value
from rpt_xblocks.records.models import ScoreSet, StepAttempt

EXAMPLE = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")


@pytest.fixture
def walkthrough(load_olx):
    return load_olx(EXAMPLE)


def call(block, handler, payload):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = block.handle(handler, Request.blank("/", method="POST", body=body))
    return response.status_code, json.loads(response.body)


def reference(block):
    _scenario, parameters, expected = block._numbers()
    return parameters, expected


def test_the_page_shows_the_learners_numbers_but_no_reference_value_ahead(walkthrough):
    parameters, expected = reference(walkthrough)
    page = walkthrough.render("student_view", {}).content
    assert "7.4 GBq" in page and parameter_value(parameters["t"]) in page and "6.647 d" in page
    assert shown_value(expected["remaining"]) not in page and shown_value(expected["activity"]) not in page
    state = walkthrough.student_view_data()
    assert state["current"]["id"] == "remaining" and state["finished"] == []
    assert "What activity remains now" not in json.dumps(state), "later steps are not sent"


def test_a_wrong_kind_of_unit_is_explained_and_costs_no_attempt(walkthrough):
    status, reply = call(walkthrough, "check_step", {"step": "remaining", "answer": "5 mSv"})
    assert status == 400 and "pure number" in reply["error"] and "mSv" in reply["error"]
    assert not StepAttempt.objects.exists()
    _, state = call(walkthrough, "state", {})
    assert state["current"]["attempts_left"] == 2


def test_two_slips_reveal_the_reference_value_and_carry_it_forward(walkthrough, runtime):
    _, expected = reference(walkthrough)
    status, reply = call(walkthrough, "check_step", {"step": "remaining", "answer": "0.1"})
    assert status == 200 and reply["last"]["correct"] is False and reply["current"]["attempts_left"] == 1
    assert reply["finished"] == []
    status, reply = call(walkthrough, "check_step", {"step": "remaining", "answer": "0.2"})
    assert reply["finished"][0]["reference"] == shown_value(expected["remaining"])
    assert reply["current"]["id"] == "activity"
    # the second step is graded against the reference value, not the learner's slip
    right = f"{expected['activity'].m_as('MBq'):.6g} MBq"
    status, reply = call(walkthrough, "check_step", {"step": "activity", "answer": right})
    assert status == 200 and reply["last"]["correct"] is True and reply["current"] is None
    assert reply["score"] == {"earned": 1.0, "possible": 2.0}
    assert ("grade", {"value": 1.0, "max_value": 2.0, "only_if_higher": None}) in runtime.published
    assert ("completion", {"completion": 1.0}) in runtime.published


@pytest.mark.parametrize("payload,expected", [
    ({"step": "activity", "answer": "1 GBq"}, 409),
    ({"step": "remaining", "answer": ["0.5"]}, 400),
    ({"step": "remaining", "answer": "1" * 65}, 400),
    ({"step": "remaining", "answer": "<script>alert(1)</script>"}, 400),
    ({"step": "remaining"}, 400),
    (b"nonsense", 400),
])
def test_bad_requests_are_refused_and_change_nothing(walkthrough, runtime, payload, expected):
    status, reply = call(walkthrough, "check_step", payload)
    assert status == expected and reply["error"]
    assert not StepAttempt.objects.exists() and not [e for e in runtime.published if e[0] == "grade"]


def test_numbers_are_stable_per_learner_and_differ_between_learners(walkthrough):
    ids = walkthrough.scope_ids
    seen = set()
    for n in range(20):
        walkthrough.scope_ids = ids._replace(user_id=f"learner-{n}")
        first = reference(walkthrough)[0]["t"]
        assert reference(walkthrough)[0]["t"] == first
        seen.add(first.m_as("h"))
    assert len(seen) > 1 and seen <= {24, 36, 48, 60, 72}


def test_olx_round_trip(walkthrough, load_olx):
    node = etree.Element("rpt_dosimetry")
    walkthrough.add_xml_to_node(node)
    again = load_olx(etree.tostring(node, encoding="unicode"))
    for name in ("display_name", "step_attempts", "weight", "scenario_data"):
        assert getattr(again, name) == getattr(walkthrough, name), name


def test_a_scenario_with_a_broken_formula_is_refused_at_import(load_olx):
    with pytest.raises(ValueError, match="remainder"):
        load_olx(EXAMPLE.replace("A0 * remaining", "A0 * remainder"))


def test_the_summary_plot_comes_only_when_finished(walkthrough):
    _, expected = reference(walkthrough)
    assert "plot" not in walkthrough.student_view_data()
    call(walkthrough, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    assert "plot" not in walkthrough.student_view_data()
    _, state = call(walkthrough, "check_step", {"step": "activity", "answer": f"{expected['activity'].m_as('GBq'):.5f} GBq"})
    svg = etree.fromstring(state["plot"])
    assert svg.get("role") == "img" and svg.findtext("{http://www.w3.org/2000/svg}title") == "Lu-177 activity over two weeks"
    desc = svg.findtext("{http://www.w3.org/2000/svg}desc")
    assert desc.startswith("activity (GBq) against time since calibration (h): 7.40 at 0") and "your case" in desc
    assert svg.find("{http://www.w3.org/2000/svg}circle") is not None
    assert not svg.xpath("//*[local-name()='script']") and "href" not in state["plot"]


def studio_content(block):
    node = etree.Element("rpt_dosimetry")
    block.add_xml_to_node(node)
    return "".join(etree.tostring(child, encoding="unicode") for child in node)


def test_the_studio_editor_saves_a_valid_edit_and_refuses_an_invalid_one(walkthrough):
    walkthrough.runtime.user_is_staff = True  # studio_submit is for authors and staff (olx_block.may_edit)
    html = walkthrough.render("studio_view", {}).content
    for name in ("display_name", "step_attempts", "weight"):
        assert f'for="rpt-walkthrough-{name}"' in html
    content = studio_content(walkthrough)
    status, reply = call(walkthrough, "studio_submit", {"display_name": "Edited", "step_attempts": 3, "weight": 2,
                                                        "content_xml": content.replace("What activity remains now?", "And now?")})
    assert status == 200 and reply == {"saved": True, "steps": 2}
    assert walkthrough.display_name == "Edited" and walkthrough.step_attempts == 3
    assert "And now?" in walkthrough.scenario_data["steps"][1]["prompt"]
    before = json.dumps(walkthrough.scenario_data, sort_keys=True)
    status, reply = call(walkthrough, "studio_submit", {"display_name": "Broken", "step_attempts": 0, "weight": 1,
                                                        "content_xml": content.replace("A0 * remaining", "A0 * remainder")})
    assert status == 400 and reply["error"] == "The walkthrough was not saved: fix these problems."
    assert any("remainder" in p for p in reply["problems"]) and any("step_attempts" in p for p in reply["problems"])
    status, _ = call(walkthrough, "studio_submit", {"display_name": "x", "step_attempts": 1, "weight": 1,
                                                    "content_xml": '<!DOCTYPE a [<!ENTITY b "c">]><step/>'})
    assert status == 400
    assert walkthrough.display_name == "Edited" and json.dumps(walkthrough.scenario_data, sort_keys=True) == before


def test_hints_one_at_a_time(walkthrough):
    status, reply = call(walkthrough, "hint", {"step": "remaining", "index": 0})
    assert status == 200 and "ln 2" in reply["hint"] and reply["hint_count"] == 1
    for bad in ({"step": "remaining", "index": 1}, {"step": "remaining", "index": True}, {"step": "nope", "index": 0}):
        assert call(walkthrough, "hint", bad)[0] == 400


def test_a_hint_shows_the_learners_parameters_and_earlier_steps(load_olx):
    hinted = EXAMPLE.replace("put t and T½ in the same unit.</p></hint>", "here t = {t}, T½ = {T_half}.</p></hint>").replace(
        "<prompt><p>What activity remains now?</p></prompt>",
        "<prompt><p>What activity remains now?</p></prompt><hint><p>Multiply {A0} by {remaining}.</p></hint>")
    block = load_olx(hinted)
    parameters, expected = reference(block)
    status, reply = call(block, "hint", {"step": "remaining", "index": 0})
    assert status == 200 and f"here t = {parameter_value(parameters['t'])}, T½ = 6.647 d." in reply["hint"]
    call(block, "check_step", {"step": "remaining", "answer": "0.1"})
    call(block, "check_step", {"step": "remaining", "answer": "0.1"})
    status, reply = call(block, "hint", {"step": "activity", "index": 0})
    assert status == 200 and reply["hint"] == f"<p>Multiply 7.4 GBq by {shown_value(expected['remaining'])}.</p>"


def test_rescore_recomputes_the_stored_score(walkthrough):
    _, expected = reference(walkthrough)
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.1"})
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.1"})
    call(walkthrough, "check_step", {"step": "activity", "answer": f"{expected['activity'].m_as('GBq'):.5f} GBq"})
    assert walkthrough.get_score() == walkthrough.calculate_score()
    assert walkthrough.get_score().raw_earned == 1.0 and walkthrough.get_score().raw_possible == 2.0


def test_the_memoized_sanitizer_sees_only_author_text_never_a_learners_numbers(walkthrough, monkeypatch):
    """`sanitize` is memoized for the whole process: what it is given must not depend on the learner
    (the LMS worker would otherwise keep learners' numbers); the numbers are filled in afterwards."""
    from rpt_xblocks.dosimetry import walkthrough_view

    seen = []
    real = walkthrough_view.sanitize
    monkeypatch.setattr(walkthrough_view, "sanitize", lambda html: seen.append(html) or real(html))
    _, expected = reference(walkthrough)
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.1"})
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.2"})
    page = walkthrough.render("student_view", {}).content
    scenario = walkthrough._numbers()[0]
    authored = {text for step in scenario.steps for text in (step.prompt, step.explanation)}
    assert seen and set(seen) <= authored
    assert shown_value(expected["remaining"]) in page  # the finished step shows its number, filled in


# ---- attempts claimed as rows ---------------------------------------------------------------------

def step_rows(block):
    return list(StepAttempt.objects.filter(block=block.record_block_key()).order_by("step", "attempt")
                .values_list("step", "attempt", "answer", "correct"))


def test_each_answer_is_a_row_and_no_step_takes_more_than_its_attempts(walkthrough):
    _, expected = reference(walkthrough)
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.1"})
    call(walkthrough, "check_step", {"step": "remaining", "answer": "0.2"})
    assert step_rows(walkthrough) == [("remaining", 1, "0.1", False), ("remaining", 2, "0.2", False)]
    status, reply = call(walkthrough, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    assert status == 409 and len(step_rows(walkthrough)) == 2
    key, learner = walkthrough.record_block_key(), walkthrough.learner_key()
    with pytest.raises(attempts.Refused):  # the store itself refuses a third attempt
        attempts.check(key, learner, "remaining", "0.3", True, walkthrough.step_attempts)
    assert len(step_rows(walkthrough)) == 2


def test_a_step_answered_right_takes_no_more_attempts(walkthrough):
    _, expected = reference(walkthrough)
    call(walkthrough, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    with pytest.raises(attempts.Refused):
        attempts.check(walkthrough.record_block_key(), walkthrough.learner_key(), "remaining", "0.1", False, 2)
    assert [row[:2] for row in step_rows(walkthrough)] == [("remaining", 1)]


def test_losing_the_claim_is_a_409_that_says_nothing_about_correctness(walkthrough, runtime, monkeypatch):
    """Another request's row for attempt 1 was committed after this request read the learner's rows."""
    from datetime import datetime, timezone
    other = StepAttempt.objects.create(block=walkthrough.record_block_key(), learner=walkthrough.learner_key(),
                                       step="remaining", attempt=1, answer="0.9", correct=False,
                                       created=datetime.now(timezone.utc))
    real_filter = StepAttempt.objects.filter
    monkeypatch.setattr(StepAttempt.objects, "filter", lambda **kw: real_filter(**kw).exclude(pk=other.pk))
    _, expected = reference(walkthrough)
    status, reply = call(walkthrough, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    assert status == 409 and set(reply) == {"error"} and "correct" not in reply["error"].lower()
    assert not [e for e in runtime.published if e[0] == "edx.rpt_dosimetry.step_checked"]
    monkeypatch.undo()
    assert step_rows(walkthrough) == [("remaining", 1, "0.9", False)]


def test_set_score_is_the_score_until_the_next_answer(walkthrough):
    from xblock.scorable import Score
    _, expected = reference(walkthrough)
    assert not walkthrough.has_submitted_answer() and walkthrough.get_score() == Score(0.0, 2.0)
    call(walkthrough, "check_step", {"step": "remaining", "answer": f"{expected['remaining']:.5f}"})
    assert walkthrough.has_submitted_answer() and walkthrough.get_score() == Score(1.0, 2.0)
    walkthrough.set_score(Score(raw_earned=2.0, raw_possible=2.0))
    assert walkthrough.get_score() == Score(2.0, 2.0)
    assert list(ScoreSet.objects.values_list("earned", "after")) == [(2.0, 1)]
    call(walkthrough, "check_step", {"step": "activity", "answer": "1 GBq"})
    assert walkthrough.get_score() == Score(1.0, 2.0), "a later answer: the score comes from the rows again"
    assert walkthrough.calculate_score() == Score(1.0, 2.0)
