"""The quiz's learner-facing words: the labels quiz.js shows, and points written for people.

Contract:
- `format_points(value)` writes a number of points to one decimal place, rounded *down* (a score is
  never shown higher than it is: 4.96 shows as 4.9, not 5; full marks only when earned in full),
  whole numbers without a decimal ("5", not "5.0"). One rule for every score in the quiz.
- `score_text(ngettext, earned, possible)`: "Score: 4.9 of 10 points"; `question_points(ngettext,
  earned, possible)`: "0.5 of 1 point". Plurals follow `possible` (a whole number of questions)
  through the i18n service's ngettext, so "1 point" and "2 points" are each translated in full.
- `labels(gettext, ngettext, total)` -> the labels quiz.js needs for a quiz of `total` questions;
  templates with `{name}` slots are filled in the browser, counts whose plural depends on `total` are
  chosen here ("{answered} of 30 questions answered").
Every string passes through the runtime's translation (the block gives `gettext`/`ngettext`).
"""
from __future__ import annotations

import math
from typing import Callable

Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


def format_points(value: float) -> str:
    tenths = math.floor(round(float(value) * 10, 6))  # round() first: 0.7 * 10 is 6.999..., not 7
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths / 10:.1f}"


def _whole(possible: float) -> int:
    return int(round(possible))


def score_text(ngettext: Ngettext, earned: float, possible: float) -> str:
    return ngettext("Score: {earned} of {possible} point", "Score: {earned} of {possible} points",
                    _whole(possible)).format(earned=format_points(earned), possible=format_points(possible))


def question_points(ngettext: Ngettext, earned: float, possible: float) -> str:
    return ngettext("{earned} of {possible} point", "{earned} of {possible} points",
                    _whole(possible)).format(earned=format_points(earned), possible=format_points(possible))


def submissions_text(ngettext: Ngettext, count: int) -> str:
    """Item analysis: "1 graded submission." / "12 graded submissions."."""
    return ngettext("{n} graded submission.", "{n} graded submissions.", count).format(n=count)


def checks_left_text(ngettext: Ngettext, left: int) -> str:
    return ngettext("{n} check left for this question.", "{n} checks left for this question.", left).format(n=left)


def labels(t: Gettext, ngettext: Ngettext, total: int) -> dict:
    return {
        "submit": t("Submit"), "reset": t("Try again"), "hint": t("Hint"),
        "attempts": t("Attempts used: {used} of {max}"), "attempts_unlimited": t("Attempts used: {used}"),
        "correct": t("Correct"), "incorrect": t("Incorrect"), "partially_correct": t("Partially correct"),
        "unanswered": t("Not answered"), "true": t("True"), "false": t("False"),
        "answer": t("Answer"), "explanation": t("Explanation"), "source": t("Source"),
        "review": t("Review the lesson"), "move_up": t("Move up"), "move_down": t("Move down"),
        "position": t("Step {n}"), "numeric_label": t("Your answer, with its unit (e.g. {unit})"),
        "numeric_label_plain": t("Your answer"), "error": t("Something went wrong: {message}"),
        "submitted": t("Your answers were submitted."), "order_help": t("Use the buttons to put the steps in order."),
        "question": t("Question {n} of {total}"),
        "progress": ngettext("{answered} of {total} question answered", "{answered} of {total} questions answered",
                             total).replace("{total}", str(total)),
        "next_unanswered": t("Go to the next unanswered question"),
        "all_answered": t("Every question has an answer."),
        "confirm_title": t("Some questions are not answered"),
        "confirm_text": t("Unanswered questions score 0 points. Submit anyway, or go back and answer them:"),
        "confirm_submit": t("Submit with unanswered questions"), "confirm_back": t("Keep answering"),
        "question_link": t("Question {n}"),
        "check": t("Check"), "check_unanswered": t("Answer this question before checking it."), "draft_saved": t("Your answers are saved as you go."),
        "draft_failed": t("Your latest answers could not be saved: {message}"),
        "analysis": t("Item analysis"), "analysis_question": t("Question"), "analysis_responses": t("Responses"),
        "analysis_correct": t("Percent correct"), "analysis_discrimination": t("Discrimination index"),
        "analysis_distribution": t("Choices (submissions)"), "analysis_csv": t("Download the item analysis (CSV)"),
    }
