"""The preview as a learner's browser sees it: visible content, working links, and axe (WCAG 2.1 A/AA)."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UNITS = [
    ("/scenario/course.0001/", "Orientation › The AU pathway › Why AUs matter"),
    ("/scenario/course.0002/", "Orientation › The AU pathway › What training costs"),
    ("/scenario/course.0003/", "Orientation › Preview tools › Installed and missing components"),
    ("/scenario/course.0004/", "Radiation safety › Basics — units & limits › Dose limits"),
]

WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The preview's pages are its own (rpt_course/preview/templates: title, lang, landmarks), no longer
# xblock-sdk's, whose templates lacked a <title> and a lang attribute: a whole-page scan finds nothing.
# (The name stays for the tests that compare a whole-page scan with it.)
SDK_CHROME_VIOLATIONS: set[tuple[str, str]] = set()
INDEX_REGION = "main"  # the course outline
UNIT_REGION = "div.preview"  # the rendered unit: our lesson XHTML and components


def wcag_violations(page, region: str | None = None) -> set[tuple[str, str]]:
    """(rule id, element selector) of each WCAG 2.1 A/AA violation on the page, or inside `region`."""
    results = Axe().run(page, context=region, options={
        "runOnly": {"type": "tag", "values": WCAG_21_A_AA}, "resultTypes": ["violations"],
    })
    return {
        (violation["id"], " ".join(map(str, node["target"])))
        for violation in results.response["violations"] for node in violation["nodes"]
    }


def test_index_shows_every_unit_as_a_link_in_course_order(page, page_trouble):
    page.goto("/")
    links = page.locator(f"{INDEX_REGION} a")
    expect(links).to_have_text([description.rsplit(" › ", 1)[1] for _, description in UNITS])
    for index, (href, _) in enumerate(UNITS):
        expect(links.nth(index)).to_be_visible()
        expect(links.nth(index)).to_have_attribute("href", href)
    assert not page_trouble, page_trouble


def test_a_unit_shows_its_lesson_its_figure_and_a_working_cross_link(page, page_trouble):
    page.goto("/scenario/course.0004/")
    unit = page.locator(UNIT_REGION)
    expect(unit.get_by_role("heading", name="Occupational dose limits")).to_be_visible()
    expect(unit.get_by_text("In short: keep doses as low as reasonably achievable.")).to_be_visible()
    figure = unit.get_by_role("img", name="Bar chart comparing annual dose limits")
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.complete && img.naturalWidth") == 200  # the SVG from /course-static/
    unit.get_by_role("link", name="why Authorized Users matter").click()
    expect(page).to_have_url(re.compile(r"/scenario/course\.0001/$"))
    expect(page.locator(UNIT_REGION).get_by_text("Only an Authorized User may direct")).to_be_visible()
    assert not page_trouble, page_trouble


def test_dollar_amounts_and_the_missing_component_note_are_visible(page, page_trouble):
    page.goto("/scenario/course.0002/")
    expect(page.locator(UNIT_REGION).get_by_text(
        "The course fee is $250 per seat; ${name}, $name and $$ stay as written.")).to_be_visible()
    page.goto("/scenario/course.0003/")
    unit = page.locator(UNIT_REGION)
    expect(unit.get_by_text("Hello, World!")).to_be_visible()
    expect(unit.get_by_text("This component (rpt_example_missing) is not installed in this preview.")).to_be_visible()
    assert not page_trouble, page_trouble


@pytest.mark.parametrize(("path", "region"), [("/", INDEX_REGION)] + [(href, UNIT_REGION) for href, _ in UNITS])
def test_no_wcag_violations_in_the_course_and_only_the_known_ones_in_the_sdk_chrome(page, path, region):
    page.goto(path)
    expect(page.locator(region)).to_be_visible()
    assert wcag_violations(page, region) == set()
    assert wcag_violations(page) == SDK_CHROME_VIOLATIONS


def test_the_scoped_scan_does_see_a_violation_inside_the_region(page):
    """Control: a scoped scan that looked at nothing would pass every page."""
    page.goto("/scenario/course.0001/")
    page.locator(UNIT_REGION).evaluate(
        "region => region.append(Object.assign(document.createElement('img'), {src: '/course-static/figure.svg'}))")
    assert {rule for rule, _ in wcag_violations(page, UNIT_REGION)} == {"image-alt"}
