"""Clinical accuracy of course_content/ (issue 16): each test asserts a specific fact against the
course reference sheet (/work/shared/reference/rpt-facts.md) or the primary source it names, and
failed on the content before the fix."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from course_walkthroughs import course_walkthroughs
from course_walkthroughs import expected as _expected
from rpt_xblocks.quantities import check_numeric

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def _step(url_name: str, step_id: str):
    return next(s for s in course_walkthroughs()[url_name].steps if s.id == step_id)


def _question(quiz: str, question_id: str) -> dict:
    questions = yaml.safe_load((CONTENT / quiz).read_text("utf-8"))["questions"]
    return next(q for q in questions if q["id"] == question_id)


def _plain(text: str) -> str:
    """Markdown without emphasis markers, whitespace collapsed."""
    return re.sub(r"\s+", " ", text.replace("**", ""))


def _segments(text: str, after: str = ".;,") -> list[str]:
    """Sentences, clauses and table rows: split after the characters in `after` (and whitespace),
    at blank lines, table rows and numbered list items."""
    parts = re.split(rf"(?<=[{after}])\s+|\n\s*\n|\n(?=\s*\|)|\n(?=\d+\. )", text.replace("**", ""))
    return [re.sub(r"\s+", " ", p) for p in parts if p.strip()]


# --- 1. Xofigo decay factor: the label's table includes a 7-hour offset ---------------------------------
# Xofigo US prescribing information, section 2, Table 1 "Decay Correction Factor Table" (corrected to
# 12 noon CST, including the 7-hour difference from 12 noon CET at manufacture; reference sheet
# section 5). Days 0 to 14; the walkthrough's day parameter runs forward from the reference date.
XOFIGO_LABEL_TABLE = {0: 0.982, 1: 0.925, 2: 0.870, 3: 0.819, 4: 0.771, 5: 0.725, 6: 0.683, 7: 0.643,
                      8: 0.605, 9: 0.569, 10: 0.536, 11: 0.504, 12: 0.475, 13: 0.447, 14: 0.420}


@pytest.mark.parametrize("day, label", sorted(XOFIGO_LABEL_TABLE.items()))
def test_xofigo_walkthrough_decay_factor_matches_the_label_table(day, label):
    expected = _expected("do_xofigo_volume_walkthrough", W="70 kg", n=f"{day} d")
    assert round(expected["df"], 3) == pytest.approx(label, abs=1e-9)  # the table's 3 decimals
    assert expected["volume"].m_as("mL") == pytest.approx(70 * 55 / (expected["df"] * 1100), rel=1e-9)
    # The label's own (rounded) factor is accepted as the learner's answer; the factor without the
    # 7 h (about 1.8% higher) is not.
    step = _step("do_xofigo_volume_walkthrough", "df")
    assert check_numeric(f"{label}", expected["df"], "", step.tolerance).correct
    without_offset = 0.5 ** (day / 11.43)
    assert not check_numeric(f"{without_offset:.4f}", expected["df"], "", step.tolerance).correct


def test_xofigo_quiz_uses_the_label_day_0_factor_not_1():
    question = _question("dosimetry/quizzes/dosimetry.yaml", "xofigo_volume_reference_day")
    assert "decay factor 1" not in question["prompt"]
    assert "0.982" in question["prompt"]
    volume = 80 * 55 / (0.982 * 1100)  # 4.07 mL
    assert check_numeric(f"{volume} mL", question["answer"], question["unit"], question["tolerance"]).correct
    assert check_numeric("4.07 mL", question["answer"], question["unit"], question["tolerance"]).correct
    assert not check_numeric("4.0 mL", question["answer"], question["unit"], question["tolerance"]).correct


# --- 2. 10 CFR 35.3045: three separate medical-event tests -----------------------------------------------
MEDICAL_EVENT_LESSONS = ("written_directives/lessons/medical-events.md",
                         "physics_instrumentation/lessons/dose-calibrators.md",
                         "rpt_program/lessons/written-procedures.md")
WRONG_ADMINISTRATION = re.compile(r"wrong (radioactive )?drug|wrong route|wrong (patient|individual)|wrong mode", re.I)


@pytest.mark.parametrize("lesson", MEDICAL_EVENT_LESSONS)
def test_lesson_states_the_three_medical_event_tests(lesson):
    text = _plain((CONTENT / lesson).read_text("utf-8"))
    # (1) the dose differs from the prescribed dose, with the 20% dosage criterion
    assert "differs from the prescribed dose" in text
    assert "20% or more" in text
    # (2) wrong drug, route, individual, mode: judged by a dose that EXCEEDS the thresholds
    for phrase in ("wrong drug", "wrong route", "wrong individual", "wrong mode of treatment"):
        assert re.search(phrase.replace("drug", r"(radioactive )?drug"), text), phrase
    # (3) the non-treatment-site test, 0.5 Sv (50 rem) and 50%
    assert "other than the treatment site" in text
    assert re.search(r"0\.5 Sv \(50 rem\) or more and by 50% or more", text)
    for paragraph in ("35.3045(a)(1)(i)", "(a)(1)(ii)", "(a)(1)(iii)"):
        assert paragraph in text, paragraph
    # The old caveat that the NRC's text was unconfirmed is gone: the sheet now confirms it.
    assert "copied verbatim" not in text and "copied into Agreement State" not in text


@pytest.mark.parametrize("lesson", MEDICAL_EVENT_LESSONS)
def test_wrong_drug_is_judged_by_a_dose_exceeding_the_thresholds_not_by_differing(lesson):
    segments = [s for s in _segments((CONTENT / lesson).read_text("utf-8"), after=".;")
                if WRONG_ADMINISTRATION.search(s)]
    assert segments, "the lesson names the wrong-drug/route/individual/mode test"
    for segment in segments:
        assert "exceed" in segment, segment
        assert "differs from the prescribed" not in segment and "differing by" not in segment, segment


def test_medical_events_lesson_excludes_patient_intervention():
    text = _plain((CONTENT / "written_directives/lessons/medical-events.md").read_text("utf-8"))
    assert "patient intervention" in text and "35.3045(b)" in text
    assert "any one" in text  # the three tests are alternatives, not steps of one test


# --- 3. Lu-177 maximum beta range: one value, one source ---------------------------------------------------
# The reference sheet (section 4) gives no Lu-177 range; the course uses Ting et al. 2010, J Biomed
# Biotechnol 2010:953537, Table 2: maximum 1.6 mm, mean 0.67 mm.
LU177 = re.compile(r"Lu-?177|177Lu|lutetium", re.I)
OTHER_NUCLIDE = re.compile(r"\b(?!Lu-177)[A-Z][a-z]?-\d{1,3}m?\b")
LU177_RANGES = {1.6, 0.67}


def _course_texts():
    for path in sorted(CONTENT.rglob("*")):
        if path.suffix in (".md", ".yaml") and path.name != "README.md":
            yield path, path.read_text("utf-8")


def test_no_lesson_or_question_gives_another_lu177_range():
    found = []
    for path, text in _course_texts():
        for segment in _segments(text):
            if LU177.search(segment) and not OTHER_NUCLIDE.search(segment):
                for value in re.findall(r"(\d+(?:\.\d+)?)\s*mm\b", segment):
                    found.append((path.relative_to(CONTENT).as_posix(), float(value), segment))
    assert found, "the course states the Lu-177 range somewhere"
    wrong = [(path, value, segment) for path, value, segment in found if value not in LU177_RANGES]
    assert wrong == []


@pytest.mark.parametrize("lesson", ["therapy_practice/lessons/lutathera.md",
                                    "radiation_biology/lessons/let-range-and-rbe.md",
                                    "radiation_biology/lessons/alpha-beta-and-electron-emitters.md"])
def test_lu177_lessons_state_1_6_mm_from_ting_2010(lesson):
    text = _plain((CONTENT / lesson).read_text("utf-8"))
    assert "1.6 mm" in text and "2.2 mm" not in text
    assert "Ting et al. 2010" in text and "953537, Table 2" in text


def test_lutathera_lesson_gives_no_other_range_in_mm():
    text = (CONTENT / "therapy_practice/lessons/lutathera.md").read_text("utf-8")
    values = {float(v) for v in re.findall(r"(\d+(?:\.\d+)?)\s*mm\b", text)}
    assert values and values <= LU177_RANGES


# --- 4. Ambiguous or wrong-keyed questions --------------------------------------------------------------------
def test_release_record_question_says_shielding_by_tissue():
    question = _question("radiation_protection/quizzes/radiation-protection.yaml", "release_record_triggers")
    shielding = [c for c in question["choices"] if "shielding" in c["text"].lower()]
    assert len(shielding) == 1 and shielding[0].get("correct") is True
    assert "by tissue" in shielding[0]["text"]  # 10 CFR 35.2075(a): "shielding by tissue"
    assert "shielding by tissue" in question["explanation"]


def test_confined_patient_question_allows_waste_handling_instead_of_a_survey():
    question = _question("radiation_protection/quizzes/radiation-protection.yaml", "patients_not_released")
    items = [c for c in question["choices"] if "items" in c["text"].lower()]
    assert len(items) == 1 and items[0].get("correct") is True
    # 10 CFR 35.315(a)(4): items monitored before removal OR handled as radioactive waste
    assert "radioactive waste" in items[0]["text"]
    assert "radioactive waste" in question["explanation"]


def test_lessons_say_items_may_be_handled_as_radioactive_waste():
    text = _plain((CONTENT / "patient_release/lessons/release-records-and-confinement.md").read_text("utf-8"))
    assert "or handled as radioactive waste" in text


def test_i131_instructions_step_accepts_the_guides_rounded_7_mci():
    expected = _expected("rp_i131_instructions_walkthrough")["Q_instr"].m_as("mCi")
    assert expected == pytest.approx(6.54, abs=0.005)  # RG 8.39 Eq. 2 at 0.1 rem
    step = _step("rp_i131_instructions_walkthrough", "Q_instr")
    # The guide's own default: 7 mCi (0.26 GBq) (reference sheet section 3; NRC RG 8.39 Rev. 1)
    for published in ("7 mCi", "0.26 GBq", "6.5 mCi"):
        assert check_numeric(published, expected, "mCi", step.tolerance).correct, published
    for wrong in ("8 mCi", "33 mCi", "5.9 mCi"):
        assert not check_numeric(wrong, expected, "mCi", step.tolerance).correct, wrong


def test_confinement_lesson_allows_a_room_shared_with_another_patient_who_cannot_be_released():
    """10 CFR 35.315: a private room with a private sanitary facility, or a room shared with another
    patient who also cannot be released (rpt-facts.md, patients who cannot be released)."""
    text = " ".join((CONTENT / "patient_release" / "lessons" / "release-records-and-confinement.md")
                    .read_text("utf-8").split())
    assert "private room with a private sanitary facility**, or a room shared with another patient who also cannot be released" in text


# --- 35.3047: the AU's advance approval excuses an embryo/fetus dose only, never a nursing child's ----------

def _all_texts():
    for path in sorted(CONTENT.rglob("*")):
        if path.suffix in {".md", ".yaml"}:
            yield path, path.read_text("utf-8")


def test_no_text_excuses_a_nursing_childs_dose_by_advance_approval():
    """10 CFR 35.3047(a) reports an embryo/fetus dose > 50 mSv unless the AU approved it in advance;
    35.3047(b) reports a nursing child's dose > 50 mSv with no such exception. A clause that names a
    nursing child and an advance approval must say the approval is for the embryo/fetus only."""
    qualifiers = ("embryo/fetus unless", "embryo/fetus only", "no advance-approval", "no such",
                  "none for a nursing", "always", "unless the au specifically approved it in advance) or to a nursing child",
                  "unless the dose to the embryo/fetus", "need not be reported if the au approved")
    wrong = []
    for path, text in _all_texts():
        for segment in _segments(text, after=".;"):
            low = segment.lower()
            if "nursing child" in low and "approv" in low and not any(q in low for q in qualifiers):
                wrong.append(f"{path.relative_to(CONTENT)}: {segment[:160]}")
    assert not wrong, "\n".join(wrong)


# --- 10 CFR 35.204(b): "first eluate after receipt" is the pre-2019 text ---------------------------------
# 83 FR 33046 (final rule, effective 2019-01-14), summary: it "amends the requirements for measuring
# molybdenum contamination" and adds the eluate report of 35.3204. Before it, 35.204(b) required the
# Mo-99 concentration of "the first eluate after receipt of a generator"; an Agreement State rule adopted
# since reads "in each eluate from a generator" (Minn. R. 4731.4435 B). The current federal wording was
# not read, so lessons and quizzes may give the old rule only as the old rule, never as the current one.

def _lessons_and_quizzes():
    for path in sorted(CONTENT.rglob("*")):
        if (path.suffix == ".md" and path.parent.name == "lessons") or (
                path.suffix == ".yaml" and path.parent.name == "quizzes"):
            yield path, path.read_text("utf-8")


def test_no_lesson_or_quiz_teaches_first_eluate_after_receipt_as_the_current_rule():
    wrong = []
    for path, text in _lessons_and_quizzes():
        for segment in _segments(text, after=".;"):
            # allowed: the dated old rule, and the distractor that the 35.3204 question marks wrong
            if "first eluate after receipt" in segment.lower() and not re.search(
                    r"Until 14 January 2019|Only if it was the first eluate", segment):
                wrong.append(f"{path.relative_to(CONTENT)}: {segment[:160]}")
    assert not wrong, "\n".join(wrong)


def test_generator_lesson_dates_the_old_mo99_rule_and_marks_the_current_one_unconfirmed():
    text = _plain((CONTENT / "radiopharmacy/lessons/generators-and-kits.md").read_text("utf-8"))
    assert "83 FR 33046" in text and "Minn. R. 4731.4435" in text
    assert "each eluate" in text and "UNCONFIRMED" in text


def test_mo99_when_question_is_keyed_on_the_35_3204_report_not_the_old_35_204b_text():
    question = _question("radiopharmacy/quizzes/radiopharmacy.yaml", "rx_mo99_when")
    correct = [c for c in question["choices"] if c.get("correct")]
    assert len(correct) == 1 and "time of generator elution" in correct[0]["text"]
    assert "first eluate" not in correct[0]["text"].lower()
    assert "first eluate after receipt" not in question["explanation"]
    assert "35.3204" in question["citation"]


def test_purity_warning_reports_only_an_eluate_above_the_limit_at_elution():
    """35.3204 reports an eluate that exceeded the limit "at the time of generator elution"; a preparation
    that grows above it later may not be administered (35.204(a)) but is not a 35.3204 report."""
    text = (CONTENT / "radiopharmacy/lessons/purity.md").read_text("utf-8")
    reported = [s for s in _segments(text, after=".") if "35.3204" in s and "reported" in s]
    assert reported
    for segment in reported:
        assert "at the time of generator elution" in segment, segment


# --- 10 CFR 35.315: the visitor note may be on the door or in the chart; shared room; notification ---------
# 35.315(a)(1) "(ii) A room, with a private sanitary facility, with another individual who also has
# received therapy with unsealed byproduct material and who also cannot be released"; (a)(2) "Visibly post
# the ... room with a 'Radioactive Materials' sign"; (a)(3) "Note on the door or in the patient's ... chart
# where and how long visitors may stay"; (b) "notify the Radiation Safety Officer, or his or her designee,
# and an authorized user as soon as possible".
CONFINEMENT_LESSONS = ("radiation_protection/lessons/packages-posting-and-waste.md",
                       "patient_release/lessons/release-records-and-confinement.md")


def test_every_visitor_note_allows_the_chart():
    wrong = []
    for path, text in _lessons_and_quizzes():
        for segment in _segments(text, after=".;"):
            low = segment.lower()
            if ("visitors may stay" in low or "note on the door" in low) and "chart" not in low:
                wrong.append(f"{path.relative_to(CONTENT)}: {segment[:160]}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("lesson", CONFINEMENT_LESSONS)
def test_confinement_lessons_follow_35_315(lesson):
    text = _plain((CONTENT / lesson).read_text("utf-8"))
    assert "on the door or in the patient's chart" in text
    assert "that room, too, with a private sanitary facility" in text
    assert "also treated with unsealed byproduct material" in text
    assert "as soon as possible" in text and "notified at once" not in text


# --- Preceptor attestation: removed from the board-certification route in 2018 ------------------------------
# 83 FR 33046, summary: the rule amends the T&E requirements "to remove from multiple sections the
# requirement to obtain a written attestation for an individual who is certified by a specialty board".

def test_glossary_does_not_require_an_attestation_on_every_route():
    text = _plain((CONTENT / "orientation/lessons/glossary.md").read_text("utf-8"))
    assert "ends every training-and-experience route" not in text
    assert "not required of an individual qualifying by certification" in text and "83 FR 33046" in text


# --- The orientation's list of where the walkthroughs are matches the modules -----------------------------

def test_orientation_names_every_module_with_a_walkthrough():
    row = next(line for line in (CONTENT / "orientation/lessons/course-and-clinical-training.md")
               .read_text("utf-8").splitlines() if line.startswith("| Dosimetry walkthroughs"))
    where = row.rstrip(" |").rsplit("|", 1)[1]
    for module in sorted(CONTENT.glob("*/module.yaml")):
        data = yaml.safe_load(module.read_text("utf-8"))
        kinds = [c.get("kind") for s in data.get("sections", []) for u in s.get("units", [])
                 for c in u.get("components", [])]
        if "walkthrough" in kinds:
            short = data["title"].split(":")[0].split(" for ")[0].replace("Radiation physics and instrumentation",
                                                                          "Physics and instrumentation")
            assert short.lower() in where.lower(), (module.parent.name, short, where)


# --- When "discovery" happens during a dose estimate is not in the rule's text ---------------------------
# 10 CFR 35.3045(c)-(e) run the clocks from "discovery of the medical event"; the text does not say
# whether a swap under dose estimation is already discovered. The lesson may advise the safe reading, as
# local practice, but not state it as the rule.

def test_medical_events_lesson_labels_its_reading_of_discovery():
    text = _plain((CONTENT / "written_directives/lessons/medical-events.md").read_text("utf-8"))
    assert "runs from discovery, not from the end of the dose estimate" not in text
    assert "not settled by the text this course has read (UNCONFIRMED)" in text
    assert "local practice" in text


def test_no_walkthrough_teaches_the_pre_2019_first_eluate_rule_of_35_204b():
    """83 FR 33046 (effective 2019-01-14) amended the Mo-99 measurement of 35.204(b); the 'first eluate
    after receipt' wording is the 2007 text. A walkthrough may not present it as the rule."""
    stale = [f"{path.relative_to(CONTENT)}" for path in CONTENT.rglob("walkthroughs/*.yaml")
             if "first eluate after receipt" in path.read_text("utf-8")]
    assert not stale, stale
