"""Progress against the shipped requirement sets: exact boundaries (hours, cases, the 7-year window),
verified / pending / rejected entries, categories not sought, next steps and the completion fraction."""
from __future__ import annotations

import json
from datetime import date

import pytest

from rpt_xblocks.tracker.progress import Progress, progress, recentness_cutoff
from rpt_xblocks.tracker.requirements import requirement_set_from_data, shipped_sets
from rpt_xblocks.tracker.vocabulary import TOPICS
from rpt_xblocks.translation import translated_by

TODAY = date(2026, 3, 1)
PLAN = {"application_date": "2026-09-01", "categories": ["G1", "G2", "G3"]}
TOPIC_IDS = list(TOPICS)


def sets(*ids):
    known = shipped_sets()
    return [known[i] for i in ids]


def didactic(entry_id, hours, end="2025-06-30", start="2025-06-01"):
    """`hours`: a dict by topic, or a number spread evenly over the five topics."""
    if not isinstance(hours, dict):
        hours = {topic: hours / 5 for topic in TOPIC_IDS}
    return {"id": entry_id, "kind": "didactic", "fields": {"provider": "Course", "start": start, "end": end,
                                                           "hours": hours, "certificate": ""}}


def work(entry_id, item="A", hours=1.0, on="2025-07-01"):
    return {"id": entry_id, "kind": "work", "fields": {"item": item, "date": on, "hours": hours,
                                                       "supervising_au": "Dr AU", "site": "Site", "description": ""}}


def case(entry_id, category="G3", on="2025-08-01"):
    return {"id": entry_id, "kind": "case", "fields": {
        "date": on, "category": category, "radiopharmaceutical": "Lu-177 DOTATATE",
        "activity": {"value": 7.4, "unit": "GBq"}, "activity_mbq": 7400.0, "supervising_au": "Dr AU",
        "case_reference": "LU-2025-001", "notes": ""}}


def declaration(entry_id, requirement, on="2025-09-01"):
    return {"id": entry_id, "kind": "declaration", "fields": {"requirement": requirement, "date": on,
                                                              "reference": "12345"}}


def verified(entries):
    return {e["id"]: "verified" for e in entries}


def run(set_ids, entries, statuses=None, plan=PLAN, today=TODAY) -> Progress:
    return progress(sets(*set_ids), entries, verified(entries) if statuses is None else statuses, plan, today)


def row(result: Progress, set_id, requirement_id):
    (found,) = [r for r in result.requirements if (r.set_id, r.requirement_id) == (set_id, requirement_id)]
    return found


def cases(category, count, start=1):
    return [case(f"c{n}", category) for n in range(start, start + count)]


# ---- hours ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("hours, status", [(199, "not_met"), (200, "met"), (250, "met")])
def test_35_390_classroom_hours_boundary(hours, status):
    result = run(["nrc-35-390"], [didactic("e1", hours)])
    requirement = row(result, "nrc-35-390", "classroom_hours")
    assert (requirement.status, requirement.have_verified, requirement.need) == (status, hours, 200)
    assert ("Log 1 more hour of classroom and laboratory training." in result.next_steps) == (hours == 199)


def test_hours_add_exactly_as_decimals():
    entries = [didactic("e1", {t: 39.98 for t in TOPIC_IDS}), didactic("e2", {t: 0.02 for t in TOPIC_IDS}),
               didactic("e3", {"radiation_biology": 0.1}), didactic("e4", {"radiation_biology": 0.2})]
    result = run(["nrc-35-390"], entries)
    assert row(result, "nrc-35-390", "classroom_hours").have_verified == 200.3
    assert row(result, "nrc-35-390", "classroom_hours").status == "met"
    short = run(["nrc-35-390"], [didactic("e1", {t: 39.98 for t in TOPIC_IDS})])
    assert row(short, "nrc-35-390", "classroom_hours").have_verified == 199.9
    assert row(short, "nrc-35-390", "classroom_hours").status == "not_met"
    assert "Log 0.1 more hours of classroom and laboratory training." in short.next_steps
    topped_up = run(["nrc-35-390"], [didactic("e1", {t: 39.98 for t in TOPIC_IDS}), didactic("e2", {"chemistry": 0.1})])
    assert row(topped_up, "nrc-35-390", "classroom_hours").status == "met"  # 199.9 + 0.1 is 200
    exact = run(["nrc-35-390"], [didactic("e1", {**{t: 40 for t in TOPIC_IDS}, "chemistry": 39.9}),
                                 didactic("e2", {"chemistry": 0.1})])
    assert row(exact, "nrc-35-390", "classroom_hours").have_verified == 200
    assert row(exact, "nrc-35-390", "classroom_hours").status == "met"


def test_every_listed_topic_needs_hours():
    no_biology = {t: 50 for t in TOPIC_IDS if t != "radiation_biology"}
    result = run(["nrc-35-390"], [didactic("e1", no_biology)])
    requirement = row(result, "nrc-35-390", "classroom_hours")
    assert (requirement.have_verified, requirement.status) == (200, "not_met")
    assert requirement.missing == ("no hours in Radiation biology",)
    assert "Log classroom and laboratory hours in Radiation biology." in result.next_steps
    assert not any(step.startswith("Log") and "more hours of classroom" in step for step in result.next_steps)
    with_biology = run(["nrc-35-390"], [didactic("e1", {**no_biology, "radiation_biology": 0.5})])
    assert row(with_biology, "nrc-35-390", "classroom_hours").status == "met"


@pytest.mark.parametrize("work_hours, status", [(499, "not_met"), (499.5, "not_met"), (500, "met")])
def test_35_390_total_hours_boundary(work_hours, status):
    entries = [didactic("e1", 200), work("w1", "A", work_hours - 100), work("w2", "B", 100)]
    requirement = row(run(["nrc-35-390"], entries), "nrc-35-390", "total_hours")
    assert (requirement.have_verified, requirement.need, requirement.status) == (200 + work_hours, 700, status)


def test_total_hours_count_every_topic_and_work_but_not_cases():
    entries = [didactic("e1", {"chemistry": 600}), work("w1", "C", 99), *cases("G3", 3)]
    requirement = row(run(["nrc-35-390"], entries), "nrc-35-390", "total_hours")
    assert (requirement.have_verified, requirement.status) == (699, "not_met")


@pytest.mark.parametrize("set_id", ["nrc-35-392", "nrc-35-394", "nrc-35-396"])
@pytest.mark.parametrize("hours, status", [(79, "not_met"), (79.9, "not_met"), (80, "met")])
def test_80_hour_pathways_boundary(set_id, hours, status):
    requirement = row(run([set_id], [didactic("e1", hours)]), set_id, "classroom_hours")
    assert (requirement.need, requirement.status) == (80, status)


# ---- work items, cases, declarations -------------------------------------------------------------

def test_each_work_item_needs_an_entry_of_its_own():
    result = run(["nrc-35-390"], [work("w1", "A"), work("w2", "A"), work("w3", "C")])
    statuses = {r.requirement_id: r.status for r in result.requirements if r.kind == "work_item"}
    assert statuses == {"work_a": "met", "work_b": "not_met", "work_c": "met", "work_d": "not_met",
                        "work_e": "not_met"}
    assert row(result, "nrc-35-390", "work_a").have_verified == 2


@pytest.mark.parametrize("set_id, requirement_id, category", [
    ("nrc-35-390", "cases_g1", "G1"), ("nrc-35-390", "cases_g2", "G2"), ("nrc-35-390", "cases_g3", "G3"),
    ("nrc-35-392", "cases_g1", "G1"), ("nrc-35-394", "cases_g2", "G2"), ("nrc-35-396", "cases_g3", "G3")])
@pytest.mark.parametrize("count, status", [(2, "not_met"), (3, "met")])
def test_cases_boundary_in_each_category(set_id, requirement_id, category, count, status):
    other = "G2" if category != "G2" else "G1"
    entries = cases(category, count) + cases(other, 5, start=10)  # other categories never count
    requirement = row(run([set_id], entries), set_id, requirement_id)
    assert (requirement.have_verified, requirement.need, requirement.unit, requirement.status) == (
        count, 3, "cases", status)


def test_a_category_not_sought_is_not_sought_and_leaves_the_fraction():
    plan = {"application_date": "2026-09-01", "categories": ["G3"]}
    entries = cases("G1", 3) + cases("G3", 3, start=4)
    result = run(["nrc-35-390"], entries, plan=plan)
    assert row(result, "nrc-35-390", "cases_g1").status == "not_sought"
    assert row(result, "nrc-35-390", "cases_g1").have_verified == 3  # shown, but counts for nothing
    assert row(result, "nrc-35-390", "cases_g2").status == "not_sought"
    assert row(result, "nrc-35-390", "cases_g3").status == "met"
    assert not any("G1" in step or "G2" in step for step in result.next_steps)
    applicable = [r for r in result.requirements if r.status != "not_sought"]
    assert len(applicable) == 8  # total, classroom, A-E, G3
    assert result.fraction == pytest.approx((0 + 0 + 0 * 5 + 1) / 8)


def test_with_no_categories_chosen_the_first_step_is_to_choose_them():
    result = run(["nrc-35-396"], cases("G3", 3), plan={"application_date": None, "categories": []})
    assert row(result, "nrc-35-396", "cases_g3").status == "not_sought"
    assert result.next_steps[0] == "Choose the case categories you seek in your plan."


def test_rejected_entries_count_for_nothing_and_pending_ones_await_verification():
    entries = cases("G3", 3)
    rejected = run(["nrc-35-396"], entries, {"c1": "verified", "c2": "verified", "c3": "rejected"})
    requirement = row(rejected, "nrc-35-396", "cases_g3")
    assert (requirement.have_verified, requirement.have_total, requirement.status) == (2, 2, "not_met")
    assert "Log 1 more G3 case." in rejected.next_steps
    assert rejected.next_steps[-1].startswith("Read the preceptor's comment on the rejected entry c3")

    pending = run(["nrc-35-396"], entries, {"c1": "verified", "c2": "verified"})
    requirement = row(pending, "nrc-35-396", "cases_g3")
    assert (requirement.have_verified, requirement.have_total, requirement.status) == (2, 3, "awaiting_verification")
    assert "Ask your preceptor to verify 1 entry (c3)." in pending.next_steps
    assert not any(step.startswith("Log") and "G3" in step for step in pending.next_steps)

    unknown = run(["nrc-35-396"], entries, {"c1": "verified", "c2": "verified", "c3": "approved?"})
    assert row(unknown, "nrc-35-396", "cases_g3").status == "awaiting_verification"


def test_rejected_and_pending_hours():
    entries = [didactic("e1", 150), didactic("e2", 50), didactic("e3", 50)]
    result = run(["nrc-35-390"], entries, {"e1": "verified", "e2": "rejected"})
    requirement = row(result, "nrc-35-390", "classroom_hours")
    assert (requirement.have_verified, requirement.have_total, requirement.status) == (150, 200, "awaiting_verification")


def test_declarations_count_only_for_the_requirement_they_name():
    entries = [declaration("d1", "astro_membership"), declaration("d2", "something_else")]
    result = run(["astro-au-training-center"], entries)
    assert row(result, "astro-au-training-center", "astro_membership").status == "met"
    assert row(result, "astro-au-training-center", "astro_membership").need == 1
    assert row(result, "astro-au-training-center", "didactic_training_completed").status == "not_met"
    assert result.next_steps == ("Add the declaration: Completed the didactic training required by the NRC or an "
                                 "equivalent Agreement State.",)
    assert result.fraction == 0.5


# ---- recentness ----------------------------------------------------------------------------------

@pytest.mark.parametrize("reference, years, cutoff", [
    (date(2026, 9, 1), 7, date(2019, 9, 1)),
    (date(2032, 2, 29), 7, date(2025, 3, 1)),   # 2025 has no 29 February; 28 February is already too old
    (date(2032, 2, 29), 4, date(2028, 2, 29)),  # leap year to leap year
    (date(2031, 2, 28), 7, date(2024, 2, 28)),
    (date(2031, 3, 1), 7, date(2024, 3, 1)),
])
def test_recentness_cutoff(reference, years, cutoff):
    assert recentness_cutoff(reference, years) == cutoff


RECENT = ["nrc-35-396", "nrc-35-59-recentness"]


def _recent(entries, application_date, statuses=None, plan_categories=("G3",)):
    plan = {"application_date": application_date, "categories": list(plan_categories)}
    return run(RECENT, entries, statuses, plan=plan)


@pytest.mark.parametrize("application, day, warns", [
    ("2026-09-01", "2019-09-01", False),  # exactly 7 years before: recent
    ("2026-09-01", "2019-08-31", True),   # a day older
    ("2032-02-29", "2025-03-01", False),
    ("2032-02-29", "2025-02-28", True),
    ("2031-02-28", "2024-02-29", False),  # a leap day entry is 7 years old on 28 February 2031...
    ("2031-03-01", "2024-02-29", True),   # ...and too old a day later
])
def test_the_7_year_boundary(application, day, warns):
    result = _recent([case("c1", "G3", on=day)], application)
    requirement = row(result, "nrc-35-59-recentness", "within_7_years")
    assert [w.entry for w in result.warnings] == (["c1"] if warns else [])
    assert requirement.status == ("not_met" if warns else "met")
    assert requirement.have_verified == (0 if warns else 1)
    if warns:
        assert result.warnings[0].message.startswith(
            f"Dated {day}: more than 7 years before your planned application date ({application}); "
            "see 10 CFR 35.59.")
        assert requirement.missing == (f"c1 dated {day}",)
        assert result.fraction == pytest.approx((0 + 1 / 3 + 0) / 3)


def test_a_didactic_entry_is_dated_by_its_last_day():
    old_start = didactic("e1", 80, start="2019-01-01", end="2019-09-01")
    assert _recent([old_start], "2026-09-01").warnings == ()
    old_end = didactic("e1", 80, start="2019-01-01", end="2019-08-31")
    assert [w.entry for w in _recent([old_end], "2026-09-01").warnings] == ["e1"]


def test_a_pending_old_entry_warns_and_recentness_needs_a_verified_recent_entry():
    result = _recent([case("c1", on="2018-01-01")], "2026-09-01", statuses={})
    assert [w.entry for w in result.warnings] == ["c1"]
    assert row(result, "nrc-35-59-recentness", "within_7_years").status == "not_met"
    pending = _recent([case("c1", on="2018-01-01"), case("c2", on="2026-01-01")], "2026-09-01", statuses={})
    assert row(pending, "nrc-35-59-recentness", "within_7_years").status == "awaiting_verification"
    verified = _recent([case("c1", on="2018-01-01"), case("c2", on="2026-01-01")], "2026-09-01",
                       statuses={"c2": "verified"})
    assert row(verified, "nrc-35-59-recentness", "within_7_years").status == "met"
    assert row(_recent([], "2026-09-01"), "nrc-35-59-recentness", "within_7_years").status == "not_met"
    rejected = _recent([case("c1", on="2018-01-01")], "2026-09-01", statuses={"c1": "rejected"})
    assert rejected.warnings == ()


def test_entries_that_count_toward_nothing_are_not_checked_for_recentness():
    unsought = _recent([case("c1", "G3", on="2018-01-01")], "2026-09-01", plan_categories=())
    assert unsought.warnings == ()
    other_category = _recent([case("c1", "G1", on="2018-01-01")], "2026-09-01")
    assert other_category.warnings == ()
    work_only = _recent([work("w1", on="2018-01-01")], "2026-09-01")  # 35.396 counts no work hours
    assert work_only.warnings == ()
    with_390 = run(["nrc-35-390", "nrc-35-59-recentness"], [work("w1", on="2018-01-01")])
    assert [w.entry for w in with_390.warnings] == ["w1"]


def test_without_an_application_date_recentness_is_measured_from_today():
    result = _recent([case("c1", on="2019-02-28"), case("c2", on="2019-03-01")], None)
    assert [w.entry for w in result.warnings] == ["c1"]
    assert "before today (2026-03-01)" in result.warnings[0].message
    assert ("Set your planned application date in your plan, so that recentness is checked against it."
            in result.next_steps)


# ---- next steps, fraction, data ------------------------------------------------------------------

def test_next_steps_merge_what_two_sets_ask_and_come_in_order():
    entries = [didactic("e1", 40), *cases("G3", 1), declaration("d1", "astro_membership")]
    result = run(["nrc-35-390", "nrc-35-396", "astro-au-training-center"], entries, {"e1": "verified"},
                 plan={"application_date": "2026-09-01", "categories": ["G3"]})
    assert result.next_steps == (
        "Log 660 more hours of training or supervised work experience.",
        "Log 160 more hours of classroom and laboratory training.",  # 35.390's 160 covers 35.396's 40
        "Log supervised work experience for item A: Ordering, receiving and unpacking radioactive materials "
        "safely, with the related surveys.",
        "Log supervised work experience for item B: Quality control of instruments that measure dosages; "
        "operational checks of survey meters.",
        "Log supervised work experience for item C: Calculating, measuring and safely preparing dosages.",
        "Log supervised work experience for item D: Administrative controls to prevent a medical event.",
        "Log supervised work experience for item E: Containing spilled material safely and decontaminating.",
        "Log 2 more G3 cases.",
        "Add the declaration: Completed the didactic training required by the NRC or an equivalent Agreement State.",
        "Ask your preceptor to verify 2 entries (c1, d1).",
    )


def test_when_everything_is_met_the_step_is_the_summary():
    entries = [didactic("e1", 80), *cases("G3", 3), declaration("d1", "astro_membership"),
               declaration("d2", "didactic_training_completed")]
    result = run(["nrc-35-396", "astro-au-training-center", "nrc-35-59-recentness"], entries)
    assert all(r.status == "met" for r in result.requirements)
    assert result.fraction == 1.0
    assert result.next_steps == ("Every requirement shown is met and verified: print the summary for your preceptor.",)


def test_fraction_is_the_mean_of_verified_shares():
    assert run(["nrc-35-396"], []).fraction == 0.0
    half_hours = run(["nrc-35-396"], [didactic("e1", 40), *cases("G3", 3)])
    assert half_hours.fraction == pytest.approx((0.5 + 1) / 2)
    four_topics = run(["nrc-35-396"], [didactic("e1", {t: 20 for t in TOPIC_IDS[:4]})])
    assert four_topics.fraction == pytest.approx((1 * 4 / 5 + 0) / 2)  # 80 h, but a topic is missing
    pending = run(["nrc-35-396"], [didactic("e1", 80), *cases("G3", 3)], {"e1": "verified", "c1": "verified"})
    assert pending.fraction == pytest.approx((1 + 1 / 3) / 2)  # pending cases do not count yet
    assert run([], []).fraction == 0.0


def test_fraction_stays_below_one_until_everything_is_met():
    almost = run(["nrc-35-396"], [didactic("e1", {**{t: 16 for t in TOPIC_IDS}, "chemistry": 15.999999999999998}),
                                  *cases("G3", 3)])
    assert row(almost, "nrc-35-396", "classroom_hours").status == "not_met"
    assert almost.fraction < 1.0


def test_to_data_is_json_ready():
    result = _recent([case("c1", on="2018-01-01"), didactic("e1", 80)], "2026-09-01")
    data = json.loads(json.dumps(result.to_data()))
    assert set(data) == {"requirements", "warnings", "next_steps", "fraction"}
    assert data["warnings"] == [{"entry": "c1", "message": result.warnings[0].message}]
    assert data["requirements"][0] == {
        "set_id": "nrc-35-396", "requirement_id": "classroom_hours", "title": "80 hours of classroom and laboratory training",
        "citation": "10 CFR 35.396(b)(1)", "kind": "didactic_hours", "need": 80.0, "unit": "h", "have_verified": 80.0,
        "have_total": 80.0, "status": "met", "missing": []}
    assert data["requirements"][2]["need"] is None
    assert data["next_steps"] == list(result.next_steps) and data["fraction"] == result.fraction


def test_an_institution_set_is_measured_like_a_shipped_one():
    state = requirement_set_from_data({"id": "my-state", "title": "My State", "citation": "Code", "requirements": [
        {"id": "bio", "kind": "didactic_hours", "title": "Biology", "citation": "Code 1", "quantity": 10,
         "topics": ["radiation_biology"]},
        {"id": "recent", "kind": "recentness", "title": "Recent", "citation": "Code 2", "years": 5}]})
    result = progress([state], [didactic("e1", {"radiation_biology": 9.5, "chemistry": 100}, end="2021-08-31")],
                      {"e1": "verified"}, {"application_date": "2026-09-01", "categories": []}, TODAY)
    assert [r.status for r in result.requirements] == ["not_met", "not_met"]
    assert result.next_steps[0] == "Log 0.5 more hours of classroom and laboratory training in: Radiation biology."
    assert "more than 5 years before" in result.warnings[0].message


def test_learner_facing_text_is_translated_before_it_is_formatted():
    catalogue = {"Log {count} more {category} cases.": "Registre {count} casos {category} más.",
                 "no hours in {topic}": "sin horas en {topic}", "Radiation biology": "Radiobiología"}
    with translated_by(lambda text: catalogue.get(text, text)):
        result = run(["nrc-35-390"], [didactic("e1", {"chemistry": 200}), *cases("G3", 1)],
                     plan={"application_date": "2026-09-01", "categories": ["G3"]})
    assert "Registre 2 casos G3 más." in result.next_steps
    assert "sin horas en Radiobiología" in row(result, "nrc-35-390", "classroom_hours").missing


def test_deleted_and_malformed_entries_are_ignored_not_fatal():
    entries = [{**case("c1"), "deleted": True}, {"id": "x", "kind": "nonsense"}, {"kind": "case"}, "junk",
               {"id": "c2", "kind": "case", "fields": None}, didactic("e1", {"chemistry": float("nan")}),
               *cases("G3", 2, start=3)]
    result = run(["nrc-35-396"], entries, {"c3": "verified", "c4": "verified", "e1": "verified"})
    assert row(result, "nrc-35-396", "cases_g3").have_verified == 2
    assert row(result, "nrc-35-396", "classroom_hours").have_verified == 0
