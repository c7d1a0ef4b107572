"""A learner works through the fixture course's dosimetry walkthrough in Chromium, with the
keyboard: a slip, a right answer, the reference value carried forward, the summary; axe passes."""
from __future__ import annotations

import math
import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import SDK_CHROME_VIOLATIONS, UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
DECAY_UNIT = "/scenario/course.0002/"  # Introduction › Basics › Decay


def test_learner_walks_through_both_steps(good_page, page_trouble):
    good_page.goto(f"{DECAY_UNIT}?student={uuid.uuid4().hex}")
    walkthrough = good_page.locator(".rpt-walkthrough")
    expect(walkthrough.get_by_role("heading", name="Step 1 of 2")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()
    hours = float(re.search(r"Time since calibration\s*([\d.]+) h", walkthrough.locator("dl").inner_text()).group(1))
    remaining = math.exp(-math.log(2) * hours / (6.647 * 24))

    answer = walkthrough.get_by_label("Your answer")
    answer.fill("0.1")
    answer.press("Enter")
    expect(walkthrough.locator('[role="status"]')).to_contain_text("Not quite")
    expect(walkthrough.get_by_text("Attempts left for this step: 1")).to_be_visible()

    answer = walkthrough.get_by_label("Your answer")
    expect(answer).to_be_focused()
    answer.fill(f"{remaining:.4f}")
    answer.press("Enter")
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    expect(walkthrough.get_by_text(re.compile(r"^Reference value: 0\.\d+"))).to_be_visible()

    answer = walkthrough.get_by_label(re.compile("Your answer, with its unit"))
    answer.fill(f"{7400 * remaining:.1f} MBq")
    answer.press("Enter")
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    expect(walkthrough.get_by_role("button", name="Print this summary")).to_be_visible()
    expect(walkthrough.get_by_role("img", name="Lu-177 activity over two weeks")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()
    assert wcag_violations(good_page) == SDK_CHROME_VIOLATIONS
    assert not page_trouble, page_trouble
