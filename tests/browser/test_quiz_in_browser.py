"""A learner takes the fixture course's quiz in Chromium: answers, sees feedback and the score,
runs out of attempts and then sees the answers; with the keyboard; axe finds no violation."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import SDK_CHROME_VIOLATIONS, UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
QUIZ_UNIT = "/scenario/course.0003/"  # Introduction › Check › Check your understanding
DECAY_UNIT = "/scenario/course.0002/"  # Introduction › Basics › Decay: the unit the quiz's public_limit teaches


def open_quiz(page):
    page.goto(f"{QUIZ_UNIT}?student={uuid.uuid4().hex}")
    quiz = page.locator(".rpt-quiz")
    expect(quiz.locator("fieldset")).to_have_count(5)
    return quiz


def question(quiz, question_id):
    return quiz.locator(f'fieldset[data-id="{question_id}"]')


def put_first(quiz, question_id, text):
    """Arrange an ordering question with the step `text` first (moving it at least once, so that the
    question counts as answered: the starting order is never taken as an answer)."""
    steps = question(quiz, question_id).locator("li")
    index = steps.all_inner_texts().index(next(t for t in steps.all_inner_texts() if text in t))
    if index == 0:
        steps.nth(0).get_by_role("button", name=re.compile("^Move down")).click()
        index = 1
    for position in range(index, 0, -1):
        steps.nth(position).get_by_role("button", name=re.compile("^Move up")).click()
    assert text in steps.nth(0).inner_text()


def answer_wrongly(quiz):
    question(quiz, "public_limit").get_by_label("50 mSv (5 rem)").check()
    question(quiz, "limits_that_apply").get_by_label("50 mSv TEDE").check()
    question(quiz, "limits_that_apply").get_by_label("1 mSv TEDE").check()
    question(quiz, "release_is_by_dose").get_by_label("False").check()
    question(quiz, "i131_release_activity").get_by_role("textbox").fill("20 mCi")
    put_first(quiz, "limits_in_order", "50 mSv per year")  # highest first: wrong


def test_learner_answers_sees_feedback_runs_out_of_attempts_then_sees_answers(good_page, page_trouble):
    quiz = open_quiz(good_page)
    assert "33 mCi" not in quiz.inner_text(), "no answer before the policy allows"
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()

    status = quiz.locator('[role="status"]')
    expect(status).to_have_text(re.compile(r"Your answers were submitted\. Score: 0\.5 of 5"))
    public = question(quiz, "public_limit")
    expect(public.locator(".rpt-quiz-verdict")).to_have_text("Incorrect")
    expect(public.get_by_text("That is the occupational TEDE limit (10 CFR 20.1201).")).to_be_visible()
    expect(public.get_by_role("link", name="Review the lesson")).to_have_attribute("href", DECAY_UNIT)
    expect(question(quiz, "limits_that_apply").locator(".rpt-quiz-verdict")).to_have_text("Partially correct")
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    expect(quiz.locator(".rpt-quiz-revealed")).to_have_count(0)

    quiz.get_by_role("button", name="Try again").click()
    expect(quiz.get_by_role("button", name="Submit")).to_be_visible()
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.get_by_text("Attempts used: 2 of 2")).to_be_visible()
    expect(quiz.get_by_role("button", name="Submit")).to_have_count(0)
    expect(quiz.get_by_role("button", name="Try again")).to_have_count(0)
    expect(question(quiz, "i131_release_activity").locator(".rpt-quiz-answer")).to_have_text("Answer: 33 mCi")
    expect(public.locator(".rpt-quiz-answer")).to_have_text("Answer: 1 mSv (0.1 rem)")
    expect(public.get_by_text("The public limit is 1 mSv (0.1 rem) per year (10 CFR 20.1301).")).to_be_visible()
    assert not page_trouble, page_trouble


def test_a_wrong_unit_is_explained_and_costs_no_attempt(good_page):
    quiz = open_quiz(good_page)
    answer_wrongly(quiz)
    question(quiz, "i131_release_activity").get_by_role("textbox").fill("5 mSv")
    quiz.get_by_role("button", name="Submit").click()
    error = question(quiz, "i131_release_activity").locator(".rpt-quiz-error")
    expect(error).to_contain_text("dose equivalent")
    expect(quiz.get_by_text("Attempts used: 0 of 2")).to_be_visible()


def test_the_whole_quiz_works_from_the_keyboard(good_page):
    quiz = open_quiz(good_page)
    first_radio = question(quiz, "public_limit").locator("input").first
    first_radio.focus()
    good_page.keyboard.press("Space")  # selects the focused radio button
    ordering = question(quiz, "limits_in_order")
    before = ordering.locator("li").all_inner_texts()
    ordering.locator("li").nth(1).get_by_role("button", name=re.compile("^Move up")).focus()
    good_page.keyboard.press("Enter")
    after = ordering.locator("li").all_inner_texts()
    assert after[0] == before[1] and after[1] == before[0]
    expect(quiz.locator('[role="status"]')).to_contain_text("Step 1")
    quiz.get_by_role("button", name="Submit").focus()
    good_page.keyboard.press("Enter")
    confirm = quiz.get_by_role("group", name="Some questions are not answered")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("heading")).to_be_focused()
    expect(confirm.get_by_role("button", name=re.compile("^Question "))).to_have_count(3)  # 1 and 5 answered


def test_no_wcag_violations_before_and_after_submitting(good_page):
    quiz = open_quiz(good_page)
    assert wcag_violations(good_page, UNIT_REGION) == set()
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()
    expect(quiz.get_by_text("Attempts used: 1 of 2")).to_be_visible()
    assert wcag_violations(good_page, UNIT_REGION) == set()
    assert wcag_violations(good_page) == SDK_CHROME_VIOLATIONS
