"""axe-core (WCAG 2.1 A and AA, as `wcag_violations` runs it) finds nothing in any view of any block,
in the states the other browser tests do not scan; and a quiz and a walkthrough can be done with
Tab, Shift+Tab, Space, Enter and typing alone, every stop showing where the focus is.

Already scanned elsewhere (not repeated): the quiz fresh and after a submission
(tests/browser/test_quiz_in_browser.py), its Studio editor (test_quiz_studio_in_browser.py); the
walkthrough's first step and its finished summary with the plot (test_walkthrough_in_browser.py), its
Studio editor (test_walkthrough_studio_in_browser.py); the tracker as a learner, with a refused
field and as staff (test_tracker_in_browser.py); every unit of the real course, on the index and
after completing the dosimetry module (test_course_in_browser.py, test_course_module_in_browser.py).
"""
from __future__ import annotations

import math
import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import SDK_CHROME_VIOLATIONS, UNIT_REGION, wcag_violations
from test_quiz_in_browser import answer_wrongly, open_quiz, question

pytestmark = pytest.mark.browser
QUIZ_UNIT, WALKTHROUGH_UNIT, TRACKER_UNIT = "/scenario/course.0003/", "/scenario/course.0002/", "/scenario/course.0004/"


@pytest.fixture
def page(trapped, good_preview):
    return trapped(good_preview.base_url).page


def no_violations(page, state: str, region: str = UNIT_REGION):
    assert wcag_violations(page, region) == set(), state


# ---- every state of every view ---------------------------------------------------------------------

def test_quiz_with_a_hint_a_refused_answer_and_out_of_attempts_with_the_answers(page):
    quiz = open_quiz(page)
    question(quiz, "public_limit").get_by_role("button", name="Hint").click()
    expect(question(quiz, "public_limit").locator(".rpt-quiz-hint-text")).to_be_visible()
    no_violations(page, "a hint shown")
    answer_wrongly(quiz)
    question(quiz, "i131_release_activity").get_by_role("textbox").fill("5 mSv")
    quiz.get_by_role("button", name="Submit").click()
    expect(question(quiz, "i131_release_activity").locator(".rpt-quiz-error")).to_contain_text("dose equivalent")
    no_violations(page, "an answer refused for its unit")
    for attempt in (1, 2):
        answer_wrongly(quiz)
        quiz.get_by_role("button", name="Submit").click()
        expect(quiz.get_by_text(f"Attempts used: {attempt} of 2")).to_be_visible()
        if attempt == 1:
            quiz.get_by_role("button", name="Try again").click()
            expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    expect(quiz.locator(".rpt-quiz-revealed")).to_have_count(5)
    no_violations(page, "out of attempts, every answer and explanation shown")
    assert wcag_violations(page) == SDK_CHROME_VIOLATIONS


def test_quiz_staff_view_with_the_item_analysis(page):
    page.goto(f"{QUIZ_UNIT}?student=staff")
    quiz = page.locator(".rpt-quiz")
    quiz.get_by_role("button", name="Item analysis").click()
    expect(quiz.locator("table.rpt-quiz-analysis-table")).to_be_visible()
    no_violations(page, "the item analysis")


def test_walkthrough_with_a_hint_a_refused_unit_and_a_wrong_answer(page):
    page.goto(f"{WALKTHROUGH_UNIT}?student={uuid.uuid4().hex}")
    walkthrough = page.locator(".rpt-walkthrough")
    walkthrough.get_by_role("button", name="Hint").click()
    expect(walkthrough.get_by_text(re.compile("^The fraction is"))).to_be_visible()
    no_violations(page, "a hint shown")
    answer = walkthrough.get_by_label("Your answer")
    answer.fill("5 mSv")
    answer.press("Enter")
    expect(walkthrough.locator(".rpt-walkthrough-error")).to_contain_text("pure number")
    no_violations(page, "an answer refused for its unit")
    walkthrough.get_by_label("Your answer").fill("0.1")
    walkthrough.get_by_label("Your answer").press("Enter")
    expect(walkthrough.get_by_text("Attempts left for this step: 1")).to_be_visible()
    no_violations(page, "a wrong answer")


def test_tracker_plan_error_audit_trail_rejection_studio_and_printable_summary(page, good_preview):
    learner = uuid.uuid4().hex[:12]
    page.goto(f"{TRACKER_UNIT}?student={learner}")
    page.wait_for_load_state("networkidle")
    tracker = page.locator(".rpt-tracker")
    tracker.get_by_label("Planned application date").fill("2000-01-01")
    tracker.get_by_role("button", name="Save plan").click()
    expect(tracker.get_by_label("Planned application date")).to_have_attribute("aria-invalid", "true")
    no_violations(page, "a refused plan")
    tracker.get_by_label("Kind of entry").select_option(label="Supervised work experience")
    tracker.get_by_label("Date", exact=True).fill("2026-09-01")
    tracker.get_by_label("Hours", exact=True).fill("2")
    tracker.get_by_label("Supervising Authorized User").fill("Preceptor AU")
    tracker.get_by_label("Site", exact=True).fill("Nuclear medicine")
    tracker.get_by_role("button", name="Add entry").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Entry e1 added.")

    staff = page.context.new_page()
    staff.goto(f"{TRACKER_UNIT}?student=staff")
    staff.wait_for_load_state("networkidle")
    pending = staff.locator("li.rpt-tracker-pending").filter(has=staff.locator(f"[id$='-comment-{learner}-e1']"))
    pending.get_by_label("Comment for e1 (required to reject)").fill("No signature")
    pending.get_by_role("button", name="Reject e1").click()
    expect(staff.locator(".rpt-tracker").locator('[role="status"]')).to_have_text("e1 Rejected.")
    staff.close()

    page.reload()
    page.wait_for_load_state("networkidle")
    tracker = page.locator(".rpt-tracker")
    expect(tracker.locator(".rpt-tracker-entry").first).to_contain_text("Rejected by staff (course Admin override): No signature")
    tracker.locator("summary", has_text="Audit trail").click()
    expect(tracker.locator(".rpt-tracker-audit li").last).to_contain_text("No signature")
    no_violations(page, "a rejected entry and the audit trail open")

    with page.expect_popup() as popup:
        tracker.get_by_role("link", name="Printable summary for your preceptor").click()
    summary = popup.value
    summary.wait_for_load_state()
    expect(summary.get_by_role("heading", level=1)).to_be_visible()
    assert wcag_violations(summary) == set(), "the printable summary is a whole page of ours"

    page.goto(f"{TRACKER_UNIT}studio_view/?student={learner}")
    expect(page.locator(".rpt-studio")).to_be_visible()
    no_violations(page, "the tracker's Studio editor")


# ---- keyboard only ---------------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return {tag: el.tagName.toLowerCase(), type: el.type || "",
          name: (el.getAttribute("aria-label") || label || el.textContent).trim(),
          value: el.value || "", inQuiz: !!el.closest(".rpt-quiz"), inWalkthrough: !!el.closest(".rpt-walkthrough"),
          fieldset: el.closest("fieldset") ? el.closest("fieldset").dataset.id : null,
          visible: box.width > 0 && box.height > 0,
          indicator: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none"};
}"""


def tab(page, key: str = "Tab") -> dict | None:
    page.keyboard.press(key)
    return page.evaluate(FOCUSED)


def tab_until(page, wanted, limit: int = 80, key: str = "Tab") -> list[dict]:
    """Press Tab until `wanted(stop)`; every stop on the way, the last one the wanted one."""
    stops = []
    for _ in range(limit):
        stop = tab(page, key)
        stops.append(stop)
        if stop and wanted(stop):
            return stops
    raise AssertionError(f"never reached with {key}: {stops[-10:]}")


def assert_visible_focus(stops):
    hidden = [stop for stop in stops if stop and (stop["inQuiz"] or stop["inWalkthrough"])
              and not (stop["visible"] and stop["indicator"])]
    assert not hidden, f"focus without a visible indicator: {hidden}"


def test_a_quiz_from_the_keyboard_alone(page):
    page.goto(f"{QUIZ_UNIT}?student={uuid.uuid4().hex}")
    quiz = page.locator(".rpt-quiz")
    expect(quiz.locator("fieldset")).to_have_count(5)
    stops = tab_until(page, lambda s: s["inQuiz"])
    order, hint_pressed, moved = [], False, False
    while True:
        stop = stops[-1]
        assert stop and stop["inQuiz"], f"focus left the quiz before Submit: {stop}"
        if stop["fieldset"] and (not order or order[-1] != stop["fieldset"]):
            order.append(stop["fieldset"])
        if stop["tag"] == "button" and stop["name"] == "Submit":
            break
        previous = (stops[-2] if len(stops) > 1 else None) or {}
        if stop["type"] in ("radio", "checkbox") and (stop["type"] != previous.get("type")
                                                     or stop["fieldset"] != previous.get("fieldset")):
            page.keyboard.press("Space")  # the first option of each question (shuffled orders put two in a row)
        elif stop["type"] == "text":
            page.keyboard.type("20 mCi")
        elif stop["name"] == "Hint" and not hint_pressed:
            page.keyboard.press("Enter")
            hint_pressed = True
            expect(quiz.locator(".rpt-quiz-hint-text")).to_have_count(1)
        elif stop["name"].startswith("Move down") and not moved:
            page.keyboard.press("Enter")
            moved = True
            assert page.evaluate(FOCUSED)["name"].startswith("Move"), "focus stays on the moved step's buttons"
        stops.append(tab(page))
    assert order == quiz.locator("fieldset").evaluate_all("all => all.map(f => f.dataset.id)"), "Tab follows the questions"
    assert hint_pressed and moved
    assert_visible_focus(stops)

    back = tab(page, "Shift+Tab")
    assert back["inQuiz"] and back != stops[-1], "Shift+Tab goes back inside the quiz"
    tab(page)
    page.keyboard.press("Enter")  # Submit
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    expect(quiz.locator(".rpt-quiz-verdict")).to_have_count(5)
    again = tab_until(page, lambda s: s["name"] == "Try again")
    assert_visible_focus(again)
    page.keyboard.press("Enter")
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    after = tab_until(page, lambda s: not s["inQuiz"] and s["tag"] in ("a", "button", "input"), limit=120)
    assert any(s and s["name"] == "Submit" for s in after), "no keyboard trap: Tab passes Submit and leaves the quiz"


def test_a_walkthrough_from_the_keyboard_alone(page):
    page.goto(f"{WALKTHROUGH_UNIT}?student={uuid.uuid4().hex}")
    walkthrough = page.locator(".rpt-walkthrough")
    expect(walkthrough.get_by_role("heading", name="Step 1 of 2")).to_be_visible()
    hours = float(re.search(r"Time since calibration\s*([\d.]+) h", walkthrough.locator("dl").inner_text()).group(1))
    remaining = math.exp(-math.log(2) * hours / (6.647 * 24))

    stops = tab_until(page, lambda s: s["inWalkthrough"] and s["tag"] == "input")
    page.keyboard.type("0.1")
    page.keyboard.press("Enter")
    expect(walkthrough.get_by_text("Attempts left for this step: 1")).to_be_visible()
    assert page.evaluate(FOCUSED)["tag"] == "input", "after a wrong answer the focus is back in the answer field"
    stops += tab_until(page, lambda s: s["name"] == "Hint")
    page.keyboard.press("Enter")
    expect(walkthrough.get_by_text(re.compile("^The fraction is"))).to_be_visible()
    stops += tab_until(page, lambda s: s["inWalkthrough"] and s["tag"] == "input", key="Shift+Tab")
    page.keyboard.type(f"{remaining:.4f}")
    page.keyboard.press("Enter")
    expect(walkthrough.get_by_role("heading", name="Step 2 of 2")).to_be_visible()
    assert page.evaluate(FOCUSED)["tag"] == "input", "the next step's answer field has the focus"
    page.keyboard.type(f"{7400 * remaining:.1f} MBq")
    page.keyboard.press("Enter")
    expect(walkthrough.get_by_text("Steps right: 2 of 2")).to_be_visible()
    stops += tab_until(page, lambda s: s["name"] == "Print this summary")
    assert_visible_focus(stops)


def test_the_quiz_keeps_the_keyboard_focus_when_it_redraws(page):
    """Submit and Try again redraw the quiz; the focus must stay in it (on the new button, the
    first question or the status), not fall back to the page, sending a keyboard user to its top."""
    page.goto(f"{QUIZ_UNIT}?student={uuid.uuid4().hex}")
    quiz = page.locator(".rpt-quiz")
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").focus()
    page.keyboard.press("Enter")
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    after_submit = page.evaluate(FOCUSED)
    quiz.get_by_role("button", name="Try again").focus()
    page.keyboard.press("Enter")
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    after_try_again = page.evaluate(FOCUSED)
    assert (after_submit or {}).get("inQuiz") and (after_try_again or {}).get("inQuiz"), (
        f"focus after Submit: {after_submit}; after Try again: {after_try_again} (None: the page itself)")


def test_the_tracker_keeps_the_keyboard_focus_after_a_save(page):
    """A saved plan or entry redraws the tracker; the focus must stay in it, as it does on a refusal."""
    page.goto(f"{TRACKER_UNIT}?student={uuid.uuid4().hex[:12]}")
    page.wait_for_load_state("networkidle")
    tracker = page.locator(".rpt-tracker")
    tracker.get_by_label("Planned application date").fill("2027-06-01")
    tracker.get_by_label("Planned application date").press("Enter")
    expect(tracker.locator('[role="status"]')).to_have_text("Saved.")
    after_save = page.evaluate(FOCUSED)
    assert after_save and page.evaluate("() => !!document.activeElement.closest('.rpt-tracker')"), (
        f"focus after saving the plan: {after_save} (None: the page itself)")
