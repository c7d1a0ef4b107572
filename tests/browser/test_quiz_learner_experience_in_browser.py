"""Issue 17's quiz behaviours in Chromium, each state scanned by axe (0 WCAG 2.1 A/AA violations):
Try again keeps the answers; a draft comes back after a reload; the answered count and the jump to
unanswered questions from the keyboard; unanswered questions confirmed and scored 0; a bare number
read in the question's unit; points; no hint once correct; Check (in a copy of the fixture course
whose quiz allows it); the staff's item analysis with texts and its CSV download."""
from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import expect

from edited_course import edited_course_preview
from test_preview_in_browser import UNIT_REGION, wcag_violations
from test_quiz_in_browser import QUIZ_UNIT, answer_wrongly, open_quiz, question

pytestmark = pytest.mark.browser


def no_violations(page, state):
    assert wcag_violations(page, UNIT_REGION) == set(), state


def draft_saved(page):
    """Waits for the next draft save the page sends (debounced), and returns its reply status."""
    return page.expect_response(lambda r: "/save_draft" in r.url, timeout=10_000)


def test_try_again_keeps_the_answers_for_editing(good_page):
    quiz = open_quiz(good_page)
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    quiz.get_by_role("button", name="Try again").click()
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    expect(question(quiz, "public_limit").get_by_label("50 mSv (5 rem)")).to_be_checked()
    expect(question(quiz, "limits_that_apply").get_by_label("1 mSv TEDE")).to_be_checked()
    expect(question(quiz, "release_is_by_dose").get_by_label("False")).to_be_checked()
    expect(question(quiz, "i131_release_activity").get_by_role("textbox")).to_have_value("20 mCi")
    expect(question(quiz, "limits_in_order").locator("li").first).to_contain_text("50 mSv per year")
    expect(quiz.locator(".rpt-quiz-count")).to_have_text("5 of 5 questions answered")
    expect(question(quiz, "public_limit").get_by_label("50 mSv (5 rem)")).to_be_enabled()
    no_violations(good_page, "after Try again, with the answers kept")


def test_a_draft_is_saved_as_the_learner_answers_and_restored_on_reload(good_page):
    student = uuid.uuid4().hex
    good_page.goto(f"{QUIZ_UNIT}?student={student}")
    quiz = good_page.locator(".rpt-quiz")
    expect(quiz.locator("fieldset")).to_have_count(5)
    question(quiz, "public_limit").get_by_label("1 mSv (0.1 rem)").check()
    with draft_saved(good_page) as saved:
        question(quiz, "i131_release_activity").get_by_role("textbox").fill("1.2 GBq")
    assert saved.value.status == 200
    good_page.goto(f"{QUIZ_UNIT}?student={student}")
    expect(question(quiz, "public_limit").get_by_label("1 mSv (0.1 rem)")).to_be_checked()
    expect(question(quiz, "i131_release_activity").get_by_role("textbox")).to_have_value("1.2 GBq")
    expect(quiz.locator(".rpt-quiz-count")).to_have_text("2 of 5 questions answered")
    no_violations(good_page, "a restored draft")


# The first control a learner can use in a question (an ordering question's first "Move up" is disabled).
FIRST_CONTROL = "input:not([disabled]), button:not([disabled])"


def in_page_order(quiz):
    """The question ids in the learner's order (each learner draws their own order)."""
    return quiz.locator("fieldset").evaluate_all("all => all.map(f => f.dataset.id)")


def test_the_answered_count_and_the_jump_to_unanswered_questions_from_the_keyboard(good_page):
    quiz = open_quiz(good_page)
    order = in_page_order(quiz)
    count = quiz.locator(".rpt-quiz-count")
    expect(count).to_have_text("0 of 5 questions answered")
    assert count.get_attribute("aria-live") == "polite"
    question(quiz, "public_limit").get_by_label("1 mSv (0.1 rem)").check()
    expect(count).to_have_text("1 of 5 questions answered")
    unanswered = [q for q in order if q != "public_limit"]
    jump = quiz.get_by_role("button", name="Go to the next unanswered question")
    jump.focus()
    good_page.keyboard.press("Enter")  # from outside the questions: the first unanswered one
    expect(question(quiz, unanswered[0]).locator(FIRST_CONTROL).first).to_be_focused()
    first = question(quiz, "release_is_by_dose").locator("input").first
    first.focus()
    good_page.keyboard.press("Space")  # answers true/false from the keyboard
    expect(count).to_have_text("2 of 5 questions answered")
    after = [q for q in order[order.index("release_is_by_dose") + 1:] + order if q in unanswered and q != "release_is_by_dose"]
    good_page.keyboard.press("Shift+Tab")
    while not jump.evaluate("b => b === document.activeElement"):
        good_page.keyboard.press("Shift+Tab")
    good_page.keyboard.press("Enter")  # from the jump button (focus outside questions): the first unanswered
    expect(question(quiz, [q for q in order if q in after][0]).locator(FIRST_CONTROL).first).to_be_focused()
    no_violations(good_page, "the count and the jump button")


def test_unanswered_questions_are_confirmed_then_score_zero_and_a_bare_number_takes_the_unit(good_page):
    quiz = open_quiz(good_page)
    question(quiz, "public_limit").get_by_label("1 mSv (0.1 rem)").check()
    question(quiz, "i131_release_activity").get_by_role("textbox").fill("33")
    quiz.get_by_role("button", name="Submit").click()
    confirm = quiz.get_by_role("group", name="Some questions are not answered")
    order = in_page_order(quiz)
    missing = [f"Question {order.index(q) + 1}" for q in order if q not in ("public_limit", "i131_release_activity")]
    expect(confirm.get_by_role("button", name=re.compile("^Question "))).to_have_text(missing)
    expect(quiz.get_by_text("Attempts used: 0 of 2")).to_be_visible()
    no_violations(good_page, "the confirmation listing unanswered questions")
    confirm.get_by_role("button", name=f"Question {order.index('release_is_by_dose') + 1}").click()
    expect(question(quiz, "release_is_by_dose").locator("input").first).to_be_focused()
    quiz.get_by_role("button", name="Submit").click()
    confirm.get_by_role("button", name="Submit with unanswered questions").click()
    expect(quiz.locator('[role="status"]')).to_have_text("Your answers were submitted. Score: 2 of 5 points")
    expect(question(quiz, "limits_that_apply").locator(".rpt-quiz-verdict")).to_have_text("Not answered")
    expect(question(quiz, "limits_that_apply").locator(".rpt-quiz-points")).to_have_text("0 of 1 point")
    numeric = question(quiz, "i131_release_activity")
    expect(numeric.locator(".rpt-quiz-verdict")).to_have_text("Correct")
    expect(numeric.get_by_text("Read as 33 mCi: a number without a unit is taken in the question's unit.")).to_be_visible()
    expect(quiz.locator(".rpt-quiz-score")).to_have_text("Score: 2 of 5 points")
    no_violations(good_page, "submitted with unanswered questions")


def test_no_hint_is_offered_on_a_question_answered_correctly(good_page):
    quiz = open_quiz(good_page)
    public = question(quiz, "public_limit")
    expect(public.get_by_role("button", name="Hint")).to_be_visible()
    answer_wrongly(quiz)
    public.get_by_label("1 mSv (0.1 rem)").check()
    quiz.get_by_role("button", name="Submit").click()
    expect(public.locator(".rpt-quiz-verdict")).to_have_text("Correct")
    expect(public.get_by_role("button", name="Hint")).to_have_count(0)


def test_staff_item_analysis_shows_texts_and_downloads_a_csv(good_page):
    learner = open_quiz(good_page)
    answer_wrongly(learner)
    learner.get_by_role("button", name="Submit").click()
    expect(learner.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    good_page.goto(f"{QUIZ_UNIT}?student=staff")
    quiz = good_page.locator(".rpt-quiz")
    quiz.get_by_role("button", name="Item analysis").click()
    table = quiz.locator("table.rpt-quiz-analysis-table")
    expect(table.get_by_role("rowheader", name="What is the annual dose limit for a member of the public?")).to_be_visible()
    expect(table.get_by_text(re.compile(r"^50 mSv \(5 rem\): [1-9]\d*$"))).to_be_visible()
    expect(quiz.get_by_text(re.compile(r"^\d+ graded submissions?\.$"))).to_be_visible()
    no_violations(good_page, "the item analysis with texts")
    link = quiz.get_by_role("link", name="Download the item analysis (CSV)")
    response = good_page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text())))
    assert rows[0][:2] == ["Question id", "Question"] and any(row[7] == "50 mSv (5 rem)" for row in rows[1:])
    learner_url = link.get_attribute("href").replace("student=staff", f"student={uuid.uuid4().hex}")
    assert good_page.request.get(learner_url).status == 403, "a learner gets no CSV"


# ---- Check, in a copy of the fixture course whose quiz allows it -------------------------------------

@pytest.fixture(scope="module")
def check_preview(tmp_path_factory, preview_launcher):
    yield from edited_course_preview(tmp_path_factory, preview_launcher, "check-preview", [
        ("intro/quizzes/check.yaml", "max_attempts: 2\n", "max_attempts: 2\nallow_check: true\nmax_checks: 2\n")])


@pytest.fixture
def check_page(chromium, check_preview):
    context = chromium.new_context(base_url=check_preview.base_url)
    yield context.new_page()
    context.close()


def test_check_one_question_shows_only_its_verdict_and_uses_no_attempt(check_page):
    quiz = open_quiz(check_page)
    public = question(quiz, "public_limit")
    public.get_by_label("50 mSv (5 rem)").check()
    public.get_by_role("button", name="Check").click()
    result = public.locator(".rpt-quiz-check-result")
    expect(result.locator(".rpt-quiz-verdict")).to_have_text("Incorrect")
    expect(result.get_by_text("That is the occupational TEDE limit (10 CFR 20.1201).")).to_be_visible()
    expect(result.get_by_text("1 check left for this question.")).to_be_visible()
    assert "The public limit is 1 mSv" not in quiz.inner_text(), "no explanation before it is allowed"
    expect(quiz.get_by_text("Attempts used: 0 of 2")).to_be_visible()
    no_violations(check_page, "a question checked")
    public.get_by_label("1 mSv (0.1 rem)").check()
    public.get_by_role("button", name="Check").click()
    expect(result.locator(".rpt-quiz-verdict")).to_have_text("Correct")
    expect(public.get_by_role("button", name="Check")).to_be_disabled()
    expect(public.get_by_role("button", name="Hint")).to_have_count(0)
    assert [q for q in ("limits_that_apply", "release_is_by_dose") if question(quiz, q).locator(".rpt-quiz-verdict").count()] == []
    no_violations(check_page, "checks used up, answered correctly")
