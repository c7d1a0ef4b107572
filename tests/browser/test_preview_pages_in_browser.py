"""The preview as a course in a browser: no horizontal scrollbar from 390 px to 1440 px, no axe
violation on the outline or on a unit of each kind, math typeset by the preview's own MathJax (also
what a block inserts, through `RptBlockKit.typeset`), and a save that shows up in the open page."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser

# Units of the real course, one of each kind (see course_content/*/module.yaml and the outline).
PAGES = {
    "outline": "/",
    "lesson": "/scenario/course.0011/",  # units of activity: tables, footnotes, math
    "quiz": "/scenario/course.0010/",
    "walkthrough": "/scenario/course.0012/",
    "tracker": "/scenario/course.0005/",
}
WIDTHS = [390, 768, 1280, 1440]

# axe's best-practice rules (not WCAG success criteria) that a block's own markup breaks, by page:
# the quiz titles itself with an <h3> (quiz/static/quiz.js), right under the unit's <h1>. Nothing
# else may appear; once the quiz's title is an <h2>, this entry can go.
BLOCK_BEST_PRACTICE_FINDINGS = {"quiz": {("heading-order", "h3", "rpt-quiz-title")}}  # (rule, tag, class)


def explained(kind: str, rule: str, html: str) -> bool:
    """Whether axe's finding `rule` on the element `html` is one of BLOCK_BEST_PRACTICE_FINDINGS[kind]."""
    return any(rule == known and html.startswith(f"<{tag} ") and re.search(rf'class="[^"]*\b{css_class}\b', html)
               for known, tag, css_class in BLOCK_BEST_PRACTICE_FINDINGS.get(kind, ()))


def settled(page, path: str) -> None:
    """Open `path` and wait until MathJax has typeset the page."""
    page.goto(path)
    expect(page.locator("main")).to_be_visible()
    page.wait_for_function("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")
    page.evaluate("() => window.MathJax.startup.promise")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_horizontal_scrollbar(course_page, page_trouble, kind, width):
    course_page.set_viewport_size({"width": width, "height": 900})
    settled(course_page, PAGES[kind])
    scroll_width, inner_width = course_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{kind} at {width} px is {scroll_width} px wide"
    assert course_page.evaluate("() => document.body.scrollWidth") <= inner_width
    assert not page_trouble, page_trouble


@pytest.mark.parametrize("kind", list(PAGES))
def test_axe_finds_nothing_on_the_outline_and_a_unit_of_each_kind(course_page, kind):
    settled(course_page, PAGES[kind])
    assert wcag_violations(course_page) == set()
    everything = Axe().run(course_page)  # every rule axe has, best practices too
    found = {(v["id"], node["html"]) for v in everything.response["violations"] for node in v["nodes"]}
    assert {(rule, html) for rule, html in found if not explained(kind, rule, html)} == set()


def test_the_unit_page_has_an_outline_previous_next_and_no_workbench_debug_panel(course_page, page_trouble):
    settled(course_page, "/scenario/course.0011/")
    header = course_page.locator("header")
    expect(header).to_be_in_viewport()
    assert header.bounding_box()["y"] >= 0
    outline = course_page.get_by_role("navigation", name="Course outline")
    expect(outline.locator('[aria-current="page"]')).to_have_text(re.compile("^Units of activity"))
    pager = course_page.get_by_role("navigation", name="Previous and next unit")
    pager.get_by_role("link", name=re.compile("^Next")).click()
    expect(course_page).to_have_url(re.compile(r"/scenario/course\.0012/$"))
    course_page.get_by_role("navigation", name="Previous and next unit").get_by_role(
        "link", name=re.compile("^Previous")).click()
    expect(course_page).to_have_url(re.compile(r"/scenario/course\.0011/$"))
    expect(course_page.get_by_text("Reset State")).to_have_count(0)
    expect(course_page.locator("section.debug, pre")).to_have_count(0)
    assert not page_trouble, page_trouble


def test_lesson_math_is_typeset_and_no_raw_latex_shows(course_page, page_trouble):
    settled(course_page, "/scenario/course.0011/")
    unit = course_page.locator(UNIT_REGION)
    formulas = unit.locator(".arithmatex").count()
    assert formulas >= 2
    assert unit.locator(".arithmatex > mjx-container").count() == formulas  # each one typeset
    assert "\\(" not in unit.inner_text() and "\\[" not in unit.inner_text()
    assert not page_trouble, page_trouble


def test_a_block_can_have_what_it_inserts_typeset(course_page, page_trouble):
    settled(course_page, "/scenario/course.0010/")  # a quiz: the blocks' shared script is on the page
    inserted = course_page.evaluate("""() => {
        const node = document.createElement("p");
        node.id = "inserted-math";
        node.textContent = "Inserted: \\\\(A = A_0 e^{-\\\\lambda t}\\\\)";
        document.querySelector(".preview").append(node);
        return window.RptBlockKit.typeset(node).then(() => node.querySelectorAll("mjx-container").length);
    }""")
    assert inserted == 1
    assert course_page.evaluate("() => window.RptBlockKit.typeset(null).then(() => 'done')") == "done"
    assert not page_trouble, page_trouble


def test_typeset_is_a_no_op_without_mathjax(course_page):
    settled(course_page, "/scenario/course.0010/")
    assert course_page.evaluate("""() => { const saved = window.MathJax; window.MathJax = undefined;
        return window.RptBlockKit.typeset(document.body).then(() => { window.MathJax = saved; return 'resolved'; }); }""") == "resolved"


def test_a_save_shows_in_the_open_page_and_a_broken_save_shows_its_problems(live_page, live_preview, page_trouble):
    lesson = live_preview.content / "intro" / "lessons" / "decay.md"
    original = lesson.read_text("utf-8")
    live_page.goto("/scenario/course.0002/")
    unit = live_page.locator(UNIT_REGION)
    expect(unit.get_by_role("heading", name="Decay", exact=True)).to_be_visible()
    try:
        lesson.write_text(original.replace("## Decay", "## Decay, edited", 1), "utf-8")
        expect(unit.get_by_role("heading", name="Decay, edited")).to_be_visible(timeout=15_000)  # no reload by the test
        lesson.write_text(original.replace("[^1]: Test source.", "[^1]: Test source.\n\n![](/static/x.png)", 1), "utf-8")
        expect(live_page.get_by_role("heading", name="The course has problems to fix")).to_be_visible(timeout=15_000)
        expect(live_page.get_by_text(re.compile(r"intro/lessons/decay\.md:\d+: .*alt text"))).to_be_visible()
    finally:
        lesson.write_text(original, "utf-8")
    expect(unit.get_by_role("heading", name="Decay", exact=True)).to_be_visible(timeout=15_000)
    assert not page_trouble.outside_requests and not page_trouble.script_errors, page_trouble


def test_display_math_written_with_double_dollars_is_typeset_as_a_block(good_page, page_trouble):
    settled(good_page, "/scenario/course.0002/")  # lessons/decay.md: $$ T_e = ... $$ and \( A = ... \)
    unit = good_page.locator(UNIT_REGION)
    expect(unit.locator("div.arithmatex > mjx-container[display='true']")).to_have_count(1)
    expect(unit.locator("span.arithmatex > mjx-container:not([display='true'])")).to_have_count(1)
    assert "$$" not in unit.inner_text() and "\\(" not in unit.inner_text()
    assert not page_trouble, page_trouble


def test_lessons_show_callouts_bordered_tables_and_separated_footnote_numbers(course_page, page_trouble):
    settled(course_page, "/scenario/course.0002/")  # the 35.390 pathway: tables and note/warning admonitions
    unit = course_page.locator(UNIT_REGION)
    cell = unit.locator("td").first
    assert cell.evaluate("td => parseFloat(getComputedStyle(td).borderTopWidth)") >= 1
    callout = unit.locator(".admonition").first
    left, background = callout.evaluate(
        "box => [parseFloat(getComputedStyle(box).borderLeftWidth), getComputedStyle(box).backgroundColor]")
    assert left >= 4 and background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    expect(callout.locator(".admonition-title")).to_have_css("font-weight", "700")
    settled(course_page, "/scenario/course.0027/")  # dose rate: two footnote references side by side
    pairs = unit.locator("sup:has(a.footnote-ref) + sup:has(a.footnote-ref)")
    assert pairs.count() >= 1
    first = pairs.first.evaluate("sup => sup.previousElementSibling.textContent")
    assert re.fullmatch(r"\d+,", first)
    assert not page_trouble, page_trouble
