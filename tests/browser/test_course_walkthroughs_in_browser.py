"""A learner completes every dosimetry walkthrough shipped in course_content/ in Chromium, on the
preview of the real course, answering each step right with its unit: every step is marked right,
the summary says "Steps right: N of N", axe finds nothing in the unit, and nothing goes wrong.

How the learner's own numbers are known: see course_learner.py.
"""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from rpt_course.build import build_files
from rpt_course.preview.scenarios import course_scenarios, scenario_url
from course_learner import complete_walkthrough
from rpt_xblocks.dosimetry.scenario_olx import TAG, scenario_from_xml
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
    assert len(WALKTHROUGHS) >= 8, "the curriculum ships at least 8 walkthroughs"


@pytest.mark.parametrize(("url_name", "path", "scenario"), WALKTHROUGHS, ids=[w[0] for w in WALKTHROUGHS])
def test_a_learner_completes_the_walkthrough_with_every_step_right(course_page, page_trouble, url_name, path, scenario):
    student = uuid.uuid4().hex
    course_page.goto(f"{path}?student={student}")
    walkthrough = complete_walkthrough(course_page, scenario, student)
    expect(walkthrough.get_by_role("button", name="Print this summary")).to_be_visible()
    if scenario.plot is not None:
        expect(walkthrough.get_by_role("img", name=scenario.plot.title)).to_be_visible()
    assert wcag_violations(course_page, UNIT_REGION) == set()
    assert not page_trouble, page_trouble
