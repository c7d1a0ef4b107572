"""The walkthrough page's learner-facing words, translated by the block's i18n service.

Contract: `labels(gettext)` returns the dict the browser code (static/walkthrough.js) reads as
`labels`; `{name}` fields are filled in there. Every string is wrapped in `gettext`.
"""
from __future__ import annotations


def labels(t) -> dict:
    return {
        "parameters": t("Your numbers"), "step": t("Step {n} of {total}"), "check": t("Check"), "hint": t("Hint"),
        "answer_label": t("Your answer, with its unit (e.g. {unit})"), "answer_label_plain": t("Your answer"),
        "answer_label_percent": t("Your answer, in percent (e.g. 12 or 12%)"),
        "attempts_left": t("Attempts left for this step: {n}"), "correct": t("Correct"),
        "incorrect": t("Not quite"), "reference": t("Reference value: {value}"), "your_answer": t("Your answer: {value}"),
        "tries": t("Your answers to this step"), "try_right": t("Try {n}: {value} (right)"),
        "try_wrong": t("Try {n}: {value} (not right)"), "diagnosis": t("Likely slip: {message}"),
        "source": t("Source: {source}"), "summary": t("Your calculation"), "score": t("Steps right: {earned} of {possible}"),
        "print": t("Print this summary"),
        "practice": t("Practise again with new numbers"), "practice_more": t("Practise again with other numbers"),
        "practice_heading": t("Practice round {n} (not graded)"),
        "practice_note": t("Practice only: these answers are not graded or recorded, and your score above does not change."),
        "practice_numbers": t("Practice numbers"), "show_answer": t("Show the answer"),
        "practice_done": t("Practice round finished."),
    }
