"""Issue 17's walkthrough in Chromium, on the fixture course's Lu-177 walkthrough: the learner's
numbers under the author's labels, one heading per step, a "%" explained where no percentage is
asked (percentage steps are answered with "%" in test_course_walkthroughs_in_browser.py), a wrong answer diagnosed and kept in the
step's history, "Print this summary" printing the walkthrough only, and an ungraded practice round.
axe finds no violation in the unit in each new state."""
from __future__ import annotations

import math
import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
DECAY_UNIT = "/scenario/course.0002/"  # Introduction › Basics › Decay

# Elements with text outside the walkthrough (not its ancestors) that are shown.
SHOWN_OUTSIDE = """() => {
  const root = document.querySelector('.rpt-walkthrough');
  return [...document.body.querySelectorAll('*')].filter(el => !root.contains(el) && !el.contains(root)
    && el.textContent.trim() && el.checkVisibility({visibilityProperty: true})).map(el => el.tagName);
}"""


def remaining_fraction(walkthrough) -> float:
    hours = float(re.search(r"([\d.]+) h", walkthrough.get_by_role("definition").nth(2).inner_text()).group(1))
    return math.exp(-math.log(2) * hours / (6.647 * 24))


def answer(walkthrough, text: str) -> None:
    box = walkthrough.get_by_label(re.compile("^Your answer"))
    box.fill(text)
    box.press("Enter")


def test_labels_one_heading_per_step_and_a_diagnosed_slip_kept_in_the_history(good_page, page_trouble):
    good_page.goto(f"{DECAY_UNIT}?student={uuid.uuid4().hex}")
    walkthrough = good_page.locator(".rpt-walkthrough")
    numbers = walkthrough.get_by_role("definition")
    expect(walkthrough.get_by_role("term")).to_have_text(["Calibrated activity", "Lu-177 half-life", "Time since calibration"])
    expect(numbers.first).to_have_text(re.compile(r"^7\.4 GBq"))
    assert "A0" not in walkthrough.locator("dl").inner_text() and "T_half" not in walkthrough.locator("dl").inner_text()
    expect(walkthrough.get_by_role("heading", name="Step 1 of 2")).to_have_count(1)
    assert walkthrough.locator("ol.rpt-walkthrough-steps").evaluate("ol => getComputedStyle(ol).listStyleType") == "none"
    remaining = remaining_fraction(walkthrough)

    answer(walkthrough, "81%")  # a % where no percentage is asked: a sentence for the learner, no attempt used
    expect(walkthrough.locator(".rpt-walkthrough-error")).to_have_text(re.compile("^This step does not ask for a percentage"))
    expect(walkthrough.get_by_text("Attempts left for this step: 2")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()
    answer(walkthrough, f"{remaining:.4f}")
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    answer(walkthrough, "7.4 GBq")  # the activity at calibration: the described mistake
    expect(walkthrough.locator('[role="status"]')).to_contain_text("Likely slip: not decay-corrected")
    expect(walkthrough.locator(".rpt-walkthrough-current .rpt-walkthrough-try-wrong")).to_have_text(
        "Try 1: 7.4 GBq (not right) \u2014 Likely slip: not decay-corrected")
    assert wcag_violations(good_page, UNIT_REGION) == set()

    answer(walkthrough, f"{7.4 * remaining:.4f} GBq")
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    done = walkthrough.locator(".rpt-walkthrough-done").nth(1)
    expect(done.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    expect(done.locator(".rpt-walkthrough-try-wrong")).to_contain_text("7.4 GBq (not right)")
    expect(done.locator(".rpt-walkthrough-try-right")).to_contain_text("Try 2:")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    assert not page_trouble.outside_requests and not page_trouble.script_errors, page_trouble
    assert [r.split()[0] for r in page_trouble.failed_responses] == ["400"], "only the refused 81%"


def finish(page):
    page.goto(f"{DECAY_UNIT}?student={uuid.uuid4().hex}")
    walkthrough = page.locator(".rpt-walkthrough")
    remaining = remaining_fraction(walkthrough)
    answer(walkthrough, f"{remaining:.4f}")
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    answer(walkthrough, f"{7400 * remaining:.1f} MBq")
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    return walkthrough


def test_print_this_summary_prints_the_walkthrough_only(good_page, page_trouble):
    walkthrough = finish(good_page)
    assert good_page.evaluate(SHOWN_OUTSIDE), "the unit shows more than the walkthrough on screen"
    good_page.evaluate("window.print = () => { window.rptPrinted = true; }")  # no dialog in a test
    walkthrough.get_by_role("button", name="Print this summary").click()
    assert good_page.evaluate("window.rptPrinted") is True
    good_page.emulate_media(media="print")
    assert good_page.evaluate(SHOWN_OUTSIDE) == []
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    expect(walkthrough.get_by_role("button", name="Print this summary")).to_be_hidden()
    good_page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert good_page.evaluate(SHOWN_OUTSIDE), "after printing, the whole page prints again"
    assert not page_trouble, page_trouble


def test_practice_again_with_new_numbers_is_labelled_and_ungraded(good_page, page_trouble):
    walkthrough = finish(good_page)
    walkthrough.get_by_role("button", name="Practise again with new numbers").click()
    practice = walkthrough.locator(".rpt-walkthrough-practice")
    expect(practice.get_by_role("heading", name="Practice round 1 (not graded)")).to_be_focused()
    expect(practice.get_by_text("Practice only: these answers are not graded or recorded")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()
    hours = float(re.search(r"([\d.]+) h", practice.get_by_role("definition").nth(2).inner_text()).group(1))
    remaining = math.exp(-math.log(2) * hours / (6.647 * 24))
    box = practice.get_by_label("Your answer", exact=True)
    box.fill("0.01")
    box.press("Enter")
    expect(practice.locator(".rpt-walkthrough-error")).to_contain_text("Not quite")
    box.fill(f"{remaining:.4f}")
    box.press("Enter")
    expect(practice.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    box = practice.get_by_label(re.compile("Your answer, with its unit"))
    expect(box).to_be_focused()
    box.fill("7.4 GBq")
    box.press("Enter")
    expect(practice.locator(".rpt-walkthrough-error")).to_contain_text("Likely slip: not decay-corrected")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    practice.get_by_role("button", name="Show the answer").click()
    expect(practice.get_by_text("Practice round finished.")).to_be_visible()
    expect(practice.get_by_text(re.compile(r"^Reference value: \d"))).to_have_count(2)
    assert wcag_violations(good_page, UNIT_REGION) == set()
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    good_page.reload()
    expect(good_page.locator(".rpt-walkthrough").get_by_text("Steps right: 2 of 2")).to_be_visible()
    assert not page_trouble, page_trouble
