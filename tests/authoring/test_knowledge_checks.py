"""Issue 16: every teaching module ends with a graded knowledge check.

A teaching module is one with at least one lesson; the final exam is not one (its quiz is the exam,
graded as `Final exam`, not a module's knowledge check). Each teaching module has at least one quiz in
a section with `format: Knowledge check`, with at least 10 questions, every question citing its source
(`citation`) and naming the unit that teaches it (`teaches`); at least one question points at a unit
of the module itself, so the check is about what the module teaches.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"
NOT_TEACHING = {"final_exam"}  # graded as the final exam, not as a module knowledge check
MIN_QUESTIONS = 10


def _modules() -> list[str]:
    return yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]


def _module(folder: str) -> dict:
    return yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))


def _components(module: dict):
    for section in module["sections"]:
        for unit in section["units"]:
            for component in unit["components"]:
                yield section, unit, component


def _teaching_modules() -> list[str]:
    return [folder for folder in _modules() if folder not in NOT_TEACHING
            and any(c["kind"] == "lesson" for _, _, c in _components(_module(folder)))]


def _all_unit_ids() -> set[str]:
    return {unit["id"] for folder in _modules() for section in _module(folder)["sections"]
            for unit in section["units"]}


def _knowledge_checks(folder: str) -> list[tuple[str, dict]]:
    return [(component["file"], yaml.safe_load((CONTENT / folder / component["file"]).read_text("utf-8")))
            for section, _, component in _components(_module(folder))
            if component["kind"] == "quiz" and section.get("format") == "Knowledge check"]


def test_the_teaching_modules_are_the_ones_expected():
    teaching = _teaching_modules()
    # every module but the final exam teaches; if one is added, it needs a knowledge check too
    assert teaching == [m for m in _modules() if m not in NOT_TEACHING]
    assert {"written_directives", "patient_release"} <= set(teaching)


@pytest.mark.parametrize("folder", _teaching_modules())
def test_every_teaching_module_has_a_cited_knowledge_check(folder):
    checks = _knowledge_checks(folder)
    assert checks, f"{folder}: no quiz in a section with `format: Knowledge check`"
    own_units = {unit["id"] for section in _module(folder)["sections"] for unit in section["units"]}
    units = _all_unit_ids()
    for file, quiz in checks:
        questions = quiz["questions"]
        assert len(questions) >= MIN_QUESTIONS, f"{folder}/{file}: {len(questions)} questions"
        uncited = [q["id"] for q in questions if not str(q.get("citation") or "").strip()]
        assert uncited == [], f"{folder}/{file}: questions without a citation"
        untaught = [q["id"] for q in questions if q.get("teaches") not in units]
        assert untaught == [], f"{folder}/{file}: questions whose `teaches` names no unit"
        assert any(q["teaches"] in own_units for q in questions), f"{folder}/{file}: teaches none of its own units"


def _check(folder: str) -> dict:
    (_, quiz), = _knowledge_checks(folder)
    return {q["id"]: q for q in quiz["questions"]}


@pytest.mark.parametrize("folder", ["written_directives", "patient_release"])
def test_the_new_checks_use_several_question_types_and_explain_wrong_choices(folder):
    questions = _check(folder).values()
    assert {"single", "multiple", "truefalse", "numeric"} <= {q["type"] for q in questions}
    for question in questions:
        for choice in question.get("choices", []):
            if not choice.get("correct"):
                # the feedback explains the mistake and cites its source
                assert re.search(r"10 CFR \d|RG 8\.39|Saha", choice.get("feedback", "")), (question["id"], choice["text"])
        if question["type"] == "truefalse":
            wrong = "feedback_false" if question["answer"] else "feedback_true"
            assert question.get(wrong), question["id"]


def test_wrong_administration_questions_say_the_dose_exceeds_the_thresholds():
    # 10 CFR 35.3045(a)(1)(ii): a wrong drug/route/individual/mode is a medical event when the dose
    # EXCEEDS the thresholds; it is not compared with a prescription
    questions = _check("written_directives")
    for question_id in ("me_wrong_individual", "me_wrong_administration_kinds"):
        question = questions[question_id]
        assert question["citation"] == "10 CFR 35.3045(a)(1)(ii)"
        assert "exceed" in question["explanation"]
        correct = [c["text"] for c in question["choices"] if c.get("correct")]
        if question_id == "me_wrong_individual":
            assert len(correct) == 1 and "exceeds" in correct[0]
        assert all("differs from the prescribed" not in text for text in correct)


def test_release_record_question_says_shielding_by_tissue():
    question = _check("patient_release")["pr_record_basis"]
    shielding = [c for c in question["choices"] if "shielding" in c["text"].lower()]
    assert len(shielding) == 1 and shielding[0].get("correct") is True
    assert "Shielding by tissue" in shielding[0]["text"] and "shielding by tissue" in question["explanation"]
