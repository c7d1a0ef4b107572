"""A learner completes every dosimetry walkthrough shipped in course_content/ in Chromium, on the
preview of the real course, answering each step right with its unit: every step is marked right,
the summary says "Steps right: N of N", axe finds nothing in the unit, and nothing goes wrong.

The learner's own numbers are computed here as the block computes them: the scenario compiled from
the built OLX, seeded with "<user id>|<usage id>" (in the workbench the user id is the ?student=
value; the usage id is on the block's wrapper). The numbers the page shows are checked against
them first, so a wrong seed fails clearly instead of as a wrong answer.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from rpt_course.build import build_files
from rpt_course.preview.scenarios import course_scenarios, scenario_url
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import TAG, scenario_from_xml
from rpt_xblocks.dosimetry.walkthrough_view import parameter_value
from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser

_, FILES = build_files(Path(__file__).resolve().parents[2] / "course_content")


def _walkthroughs() -> list[tuple[str, str, object]]:
    """(url_name, the workbench page of its unit, its scenario) for every walkthrough in the course."""
    found = []
    for name, _description, xml in course_scenarios(FILES):
        for element in etree.fromstring(xml).iter(TAG):
            scenario, errors = scenario_from_xml(element)
            assert errors == [], (element.get("url_name"), errors)
            found.append((element.get("url_name"), scenario_url(name), scenario))
    return found


WALKTHROUGHS = _walkthroughs()


def test_the_course_ships_the_walkthroughs_this_test_expects():
    assert {url_name for url_name, _, _ in WALKTHROUGHS} >= {
        "rp_i131_release_walkthrough", "rp_i131_instructions_walkthrough", "rp_i131_dose_rate_walkthrough",
        "do_lutathera_kidney_walkthrough", "do_pluvicto_decay_walkthrough", "do_xofigo_volume_walkthrough"}


def _answer(value, unit: str) -> str:
    """The reference value as a learner would type it, with the step's unit."""
    number = value.m_as(unit) if unit else float(value)
    return f"{number:.6g} {unit}".strip()


@pytest.mark.parametrize(("url_name", "path", "scenario"), WALKTHROUGHS, ids=[w[0] for w in WALKTHROUGHS])
def test_a_learner_completes_the_walkthrough_with_every_step_right(course_page, page_trouble, url_name, path, scenario):
    student = uuid.uuid4().hex
    course_page.goto(f"{path}?student={student}")
    walkthrough = course_page.get_by_role("region", name=scenario.title, exact=True)
    expect(walkthrough.get_by_role("heading", name=f"Step 1 of {len(scenario.steps)}")).to_be_visible()
    usage = walkthrough.locator("xpath=ancestor::*[@data-block-type='rpt_dosimetry'][1]").get_attribute("data-usage")
    parameters = learner_parameters(scenario, f"{student}|{usage}")
    expected = expected_values(scenario, parameters)

    shown = walkthrough.get_by_role("definition")  # the learner's numbers: <dd> "value (citation)"
    expect(shown).to_have_count(len(scenario.parameters))
    for index, parameter in enumerate(scenario.parameters):
        value = re.escape(parameter_value(parameters[parameter.name]))
        expect(shown.nth(index)).to_have_text(re.compile(rf"^{value}( \(.*\))?$"))

    for number, step in enumerate(scenario.steps, start=1):
        expect(walkthrough.get_by_role("heading", name=f"Step {number} of {len(scenario.steps)}")).to_be_visible()
        answer = walkthrough.get_by_label(re.compile("^Your answer"))
        answer.fill(_answer(expected[step.id], step.unit))
        answer.press("Enter")
        expect(walkthrough.locator(".rpt-walkthrough-done")).to_have_count(number)
        expect(walkthrough.locator(".rpt-walkthrough-done .rpt-walkthrough-correct")).to_have_count(number)

    steps = len(scenario.steps)
    expect(walkthrough.get_by_text(f"Steps right: {steps} of {steps}")).to_be_visible()
    expect(walkthrough.get_by_role("button", name="Print this summary")).to_be_visible()
    if scenario.plot is not None:
        expect(walkthrough.get_by_role("img", name=scenario.plot.title)).to_be_visible()
    assert wcag_violations(course_page, UNIT_REGION) == set()
    assert not page_trouble, page_trouble
