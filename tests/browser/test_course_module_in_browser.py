"""A learner goes through one whole module of the real course in Chromium — the dosimetry module:
every lesson, every walkthrough with every step right, and the module's knowledge check with every
drawn question right — and the scores say so; axe finds nothing in any unit on the way."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from course_learner import answer_quiz_right, complete_walkthrough
from rpt_course.build import build_files
from rpt_course.preview.scenarios import DESCRIPTION_SEPARATOR, course_scenarios, scenario_url
from rpt_xblocks.dosimetry.scenario_olx import TAG as WALKTHROUGH_TAG, scenario_from_xml
from rpt_xblocks.quiz.bank import TAG as QUIZ_TAG, quiz_from_xml
from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
MODULE = "Dosimetry: MIRD, time-integrated activity and dosage calculations"
_, FILES = build_files(Path(__file__).resolve().parents[2] / "course_content")
UNITS = [(name, etree.fromstring(xml)) for name, description, xml in course_scenarios(FILES)
         if description.split(DESCRIPTION_SEPARATOR)[0] == MODULE]


def test_a_learner_completes_the_dosimetry_module(course_page, page_trouble):
    assert len(UNITS) >= 4, "the module has its units"
    student = uuid.uuid4().hex
    kinds = set()
    for name, unit in UNITS:
        course_page.goto(f"{scenario_url(name)}?student={student}")
        for element in unit.iter(WALKTHROUGH_TAG):
            scenario, errors = scenario_from_xml(element)
            assert errors == []
            complete_walkthrough(course_page, scenario, student)
            kinds.add("walkthrough")
        for element in unit.iter(QUIZ_TAG):
            settings, questions, errors = quiz_from_xml(element)
            assert errors == []
            quiz = course_page.locator(".rpt-quiz")
            drawn = answer_quiz_right(quiz, {q.id: q for q in questions})
            assert drawn == settings.draw
            quiz.get_by_role("button", name="Submit").click()
            expect(quiz.locator('[role="status"]')).to_contain_text(f"Score: {drawn} of {drawn}")
            expect(quiz.locator(".rpt-quiz-verdict.rpt-quiz-correct")).to_have_count(drawn)
            kinds.add("quiz")
        if unit.find(".//html") is not None or "<h2>" in course_page.locator(UNIT_REGION).inner_html():
            expect(course_page.locator(f"{UNIT_REGION} h2").first).to_be_visible()
            kinds.add("lesson")
        assert wcag_violations(course_page, UNIT_REGION) == set(), name
    assert kinds == {"lesson", "walkthrough", "quiz"}
    assert not page_trouble, page_trouble
