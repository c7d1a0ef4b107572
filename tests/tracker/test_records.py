"""Checking one logged entry: what is stored, and which field each refusal points at."""
from __future__ import annotations

import sys
import unicodedata
from datetime import date

import pytest

from rpt_xblocks.tracker import records
from rpt_xblocks.tracker.records import LIMITS, EntryError, entry_fields
from rpt_xblocks.translation import translated_by

TODAY = date(2026, 3, 1)

GOOD = {
    "didactic": {"provider": "ASTRO AU course", "start": "2026-01-10", "end": "2026-01-12",
                 "hours": {"physics_instrumentation": 10, "radiation_protection": 8.5, "mathematics": 0},
                 "certificate": "ASTRO-2026-77"},
    "work": {"item": "B", "date": "2026-02-03", "hours": 2.5, "supervising_au": "Dr A. Jones",
             "site": "Main campus hot lab", "description": "Dose calibrator constancy and linearity checks"},
    "case": {"date": "2026-02-20", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate (Lutathera)",
             "activity": "7.4 GBq", "supervising_au": "Dr A. Jones", "case_reference": "LU-2026-014",
             "notes": "Lutathera cycle 2, 7.4 GBq, no spill"},
    "declaration": {"requirement": "board_certified", "date": "2026-01-05", "reference": "ABNM 12"},
}


def fields(kind: str, **changes) -> dict:
    data = {**GOOD[kind], **changes}
    return {name: value for name, value in data.items() if value is not ...}  # ... removes a key


def refusal(kind: str, data: object) -> EntryError:
    with pytest.raises(EntryError) as caught:
        entry_fields(kind, data, TODAY)
    assert caught.value.message and caught.value.message == str(caught.value)
    return caught.value


# ---- accepted and normalised --------------------------------------------------------------------

def test_didactic_is_accepted_with_hours_per_topic():
    assert entry_fields("didactic", fields("didactic"), TODAY) == {
        "provider": "ASTRO AU course", "start": "2026-01-10", "end": "2026-01-12",
        "hours": {"physics_instrumentation": 10.0, "radiation_protection": 8.5}, "certificate": "ASTRO-2026-77"}


def test_work_is_accepted():
    stored = entry_fields("work", fields("work"), TODAY)
    assert stored == {"item": "B", "date": "2026-02-03", "hours": 2.5, "supervising_au": "Dr A. Jones",
                      "site": "Main campus hot lab", "description": "Dose calibrator constancy and linearity checks"}
    assert isinstance(stored["hours"], float)


def test_case_is_accepted_with_its_activity_in_mbq():
    stored = entry_fields("case", fields("case"), TODAY)
    assert stored == {"date": "2026-02-20", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate (Lutathera)",
                      "activity": {"value": 7.4, "unit": "GBq"}, "activity_mbq": 7400.0,
                      "supervising_au": "Dr A. Jones", "case_reference": "LU-2026-014",
                      "notes": "Lutathera cycle 2, 7.4 GBq, no spill"}


def test_declaration_is_accepted():
    assert entry_fields("declaration", fields("declaration"), TODAY) == {
        "requirement": "board_certified", "date": "2026-01-05", "reference": "ABNM 12"}


@pytest.mark.parametrize("text, value, unit, mbq", [
    ("200 mCi", 200.0, "mCi", 7400.0),
    ("7.4 GBq", 7.4, "GBq", 7400.0),
    ("3.7e9 Bq", 3.7e9, "Bq", 3700.0),
    ("100 GBq", 100.0, "GBq", 100_000.0),
    ("1.5 × 10^3 MBq", 1500.0, "MBq", 1500.0),
    ("  30 mCi ", 30.0, "mCi", 1110.0),
])
def test_activities_are_stored_as_typed_and_in_mbq(text, value, unit, mbq):
    stored = entry_fields("case", fields("case", activity=text), TODAY)
    assert stored["activity"] == {"value": value, "unit": unit}
    assert stored["activity_mbq"] == mbq


def test_optional_fields_may_be_absent_null_or_empty():
    assert entry_fields("didactic", fields("didactic", certificate=...), TODAY)["certificate"] == ""
    assert entry_fields("work", fields("work", description=None), TODAY)["description"] == ""
    assert entry_fields("case", fields("case", notes=""), TODAY)["notes"] == ""
    assert entry_fields("declaration", fields("declaration", reference=...), TODAY)["reference"] == ""


def test_texts_are_stripped_and_one_line_texts_collapsed():
    stored = entry_fields("case", fields("case", supervising_au="  Dr  A.   Jones ",
                                         notes="  cycle 2\r\n\r\nno spill  "), TODAY)
    assert stored["supervising_au"] == "Dr A. Jones"
    assert stored["notes"] == "cycle 2\n\nno spill"


@pytest.mark.parametrize("typed, stored", [
    ("<script>alert(1)</script>Main lab", "alert(1)Main lab"),
    ('<img src=x onerror="alert(1)">Main lab', "Main lab"),
    ("<b>Main</b> lab<!-- hidden -->", "Main lab"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;lab", "alert(1)lab"),
    ("dose < 1 GBq & rising", "dose < 1 GBq & rising"),
])
def test_markup_is_removed_and_text_kept(typed, stored):
    assert entry_fields("work", fields("work", site=typed), TODAY)["site"] == stored


def test_a_period_of_days_allows_24_hours_a_day():
    data = fields("didactic", start="2026-01-01", end="2026-01-02", hours={"radiation_biology": 48})
    assert entry_fields("didactic", data, TODAY)["hours"] == {"radiation_biology": 48.0}
    data["hours"] = {"radiation_biology": 40, "chemistry": 8.5}
    assert refusal("didactic", data).field == "hours"


def test_today_and_1950_are_allowed_dates():
    assert entry_fields("work", fields("work", date="2026-03-01"), TODAY)["date"] == "2026-03-01"
    assert entry_fields("work", fields("work", date="1950-01-01"), TODAY)["date"] == "1950-01-01"


# ---- refusals, each naming its field ------------------------------------------------------------

@pytest.mark.parametrize("kind, changes, field", [
    # didactic
    ("didactic", {"provider": ""}, "provider"),
    ("didactic", {"provider": "   "}, "provider"),
    ("didactic", {"provider": "<b></b>"}, "provider"),
    ("didactic", {"provider": "x" * 201}, "provider"),
    ("didactic", {"start": "2026-1-10"}, "start"),
    ("didactic", {"start": "10/01/2026"}, "start"),
    ("didactic", {"start": "20260110"}, "start"),
    ("didactic", {"start": "2026-02-30"}, "start"),
    ("didactic", {"start": "１９９９-01-01"}, "start"),
    ("didactic", {"start": "1949-12-31"}, "start"),
    ("didactic", {"end": "2026-03-02"}, "end"),
    ("didactic", {"end": "2026-01-09"}, "end"),
    ("didactic", {"hours": {}}, "hours"),
    ("didactic", {"hours": {"mathematics": 0}}, "hours"),
    ("didactic", {"hours": {"astrology": 3}}, "hours"),
    ("didactic", {"hours": {"mathematics": -1}}, "hours.mathematics"),
    ("didactic", {"hours": {"mathematics": "3"}}, "hours.mathematics"),
    ("didactic", {"hours": {"mathematics": 73}}, "hours.mathematics"),
    ("didactic", {"hours": {"chemistry": 40, "mathematics": 40}}, "hours"),
    ("didactic", {"hours": [3, 4]}, "hours"),
    ("didactic", {"certificate": 12}, "certificate"),
    # work
    ("work", {"item": "F"}, "item"),
    ("work", {"item": "b"}, "item"),
    ("work", {"item": ["B"]}, "item"),
    ("work", {"date": "2027-01-01"}, "date"),
    ("work", {"hours": 0}, "hours"),
    ("work", {"hours": 24.5}, "hours"),
    ("work", {"hours": -2}, "hours"),
    ("work", {"hours": None}, "hours"),
    ("work", {"supervising_au": ""}, "supervising_au"),
    ("work", {"site": ...}, "site"),
    ("work", {"description": "x" * 501}, "description"),
    ("work", {"description": "Supervised while treating John Smith"}, "description"),
    # case
    ("case", {"date": ""}, "date"),
    ("case", {"category": "G4"}, "category"),
    ("case", {"category": None}, "category"),
    ("case", {"radiopharmaceutical": ""}, "radiopharmaceutical"),
    ("case", {"activity": ""}, "activity"),
    ("case", {"activity": 7.4}, "activity"),
    ("case", {"activity": "7.4"}, "activity"),
    ("case", {"activity": "7.4 gbq"}, "activity"),
    ("case", {"activity": "0 GBq"}, "activity"),
    ("case", {"activity": "-7.4 GBq"}, "activity"),
    ("case", {"activity": "100.1 GBq"}, "activity"),
    ("case", {"activity": "1e300 GBq"}, "activity"),
    ("case", {"activity": "7.4 MBq*h/s"}, "activity"),
    ("case", {"activity": "7.4 GBq; DROP TABLE"}, "activity"),
    ("case", {"activity": "7" * 65}, "activity"),
    ("case", {"supervising_au": None}, "supervising_au"),
    ("case", {"case_reference": ""}, "case_reference"),
    ("case", {"case_reference": "x" * 41}, "case_reference"),
    ("case", {"case_reference": "MRN 1234567"}, "case_reference"),
    ("case", {"case_reference": "Smith, John"}, "case_reference"),
    ("case", {"case_reference": "123-45-6789"}, "case_reference"),
    ("case", {"notes": "DOB 03/14/1961"}, "notes"),
    ("case", {"notes": "Mrs Jones tolerated it"}, "notes"),
    # declaration
    ("declaration", {"requirement": "Board Certified"}, "requirement"),
    ("declaration", {"requirement": "x" * 65}, "requirement"),
    ("declaration", {"requirement": ""}, "requirement"),
    ("declaration", {"requirement": "ok\n"}, "requirement"),
    ("declaration", {"date": None}, "date"),
    ("declaration", {"reference": {"a": 1}}, "reference"),
])
def test_refusals_name_the_field(kind, changes, field):
    assert refusal(kind, fields(kind, **changes)).field == field


def test_the_first_problem_in_form_order_is_reported():
    data = fields("case", date="", category="G9", case_reference="")
    assert refusal("case", data).field == "date"


def test_a_dose_unit_is_refused_with_a_message_naming_it():
    error = refusal("case", fields("case", activity="2 Gy"))
    assert error.field == "activity"
    assert "Gy" in error.message and "an absorbed dose" in error.message and "not an activity" in error.message
    assert "an activity concentration" in refusal("case", fields("case", activity="3 kBq/mL")).message


def test_phi_refusals_explain_why():
    error = refusal("case", fields("case", case_reference="123-45-6789"))
    assert error.message.startswith("This looks like a Social Security number.")


def test_professional_names_are_not_checked_for_patient_identifiers():
    stored = entry_fields("work", fields("work", supervising_au="Dr Jane Smith", site="Mercy Hospital"), TODAY)
    assert stored["supervising_au"] == "Dr Jane Smith"


@pytest.mark.parametrize("field, character", [
    ("site", "\x00"), ("site", "\x1b"), ("site", "\n"), ("site", "\u202e"), ("site", "\u2028"),
    ("site", "\ud800"), ("description", "\x07"), ("description", "\u2066"), ("site", "&#x202e;"),
])
def test_control_characters_are_refused(field, character):
    error = refusal("work", fields("work", **{field: f"Main{character}lab"}))
    assert error.field == field and "control character" in error.message


def test_line_breaks_and_tabs_are_kept_in_long_texts():
    assert entry_fields("work", fields("work", description="cycle 2\n\tno spill"), TODAY)["description"] == \
        "cycle 2\n\tno spill"


def test_markup_nested_in_entities_never_comes_back_as_markup():
    deeply_escaped = "<b>x</b>"
    for _ in range(5):
        deeply_escaped = deeply_escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    try:
        stored = entry_fields("work", fields("work", site=deeply_escaped), TODAY)["site"]
    except EntryError as error:
        assert error.field == "site"
    else:
        assert "<" not in stored and ">" not in stored


# ---- hostile input --------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [None, [], "fields", 3, ["provider"], True])
def test_fields_that_are_not_an_object_are_refused(data):
    assert refusal("didactic", data).field is None


@pytest.mark.parametrize("kind", [None, "", "Case", "grade", ["case"], {"kind": "case"}])
def test_unknown_kinds_are_refused(kind):
    assert refusal(kind, GOOD["case"]).field == "kind"


@pytest.mark.parametrize("extra", [{"score": 1}, {"status": "verified"}, {"hours.mathematics": 2}, {"": ""}])
def test_extra_keys_are_refused(extra):
    assert refusal("case", {**GOOD["case"], **extra}).field is None


@pytest.mark.parametrize("kind", list(GOOD))
def test_an_empty_object_is_refused_at_its_first_required_field(kind):
    assert refusal(kind, {}).field == {"didactic": "provider", "work": "item", "case": "date",
                                       "declaration": "requirement"}[kind]


@pytest.mark.parametrize("kind, field", [
    ("didactic", "provider"), ("didactic", "start"), ("didactic", "end"), ("didactic", "hours"),
    ("work", "item"), ("work", "date"), ("work", "hours"), ("work", "supervising_au"), ("work", "site"),
    ("case", "date"), ("case", "category"), ("case", "radiopharmaceutical"), ("case", "activity"),
    ("case", "supervising_au"), ("case", "case_reference"),
    ("declaration", "requirement"), ("declaration", "date"),
])
def test_each_missing_required_key_is_refused(kind, field):
    assert refusal(kind, fields(kind, **{field: ...})).field == field


@pytest.mark.parametrize("hostile", [
    True, False, "2", "", None, [2], {"value": 2}, float("nan"), float("inf"), -float("inf"),
    10 ** 400, 1e308, -10 ** 400,
])
def test_hostile_numbers_are_refused(hostile):
    assert refusal("work", fields("work", hours=hostile)).field == "hours"
    didactic = refusal("didactic", fields("didactic", hours={"mathematics": hostile}))
    assert didactic.field in ("hours", "hours.mathematics")


def test_huge_topic_hours_do_not_overflow_the_total():
    data = fields("didactic", start="1950-01-01", end="2026-03-01",
                  hours={topic: 1e308 for topic in ("mathematics", "chemistry")})
    assert refusal("didactic", data).field == "hours.mathematics"


@pytest.mark.parametrize("field", ["provider", "start", "certificate"])
@pytest.mark.parametrize("hostile", [["x"], {"x": 1}, 12, 1.5, True])
def test_hostile_types_in_text_and_date_fields_are_refused(field, hostile):
    assert refusal("didactic", fields("didactic", **{field: hostile})).field == field


def test_a_huge_text_is_refused_on_its_length():
    error = refusal("case", fields("case", notes="Smith " * 100_000))
    assert error.field == "notes" and str(LIMITS["long_text"]) in error.message


def test_messages_are_translated():
    with translated_by(lambda text: "«" + text + "»"):
        error = refusal("work", fields("work", hours=0))
        assert entry_fields("case", fields("case"), TODAY)["activity_mbq"] == 7400.0
        dose = refusal("case", fields("case", activity="2 Gy"))
    assert error.message.startswith("«") and error.message.endswith("»")
    assert "«an absorbed dose»" in dose.message


def test_every_refused_character_is_unprintable():
    """`_refuse_control_characters` skips its loop for printable text: that is only right if no character
    it refuses is printable. Checked for every code point."""
    refused = [chr(c) for c in range(sys.maxunicode + 1)
               if chr(c) in records._BIDI_CONTROLS or unicodedata.category(chr(c)) in records._REFUSED_CATEGORIES]
    assert refused and not any(character.isprintable() for character in refused)
