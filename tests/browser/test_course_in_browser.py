"""The real course (course_content/) in the preview, as a learner's browser sees it: the index and
the units render, the pathway figure loads, and axe finds no WCAG 2.1 A/AA violation in the course."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from rpt_course.build import build_files
from test_preview_in_browser import INDEX_REGION, SDK_CHROME_VIOLATIONS, UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser

COURSE, _ = build_files(Path(__file__).resolve().parents[2] / "course_content")
TITLES = [u.title for m in COURSE.modules for s in m.sections for u in s.units]


def test_index_lists_the_course_units_in_order(course_page, page_trouble):
    course_page.goto("/")
    expect(course_page.locator(f"{INDEX_REGION} a")).to_have_text(TITLES)
    assert not page_trouble, page_trouble


def test_the_pathway_unit_shows_its_lessons_and_figure(course_page, page_trouble):
    course_page.goto("/")
    course_page.locator(INDEX_REGION).get_by_role("link", name=re.compile("The 35.390 alternate pathway")).click()
    unit = course_page.locator(UNIT_REGION)
    expect(unit.get_by_role("heading", name="The hours")).to_be_visible()
    figure = unit.get_by_role("img", name=re.compile("^Flow diagram of the 10 CFR 35.390 alternate pathway"))
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.complete && img.naturalWidth") > 0
    assert not page_trouble, page_trouble


@pytest.mark.parametrize("position", range(len(TITLES) + 1))
def test_no_wcag_violations_on_the_index_or_any_unit(course_page, position):
    course_page.goto("/")
    region = INDEX_REGION
    if position:
        course_page.locator(f"{INDEX_REGION} a").nth(position - 1).click()
        region = UNIT_REGION
    expect(course_page.locator(region)).to_be_visible()
    assert wcag_violations(course_page, region) == set()
    assert wcag_violations(course_page) == SDK_CHROME_VIOLATIONS
