"""The fixture course's quiz as OLX, built by rpt-course (so the tests use what authors ship)."""
from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from rpt_course.build import build_files

GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"


def quiz_olx(**attributes) -> str:
    """The `<rpt_quiz>` of the fixture course, with attributes overridden as given."""
    _, files = build_files(GOOD_COURSE)
    vertical = etree.fromstring(files["course/vertical/check_unit.xml"])
    quiz = vertical.find("rpt_quiz")
    for name, value in attributes.items():
        quiz.set(name, str(value))
    return etree.tostring(quiz, encoding="unicode")


_ANSWERS = json.loads((GOOD_COURSE.parent.parent / "quiz_answers.json").read_text("utf-8"))
RIGHT, WRONG = _ANSWERS["right"], _ANSWERS["wrong"]
# Text that only the answer key, explanations or correct-choice data contain.
SECRETS = ["1 mSv (0.1 rem) per year (10 CFR 20.1301)", "50 mSv TEDE and 150 mSv to the lens", "33 mCi (1.2 GBq)",
           "0.02 mSv in an hour, 1 mSv a year", "The criterion is a TEDE", '"correct": true', "correct=", "33.0",
           '"revealed"']


def as_browser(block, answers: dict) -> dict:
    """Author-id `answers` as the block's current learner's browser sends them (choice and step
    stand-ins, learner_view.answers_for_browser)."""
    from rpt_xblocks.quiz import learner_view
    return learner_view.answers_for_browser(block.bank_questions(), answers, block.stand_in_key())


def browser_payload(block, handler: str, payload: dict) -> dict:
    """`payload` for `block`'s `handler` as the browser sends it: a quiz submission's author-id
    answers in the learner's stand-ins (`as_browser`); anything else unchanged."""
    if handler == "submit" and hasattr(block, "bank_questions") and isinstance(payload.get("answers"), dict):
        return {**payload, "answers": as_browser(block, payload["answers"])}
    return payload
