"""A tracker's institution sets are checked once per process for each content: `stored_requirement_set`
gives what `requirement_set_from_data` gives, and refuses what it refuses, with the same messages, every time."""
from __future__ import annotations

import copy

import pytest

from rpt_xblocks.tracker.requirements import (RequirementSetError, requirement_set_from_data, shipped_sets,
                                              stored_requirement_set)


def test_valid_sets_are_read_as_requirement_set_from_data_reads_them_and_shared():
    for shipped in shipped_sets().values():
        data = shipped.to_data()
        first = stored_requirement_set(data)
        assert first == requirement_set_from_data(data) == shipped
        assert stored_requirement_set(copy.deepcopy(data)) is first  # one check per content


def _broken_variants():
    data = next(iter(shipped_sets().values())).to_data()
    no_title = {k: v for k, v in data.items() if k != "title"}
    bad_kind = copy.deepcopy(data)
    bad_kind["requirements"][0]["kind"] = "nonsense"
    twice = copy.deepcopy(data)
    twice["requirements"].append(copy.deepcopy(twice["requirements"][0]))
    return [no_title, bad_kind, twice, {"id": float("nan")}, [], "text", {"id": object()}]


@pytest.mark.parametrize("data", _broken_variants())
def test_refusals_are_the_same_and_raised_every_time(data):
    with pytest.raises(RequirementSetError) as fresh:
        requirement_set_from_data(data)
    for _ in range(2):
        with pytest.raises(RequirementSetError) as stored:
            stored_requirement_set(data)
        assert stored.value.messages == fresh.value.messages


def test_the_same_content_with_keys_in_another_order_is_still_read_correctly():
    data = next(iter(shipped_sets().values())).to_data()
    reordered = dict(reversed(list(data.items())))
    assert stored_requirement_set(reordered) == requirement_set_from_data(reordered)
