"""Requirement sets as data: the shipped sets carry the reference sheet's numbers and citations,
round-trip through plain data and OLX, and every authoring mistake is reported (at `path:line` for a
file), never as a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rpt_xblocks.author_input.schema_check import load_checked_yaml, schema_problems
from rpt_xblocks.author_input.yaml_source import load_yaml
from rpt_xblocks.tracker.requirements import (
    KINDS, SCHEMA, SHIPPED, Requirement, RequirementSet, RequirementSetError, load_requirement_set,
    requirement_set_from_data, shipped_sets,
)
from rpt_xblocks.tracker.tracker_olx import tracker_from_xml, tracker_to_xml
from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES, TOPICS, WORK_ITEMS

ALL_TOPICS = tuple(TOPICS)


def _by_id(requirement_set: RequirementSet) -> dict[str, Requirement]:
    return {r.id: r for r in requirement_set.requirements}


# ---- the shipped sets --------------------------------------------------------------------------

def test_the_shipped_sets_are_the_six_from_the_reference_sheet_in_file_name_order():
    assert list(shipped_sets()) == ["astro-au-training-center", "nrc-35-390", "nrc-35-392", "nrc-35-394",
                                    "nrc-35-396", "nrc-35-59-recentness"]
    assert shipped_sets() is not shipped_sets()  # a fresh dict each time: a caller cannot corrupt the cache
    assert shipped_sets()["nrc-35-390"] is shipped_sets()["nrc-35-390"]  # the files are read once


def test_nrc_35_390_has_the_sheets_hours_work_items_and_cases():
    requirements = _by_id(shipped_sets()["nrc-35-390"])
    total = requirements["total_hours"]
    assert (total.kind, total.quantity, total.unit) == ("total_hours", 700, "h")
    assert "35.390(b)(1)" in total.citation and "ML25015A166" in total.citation
    classroom = requirements["classroom_hours"]
    assert (classroom.kind, classroom.quantity, classroom.topics) == ("didactic_hours", 200, ALL_TOPICS)
    assert classroom.citation == "10 CFR 35.390(b)(1)(i)"
    work = [r for r in requirements.values() if r.kind == "work_item"]
    assert [(r.item, r.quantity, r.citation) for r in work] == [
        (item, 1, f"10 CFR 35.390(b)(1)(ii)({item})") for item in "ABCDE"]
    cases = [r for r in requirements.values() if r.kind == "cases"]
    assert [(r.category, r.quantity, r.unit) for r in cases] == [("G1", 3, "cases"), ("G2", 3, "cases"),
                                                                 ("G3", 3, "cases")]
    assert all("35.390(b)(1)(ii)(G)" in r.citation and "ML20310A143" in r.citation for r in cases)


@pytest.mark.parametrize("set_id, citation, category", [
    ("nrc-35-392", "10 CFR 35.392(c)(1)", "G1"),
    ("nrc-35-394", "10 CFR 35.394(c)(1)", "G2"),
    ("nrc-35-396", "10 CFR 35.396(b)(1)", "G3"),
])
def test_the_80_hour_pathways_need_80_classroom_hours_in_every_topic_and_3_cases(set_id, citation, category):
    requirements = shipped_sets()[set_id].requirements
    assert [(r.kind, r.quantity) for r in requirements] == [("didactic_hours", 80), ("cases", 3)]
    classroom, cases = requirements
    assert classroom.citation == citation and classroom.topics == ALL_TOPICS
    assert cases.category == category and set_id.replace("nrc-35-", "35.") in cases.citation


def test_astro_and_recentness_sets():
    astro = shipped_sets()["astro-au-training-center"]
    assert [r.kind for r in astro.requirements] == ["declaration", "declaration"]
    assert all("2026-01-29" in r.citation for r in (astro, *astro.requirements))
    assert [r.title for r in astro.requirements] == [
        "ASTRO membership", "Completed the didactic training required by the NRC or an equivalent Agreement State"]
    (recent,) = shipped_sets()["nrc-35-59-recentness"].requirements
    assert (recent.kind, recent.years, recent.quantity, recent.citation) == ("recentness", 7, None, "10 CFR 35.59")


def test_every_shipped_requirement_is_cited_and_titled_and_ids_are_unique():
    for requirement_set in shipped_sets().values():
        assert requirement_set.citation.strip() and requirement_set.title.strip()
        ids = [r.id for r in requirement_set.requirements]
        assert len(ids) == len(set(ids))
        for requirement in requirement_set.requirements:
            assert requirement.citation.strip() and requirement.title.strip(), requirement


def test_every_shipped_file_explains_its_source_in_a_comment_header():
    for path in SHIPPED.iterdir():
        if path.name.endswith(".yaml"):
            assert path.read_text("utf-8").startswith("# "), path.name
            assert "rpt-facts.md" in path.read_text("utf-8"), path.name


# ---- plain data --------------------------------------------------------------------------------

@pytest.mark.parametrize("set_id", list(shipped_sets()))
def test_to_data_round_trips_through_json(set_id):
    requirement_set = shipped_sets()[set_id]
    data = json.loads(json.dumps(requirement_set.to_data()))
    assert requirement_set_from_data(data) == requirement_set
    assert requirement_set_from_data(data).to_data() == data


def test_to_data_leaves_out_empty_keys_and_from_data_fills_the_defaults():
    data = {"id": "my-state", "title": "My State", "citation": "My Code 1", "requirements": [
        {"id": "work_c", "kind": "work_item", "title": "Item C", "citation": "My Code 1(c)", "item": "C"},
        {"id": "member", "kind": "declaration", "title": "Membership", "citation": "My Code 2"}]}
    built = requirement_set_from_data(data)
    assert built.description == ""
    work, member = built.requirements
    assert (work.quantity, work.unit, member.quantity, member.unit) == (1.0, "entries", None, "")
    assert built.to_data()["requirements"][1] == {"id": "member", "kind": "declaration", "title": "Membership",
                                                  "citation": "My Code 2"}


def test_a_set_survives_the_blocks_olx():
    requirement_set = shipped_sets()["nrc-35-390"]
    element = tracker_to_xml("Tracker", ["nrc-35-59-recentness"], [requirement_set.to_data()])
    fields, problems = tracker_from_xml(element)
    assert problems == []
    assert requirement_set_from_data(fields["custom_sets"][0]) == requirement_set


def _mistake(**changes) -> str:
    requirement = {"id": "g3", "kind": "cases", "title": "G3 cases", "citation": "Code 3", "quantity": 3,
                   "category": "G3"}
    requirement.update(changes)
    requirement = {k: v for k, v in requirement.items() if v is not None}
    data = {"id": "my-state", "title": "My State", "citation": "My Code", "requirements": [requirement]}
    with pytest.raises(RequirementSetError) as raised:
        requirement_set_from_data(data)
    return str(raised.value)


def test_from_data_names_the_requirement_and_the_fix():
    assert _mistake(kind="hours").startswith("requirement 1 “g3”: 'kind' is \"hours\", which is not one of: "
                                             "didactic_hours, total_hours")
    assert "'G4' is not a case category — use one of: G1, G2, G3" in _mistake(category="G4")
    assert "'g3' is not a case category — did you mean 'G3'?" in _mistake(category="g3")
    assert "lacks the required key 'citation'" in _mistake(citation=None)
    assert "'years' does not apply to a cases requirement — remove it" in _mistake(years=7)
    assert "must be a whole number, not 2.5" in _mistake(quantity=2.5)
    assert "a cases requirement needs 'category' — add `category:` with one of G1, G2, G3" in _mistake(category=None)
    assert "counted in 'cases', not 'h' — write `unit: cases`" in _mistake(unit="h")
    assert "unknown key 'quantty' — did you mean 'quantity'?" in _mistake(quantty=3)
    assert "'quantity' is 0" in _mistake(quantity=0)
    assert "must be a number, not \"3\"" in _mistake(quantity="3")


def test_from_data_reports_every_mistake_at_once():
    data = {"id": "Bad Id", "title": "", "citation": "x", "requirements": [
        {"id": "a", "kind": "didactic_hours", "title": "A", "citation": "c", "quantity": 80,
         "topics": ["radiation_biology", "physics", "radiation_biology"]},
        {"id": "a", "kind": "work_item", "title": "B", "citation": "c", "item": "F"}]}
    with pytest.raises(RequirementSetError) as raised:
        requirement_set_from_data(data)
    messages = raised.value.messages
    assert any(m.startswith("the set: 'id' has the value \"Bad Id\"") for m in messages)
    assert any("'physics' is not a classroom topic id — did you mean 'physics_instrumentation'?" in m for m in messages)
    assert any("the topic 'radiation_biology' is listed twice" in m for m in messages)
    assert any(m.startswith("requirement 2 “a”: the requirement id 'a' is already used by requirement 1") for m in messages)
    assert any("'F' is not a supervised work-experience item" in m for m in messages)
    assert len(messages) == 6


@pytest.mark.parametrize("data", [None, [], "text", {"requirements": "none"}, {"requirements": [None, 3]}])
def test_from_data_refuses_any_shape_without_crashing(data):
    with pytest.raises(RequirementSetError):
        requirement_set_from_data(data)


def test_the_schema_and_the_code_agree_on_the_kinds():
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert tuple(schema["properties"]["requirements"]["items"]["properties"]["kind"]["enum"]) == KINDS


def test_the_vocabulary_ids_used_by_the_shipped_sets_exist():
    for requirement_set in shipped_sets().values():
        for r in requirement_set.requirements:
            assert set(r.topics) <= set(TOPICS)
            assert r.item is None or r.item in WORK_ITEMS
            assert r.category is None or r.category in CASE_CATEGORIES


# ---- YAML files: path:line problems ------------------------------------------------------------

GOOD = """\
id: my-state-390
title: "My State: unsealed material"
citation: "My State Code 123.45"
requirements:
  - id: classroom_hours
    kind: didactic_hours
    title: "200 hours of classroom and laboratory training"
    citation: "My State Code 123.45(b)(1)"
    quantity: 200
    topics:
      - physics_instrumentation
      - radiation_protection
  - id: cases_g3
    kind: cases
    title: "At least 3 parenteral administrations"
    citation: "My State Code 123.45(b)(2)"
    quantity: 3
    category: G3
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "my-state-390.yaml"
    path.write_text(text, "utf-8")
    return load_requirement_set(path, "module/requirement_sets/my-state-390.yaml")


def _problems(tmp_path, text) -> list[str]:
    loaded, problems = _load(tmp_path, text)
    assert loaded is None and problems
    return [str(p) for p in problems]


def test_a_good_file_loads(tmp_path):
    loaded, problems = _load(tmp_path, GOOD)
    assert problems == []
    assert loaded.id == "my-state-390"
    assert loaded.requirements[0].topics == ("physics_instrumentation", "radiation_protection")
    assert loaded.requirements[1].quantity == 3.0


def test_a_bad_kind_is_reported_at_its_line(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace("kind: cases", "kind: case"))
    assert problem.startswith("module/requirement_sets/my-state-390.yaml:14: 'kind' is \"case\", which is not one "
                              "of: didactic_hours, total_hours, work_item, cases, declaration, recentness")


def test_an_unknown_topic_is_reported_at_its_line_with_a_suggestion(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace("- radiation_protection", "- radiation_protecton"))
    assert problem == ("module/requirement_sets/my-state-390.yaml:12: 'radiation_protecton' is not a classroom topic "
                       "id — did you mean 'radiation_protection'? (allowed: physics_instrumentation, "
                       "radiation_protection, mathematics, chemistry, radiation_biology)")


def test_a_duplicate_requirement_id_is_reported_at_the_second_use(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace("id: cases_g3", "id: classroom_hours"))
    assert problem == ("module/requirement_sets/my-state-390.yaml:13: the requirement id 'classroom_hours' is already "
                       "used by requirement 1 (line 5) — give each requirement its own id")


def test_a_missing_citation_is_reported_at_the_requirement(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace('    citation: "My State Code 123.45(b)(2)"\n', ""))
    assert problem.startswith("module/requirement_sets/my-state-390.yaml:13: item 2 of 'requirements' lacks the "
                              "required key 'citation' — add `citation:` with the source, e.g. 10 CFR 35.390(b)(1)(i)")


def test_a_yaml_syntax_error_is_reported_at_its_line(tmp_path):
    (problem,) = _problems(tmp_path, GOOD.replace('title: "At least 3 parenteral administrations"',
                                                  'title: "At least 3 parenteral administrations'))
    assert problem.startswith("module/requirement_sets/my-state-390.yaml:")
    assert "YAML syntax error" in problem


def test_several_mistakes_come_back_together_in_line_order(tmp_path):
    text = (GOOD.replace("quantity: 200", "quantity: -1").replace("category: G3", "category: G3\n    years: 7")
            .replace("id: my-state-390", "id: my-state-390\ncolour: blue"))
    problems = _problems(tmp_path, text)
    assert [p.split(": ", 1)[0] for p in problems] == [f"module/requirement_sets/my-state-390.yaml:{n}"
                                                       for n in (2, 10, 20)]
    assert "unknown key 'colour'" in problems[0]
    assert "'years' does not apply to a cases requirement" in problems[2]


@pytest.mark.parametrize("content", [b"", b"- a list\n", b"\xff\xfe not utf-8", b"id: [unclosed\n", b"a: 1\na: 2\n"])
def test_any_file_gives_problems_not_a_traceback(tmp_path, content):
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    loaded, problems = load_requirement_set(path, "broken.yaml")
    assert loaded is None
    assert problems and all(str(p).startswith("broken.yaml:") for p in problems)


# ---- schema_check takes a schema from another package ------------------------------------------

def test_schema_check_accepts_a_schema_file_from_another_package(tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(GOOD.replace("quantity: 3", "quantity: three"), "utf-8")
    data, lines, _found = load_yaml(path, "set.yaml")
    (problem,) = schema_problems(SCHEMA, data, lines)
    assert str(problem).startswith("set.yaml:17: 'quantity' must be a number, not \"three\"")
    (same,) = schema_problems(Path(str(SCHEMA)), data, lines)
    assert same == problem
    problems = []
    assert load_checked_yaml(path, "set.yaml", SCHEMA, problems) is None and problems == [problem]
    path.write_text(GOOD, "utf-8")
    loaded = load_checked_yaml(path, "set.yaml", Path(str(SCHEMA)), problems := [])
    assert problems == [] and loaded[0]["id"] == "my-state-390"


def test_the_readme_example_of_an_institution_set_is_valid(tmp_path):
    readme = SHIPPED.joinpath("README.md").read_text("utf-8")
    example = readme.split("```yaml\n")[2].split("```")[0]
    loaded, problems = _load(tmp_path, example)
    assert problems == []
    assert [r.kind for r in loaded.requirements] == ["didactic_hours", "cases"]
    assert loaded.id not in shipped_sets()
