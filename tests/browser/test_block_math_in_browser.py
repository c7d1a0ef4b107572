"""Math in what the quiz and the walkthrough insert after the page has loaded is typeset by the page's
MathJax (issue 17): in a copy of the fixture course whose quiz feedback and second walkthrough step
hold inline TeX, both show MathJax's rendering once they appear, and no raw `\\(`. (Math present when
the page loads is typeset by MathJax's own first pass; these parts arrive later, from handler replies.)"""
from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from edited_course import edited_course_preview
from test_quiz_in_browser import DECAY_UNIT, answer_wrongly, open_quiz, question

pytestmark = pytest.mark.browser
FEEDBACK = "That is the occupational TEDE limit (10 CFR 20.1201)."
STEP_PROMPT = "What activity remains now?"


@pytest.fixture(scope="module")
def math_preview(tmp_path_factory, preview_launcher):
    yield from edited_course_preview(tmp_path_factory, preview_launcher, "math-preview", [
        ("intro/quizzes/check.yaml", FEEDBACK, FEEDBACK + r" \(E = 50\,\mathrm{mSv}\)"),
        ("*/walkthroughs/*.yaml", STEP_PROMPT, STEP_PROMPT + r" \(A/A_0 = e^{-\lambda t}\)")])


@pytest.fixture
def math_page(chromium, math_preview):
    context = chromium.new_context(base_url=math_preview.base_url)
    yield context.new_page()
    context.close()


def test_math_in_quiz_feedback_is_typeset_when_it_arrives(math_page):
    quiz = open_quiz(math_page)
    expect(quiz.locator("mjx-container")).to_have_count(0)
    answer_wrongly(quiz)
    quiz.get_by_role("button", name="Submit").click()
    public = question(quiz, "public_limit")
    expect(public.get_by_text(FEEDBACK)).to_be_visible()
    expect(public.locator("mjx-container").first).to_be_visible(timeout=15000)
    assert "\\(" not in public.inner_text(), "no raw TeX left in the feedback"


def test_math_in_a_later_walkthrough_step_is_typeset_when_it_arrives(math_page):
    math_page.goto(f"{DECAY_UNIT}?student=math-learner")
    walkthrough = math_page.locator(".rpt-walkthrough")
    hours = float(re.search(r"Time since calibration:?\s*([\d.]+) h", walkthrough.locator("dl").inner_text()).group(1))
    answer = walkthrough.get_by_label(re.compile("^Your answer"))
    answer.fill(f"{math.exp(-math.log(2) * hours / (6.647 * 24)):.4f}")
    answer.press("Enter")
    expect(walkthrough.get_by_text(STEP_PROMPT)).to_be_visible()
    expect(walkthrough.locator("mjx-container").first).to_be_visible(timeout=15000)
    assert "\\(" not in walkthrough.inner_text(), "no raw TeX left in the step"
