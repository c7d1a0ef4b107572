"""`rpt_course.schema_subset.plainly_valid` says yes only where jsonschema finds no error, so the
schema check may skip jsonschema then (tests that the two agree; no timing is asserted).

Data: valid requirement sets with random changes at random places (a value replaced by any JSON
value or by a near miss, a key removed or added), and arbitrary JSON against every schema we ship.
"""
from __future__ import annotations

import copy
import json
import math
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from jsonschema import Draft202012Validator

from rpt_course.schema_subset import plainly_valid
from rpt_xblocks.tracker.requirements import SCHEMA, shipped_sets

REQUIREMENT_SET = json.loads(SCHEMA.read_text("utf-8"))
VALIDATOR = Draft202012Validator(REQUIREMENT_SET)
VALID_SETS = [s.to_data() for s in shipped_sets().values()]
OUR_SCHEMAS = sorted(p.name for p in resources.files("rpt_course").joinpath("schema").iterdir()
                     if p.name.endswith(".json"))

NEAR_MISS_VALUES = [
    "", " ", "x", "A", "nrc-35-390", "-bad", "bad id", "a" * 64, "a" * 65, "a" * 256, "a" * 2001, "é", "\u2028",
    "work_item", "cases", "Cases", "G3", "hours", 0, -1, 1, 5, 50, 51, 0.0, -0.0, 1e-300, 5.0, 2.5, 10**30,
    math.inf, -math.inf, math.nan, True, False, None, [], {}, [""], ["radiation_biology"], {"id": "x"}]
# Copies: a later change in the same example may append to a drawn list or dict, and changing the shared
# value would change what later examples draw (hypothesis: "Inconsistent data generation").
NEAR_MISSES = st.sampled_from(NEAR_MISS_VALUES).map(copy.deepcopy)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8) | NEAR_MISSES,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)


def _places(value, path=()):
    """Every path into `value` (dict keys and list indexes)."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _places(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _places(child, path + (index,))


def _agrees(schema_validator, data) -> None:
    if plainly_valid(schema_validator.schema, data):
        assert not list(schema_validator.iter_errors(data)), data


@st.composite
def changed_sets(draw):
    data = copy.deepcopy(draw(st.sampled_from(VALID_SETS)))
    for _change in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        path = draw(st.sampled_from(list(_places(data))))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(st.one_of(NEAR_MISSES, NEAR_MISSES, JSON))
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            key = draw(st.sampled_from(["unit", "quantity", "years", "topics", "description", "extra", "item"]))
            parent[key] = draw(st.one_of(NEAR_MISSES, JSON))
        else:
            parent.append(draw(JSON))
    return data


@settings(max_examples=100, deadline=None, database=None)
@given(st.data())
def test_a_drawn_near_miss_is_never_the_shared_value(data):
    value = data.draw(NEAR_MISSES)
    assert not any(value is shared for shared in NEAR_MISS_VALUES if isinstance(shared, (list, dict)))


def test_shipped_sets_take_the_fast_path():
    assert VALID_SETS and all(plainly_valid(REQUIREMENT_SET, data) for data in VALID_SETS)


def _one_of_each_kind() -> dict:
    """A valid set holding one shipped requirement of each kind."""
    first = {}
    for data in VALID_SETS:
        for requirement in data["requirements"]:
            first.setdefault(requirement["kind"], requirement)
    return {**VALID_SETS[0], "requirements": list(first.values())}


def test_a_yes_means_jsonschema_finds_nothing_for_each_near_miss_at_each_place():
    """Every value of a set with every kind of requirement, in turn, replaced by every near miss
    (boundaries of lengths, patterns, numbers and types); and each optional key added to each
    mapping with each near miss."""
    original = _one_of_each_kind()
    assert not list(VALIDATOR.iter_errors(original))
    places = list(_places(original))
    for path in places[1:]:
        for value in NEAR_MISS_VALUES:
            _agrees(VALIDATOR, _with(original, path, value))
    for path in (p for p in places if isinstance(_at(original, p), dict)):
        for key in ("unit", "quantity", "years", "topics", "description", "item", "extra"):
            for value in NEAR_MISS_VALUES:
                _agrees(VALIDATOR, _with(original, path + (key,), value))


def _at(data, path):
    for step in path:
        data = data[step]
    return data


def _with(data, path, value):
    """A copy of `data` with `value` at `path` (a new key, if the place holding it is a dict)."""
    data = copy.deepcopy(data)
    _at(data, path[:-1])[path[-1]] = copy.deepcopy(value)
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changed_sets())
def test_a_yes_means_jsonschema_finds_nothing_on_changed_sets(data):
    _agrees(VALIDATOR, data)


@pytest.mark.parametrize("name", OUR_SCHEMAS)
@settings(max_examples=60, deadline=None)
@given(data=JSON)
def test_a_yes_means_jsonschema_finds_nothing_for_every_schema(name, data):
    schema = json.loads(resources.files("rpt_course").joinpath("schema", name).read_text("utf-8"))
    _agrees(Draft202012Validator(schema), data)
