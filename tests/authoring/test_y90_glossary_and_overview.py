"""Issue 16: the liver-directed therapy lesson (Y-90 microspheres), the course glossary, the question
counts of the modules it deepened, and the orientation overview that now describes what the course has.

Each test reads course_content/ as shipped and fails on the content before this change (no Y-90 unit,
no glossary, 18/23/23/36 questions, an overview that called the checks and walkthroughs "planned").
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "course_content"
Y90_LESSON = CONTENT / "therapy_practice/lessons/y90-microspheres.md"
GLOSSARY = CONTENT / "orientation/lessons/glossary.md"
OVERVIEW = CONTENT / "orientation/lessons/course-and-clinical-training.md"


def _module(folder: str) -> dict:
    return yaml.safe_load((CONTENT / folder / "module.yaml").read_text("utf-8"))


def _unit_ids(folder: str) -> set[str]:
    return {unit["id"] for section in _module(folder)["sections"] for unit in section["units"]}


def _all_unit_ids() -> set[str]:
    modules = yaml.safe_load((CONTENT / "course.yaml").read_text("utf-8"))["modules"]
    return set().union(*(_unit_ids(folder) for folder in modules))


def _questions(path: str) -> list[dict]:
    return yaml.safe_load((CONTENT / path).read_text("utf-8"))["questions"]


def _words(path: Path) -> int:
    return len(path.read_text("utf-8").split())


# --- the Y-90 microsphere lesson ---------------------------------------------------------------------

def test_the_y90_unit_is_in_therapy_practice_with_its_lesson_and_walkthrough():
    units = {unit["id"]: unit for section in _module("therapy_practice")["sections"] for unit in section["units"]}
    kinds = {c["kind"]: c["file"] for c in units["tp_y90_microspheres"]["components"]}
    assert kinds == {"lesson": "lessons/y90-microspheres.md", "walkthrough": "walkthroughs/y90-liver-and-lung-dose.yaml"}
    assert _words(Y90_LESSON) >= 900


def test_the_y90_lesson_cites_the_guidance_revision_and_35_1000():
    text = Y90_LESSON.read_text("utf-8")
    assert "10 CFR 35.1000" in text and "not under 35.390" in text
    assert "Revision 10.2" in text and "April 20, 2021" in text and "ML21089A364" in text
    # the three regulatory topics the brief names, each present
    for topic in ("AU training", "Written directive", "Medical events"):
        assert f"**{topic}.**" in text, topic


def test_the_y90_lesson_uses_the_reference_sheet_physics_and_derives_its_constant():
    text = Y90_LESSON.read_text("utf-8")
    assert "64.10 h" in text and "932.9 keV" in text
    # the derivation: decays per GBq and energy per GBq, as printed in the lesson
    decays = 1e9 * 64.10 * 3600 / math.log(2)
    joules = decays * 932.9 * 1.602176634e-16
    assert "3.329 \\times 10^{14}" in text and f"{decays:.4g}" == "3.329e+14"
    assert "**49.76 J**" in text and f"{joules:.2f}" == "49.76"
    assert f"{math.exp(-math.log(2) * 24 / 64.10):.3f}" == "0.771" and "0.771" in text


@pytest.mark.parametrize("unconfirmed", [
    "section 5 of Revision 10.2",      # the current training wording was not read
    "lung-dose and shunt limits",      # the labeling's limits were not read
    "labeling's own dose formula",     # the "50" of the labeling was not read
    "body-surface-area method",        # the resin product's formula was not read
])
def test_what_the_course_could_not_read_is_marked_unconfirmed(unconfirmed):
    text = Y90_LESSON.read_text("utf-8")
    paragraph = next(p for p in re.split(r"\n\s*\n", text) if unconfirmed.lower() in p.lower())
    assert "UNCONFIRMED" in paragraph, unconfirmed


def test_the_therapy_practice_check_has_at_least_six_y90_questions():
    questions = _questions("therapy_practice/quizzes/therapy-practice.yaml")
    y90 = [q for q in questions if q.get("teaches") == "tp_y90_microspheres"]
    assert len(y90) >= 6
    assert all(str(q.get("citation") or "").strip() for q in y90)
    assert len(questions) >= 42


# --- the glossary ------------------------------------------------------------------------------------

GLOSSARY_TERMS = ("Authorized User (AU)", "Radiation Safety Officer (RSO)", "Written directive", "Medical event",
                  "Time-integrated activity", "S value", "effective half-life", "Radiochemical purity",
                  "TEDE", "ALARA", "Occupancy factor")


def test_the_glossary_is_a_unit_of_orientation():
    units = {unit["id"]: unit for section in _module("orientation")["sections"] for unit in section["units"]}
    assert [c["file"] for c in units["course_glossary"]["components"]] == ["lessons/glossary.md"]


@pytest.mark.parametrize("term", GLOSSARY_TERMS)
def test_every_key_term_is_defined_with_a_citation(term):
    entries = [p for p in re.split(r"\n\s*\n", GLOSSARY.read_text("utf-8")) if p.startswith("**")]
    entry = next((e for e in entries if term.lower() in e.split(".**")[0].lower()), None)
    assert entry is not None, f"no glossary entry for {term}"
    assert re.search(r"\[\^\w+\]", entry), f"the entry for {term} cites no source"


# --- question counts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("folder, path, minimum", [
    ("orientation", "orientation/quizzes/orientation.yaml", 27),
    ("radiation_biology", "radiation_biology/quizzes/radiation-biology.yaml", 27),
    ("rpt_program", "rpt_program/quizzes/rpt-program.yaml", 27),
    ("therapy_practice", "therapy_practice/quizzes/therapy-practice.yaml", 42),
])
def test_the_deepened_checks_have_their_counts_and_teach_their_own_module(folder, path, minimum):
    questions = _questions(path)
    assert len(questions) >= minimum, (path, len(questions))
    assert len({q["id"] for q in questions}) == len(questions)
    own = _unit_ids(folder)
    assert [q["id"] for q in questions if q.get("teaches") not in own] == []
    assert [q["id"] for q in questions if not str(q.get("citation") or "").strip()] == []


# --- the orientation overview ------------------------------------------------------------------------

def test_the_overview_no_longer_calls_the_course_parts_planned():
    text = OVERVIEW.read_text("utf-8")
    assert "planned" not in text.lower()
    for part in ("Knowledge checks", "Dosimetry walkthroughs", "Prerequisite tracker", "Glossary", "Final exam"):
        assert f"| {part}" in text, part


def test_the_overview_links_name_units_that_exist():
    links = re.findall(r"/jump_to_id/([\w-]+)", OVERVIEW.read_text("utf-8"))
    assert {"course_glossary", "orientation_check", "au_tracker"} <= set(links)
    assert set(links) <= _all_unit_ids()
