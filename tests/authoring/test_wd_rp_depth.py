"""Issue 16: the written_directives and radiation_protection modules taught to depth.

Each module's lessons hold at least 3,200 words (as `wc -w` counts them), its knowledge check enough
questions, and the radiation protection check points its questions at its own units wherever the
module now teaches the point. 10 CFR 35.3047: the AU's advance approval is an exception for the
embryo/fetus (35.3047(a)) only, not for a nursing child (35.3047(b)). Each test failed on the content
before this change.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def _module(folder: str) -> dict:
    return yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))


def _unit_ids(folder: str) -> set[str]:
    return {unit["id"] for section in _module(folder)["sections"] for unit in section["units"]}


def _questions(quiz: str) -> dict[str, dict]:
    return {q["id"]: q for q in yaml.safe_load((CONTENT / quiz).read_text("utf-8"))["questions"]}


WD_QUIZ = "written_directives/quizzes/written-directives.yaml"
RP_QUIZ = "radiation_protection/quizzes/radiation-protection.yaml"


@pytest.mark.parametrize("folder", ["written_directives", "radiation_protection"])
def test_lessons_hold_at_least_3200_words(folder):
    words = sum(len(p.read_text("utf-8").split()) for p in (CONTENT / folder / "lessons").glob("*.md"))
    assert words >= 3200, f"{folder}: {words} words"


@pytest.mark.parametrize("quiz, minimum", [(WD_QUIZ, 27), (RP_QUIZ, 28)])
def test_knowledge_checks_hold_enough_questions(quiz, minimum):
    assert len(_questions(quiz)) >= minimum


@pytest.mark.parametrize("folder, new_units", [
    ("written_directives", {"wd_administration"}),
    ("radiation_protection", {"rp_alara_monitoring", "rp_packages_waste", "rp_records_deadlines"}),
])
def test_each_new_unit_is_taught_and_examined(folder, new_units):
    assert new_units <= _unit_ids(folder)
    quiz = WD_QUIZ if folder == "written_directives" else RP_QUIZ
    examined = {q["teaches"] for q in _questions(quiz).values()}
    assert new_units <= examined, new_units - examined


def test_rp_questions_point_at_rp_units_where_rp_teaches_the_point():
    questions = _questions(RP_QUIZ)
    # retention periods, reporting clocks and the confined patient's room are taught in this module now
    assert questions["release_record_retention"]["teaches"] == "rp_records_deadlines"
    assert questions["time_limits_ordering"]["teaches"] == "rp_records_deadlines"
    assert questions["medical_event_deadlines"]["teaches"] == "rp_records_deadlines"
    assert questions["patients_not_released"]["teaches"] == "rp_packages_waste"
    own = _unit_ids("radiation_protection")
    elsewhere = {q["teaches"] for q in questions.values()} - own
    # what still points elsewhere is taught only there (release rule, directives, medical-event tests)
    assert elsewhere <= {"rp_patient_release", "rp_written_directives", "rp_medical_events"}
    assert sum(q["teaches"] in own for q in questions.values()) > len(questions) / 2


def test_nursing_child_report_has_no_advance_approval_exception():
    lesson = " ".join((CONTENT / "written_directives/lessons/medical-events.md").read_text("utf-8").split())
    assert "there is no such exception for a nursing child" in lesson
    # the old wording applied the AU's advance approval to both
    assert "nursing-child dose that must be reported unless the AU approved it in advance" not in lesson
    question = _questions(WD_QUIZ)["me_nursing_child_no_approval"]
    assert question["answer"] is False and question["citation"] == "10 CFR 35.3047(b)"
    for quiz, question_id in ((WD_QUIZ, "me_fetus_nursing_child"), (RP_QUIZ, "embryo_fetus_report")):
        text = _questions(quiz)[question_id]["explanation"]
        assert re.search(r"no advance-approval exception", text), (quiz, question_id)


def test_time_out_is_taught_as_local_practice_not_as_35_41():
    text = " ".join((CONTENT / "written_directives/lessons/administration-procedures.md").read_text("utf-8").split())
    assert "local practice, not regulatory text" in text
    assert "Neither the time-out nor the second person is required by name in 35.41" in text
    assert _questions(WD_QUIZ)["wd_time_out_not_named"]["answer"] is False
