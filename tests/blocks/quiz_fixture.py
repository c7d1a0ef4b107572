"""The fixture course's quiz as OLX, built by rpt-course (so the tests use what authors ship)."""
from __future__ import annotations

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


RIGHT = {"public_limit": "a", "limits_that_apply": ["a", "b"], "release_is_by_dose": True,
         "i131_release_activity": "1.22 GBq", "limits_in_order": ["step1", "step2", "step3"]}
WRONG = {"public_limit": "b", "limits_that_apply": ["a", "c"], "release_is_by_dose": False,
         "i131_release_activity": "20 mCi", "limits_in_order": ["step3", "step2", "step1"]}
# Text that only the answer key, explanations or correct-choice data contain.
SECRETS = ["1 mSv (0.1 rem) per year (10 CFR 20.1301)", "50 mSv TEDE and 150 mSv to the lens", "33 mCi (1.2 GBq)",
           "0.02 mSv in an hour, 1 mSv a year", "The criterion is a TEDE", '"correct": true', "correct=", "33.0",
           '"revealed"']
