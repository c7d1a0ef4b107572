"""review.py's plain-data contract: counts kept by differences equal a recount, the queue keeps only
learners with something in it, no function changes its arguments, and the conversion from the
earlier format (a queue of every learner plus a decision log) keeps every decision."""
from __future__ import annotations

import copy
from collections import Counter

from hypothesis import given, settings, strategies as st

from rpt_xblocks.tracker import review

REQUIREMENTS = ["s:a", "s:b", "s:c", "t:a"]
LEARNERS = ["anon-1", "anon-2", "anon-3"]


def recount(counted: dict) -> dict:
    return {"learners": sum(met is not None for met in counted.values()),
            "met": dict(sorted(Counter(r for met in counted.values() for r in met or []).items()))}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEARNERS),
                          st.one_of(st.none(), st.lists(st.sampled_from(REQUIREMENTS), unique=True).map(sorted)))))
def test_counts_kept_by_differences_equal_a_recount(changes):
    counts, counted = review.EMPTY_COUNTS, {}
    for learner, met in changes:
        before = counts
        frozen = copy.deepcopy(before)
        counts = review.counts_with(counts, counted.get(learner), met)
        assert before == frozen, "counts_with changed its argument"
        counted[learner] = met
        assert counts == recount(counted)


def case(entry_id, deleted=False):
    return {"id": entry_id, "kind": "case", "fields": {"category": "G3"}, "deleted": deleted}


def test_a_learner_leaves_the_queue_once_nothing_waits_and_others_are_shared_not_copied():
    other = review.learner_snapshot("Other", [case("e1")], {}, {}, [])
    queue = {"anon-2": other}
    snapshot = review.learner_snapshot("Ann", [case("e1"), case("e2", deleted=True), case("e3")], {"categories": ["G3"]},
                                       {}, ["s:a"])
    assert [e["id"] for e in snapshot["entries"]] == ["e1", "e3"], "deleted entries are not sent to staff"
    queue = review.queue_with(queue, "anon-1", snapshot)
    assert queue["anon-2"] is other
    assert review.queue_with(queue, "anon-1", copy.deepcopy(snapshot)) is queue, "an unchanged snapshot keeps the queue"

    first = review.decided(snapshot, {"entry": "e1", "decision": "verified"}, ["s:a"])
    assert first["entries"] == snapshot["entries"] and [p["entries"] for p in review.pending_reviews({"x": first})] == \
        [[case("e3")]]
    last = review.decided(first, {"entry": "e3", "decision": "rejected"}, [])
    assert (last["entries"], last["plan"], last["met"]) == ([], {}, [])
    assert [r["entry"] for r in last["undelivered"]] == ["e1", "e3"] and last["statuses"] == {"e1": "verified", "e3": "rejected"}
    assert [e["id"] for e in snapshot["entries"]] == ["e1", "e3"] and snapshot["undelivered"] == [], "decided copies"

    queue = review.queue_with(queue, "anon-1", None)
    assert list(queue) == ["anon-2"] and review.queue_with(queue, "anon-1", None) is queue


def test_pending_reviews_list_learners_by_name_with_undecided_entries_only():
    queue = {"anon-1": review.learner_snapshot("Zoe", [case("e1"), case("e2")], {}, {"e1": "verified"}, []),
             "anon-2": review.learner_snapshot("Adam", [case("e1")], {}, {}, []),
             "anon-3": {"name": "Done", "entries": [], "plan": {}, "statuses": {"e1": "verified"},
                        "undelivered": [{"entry": "e1", "decision": "verified"}], "met": []}}
    assert [(p["name"], [e["id"] for e in p["entries"]]) for p in review.pending_reviews(queue)] == \
        [("Adam", ["e1"]), ("Zoe", ["e2"])]


def test_the_earlier_format_converts_with_every_decision_kept_and_counts_recounted():
    entries = [case("e1"), case("e2")]
    queue = {"anon-1": {"name": "Ann", "entries": entries, "plan": {"categories": ["G3"]}, "met": ["s:a"]},
             "anon-2": {"name": "Bob", "entries": [case("e1")], "plan": {}, "met": ["s:a", "s:b"]},
             "anon-3": {"name": "Cy", "entries": [], "plan": {}, "met": []}}
    log = [{"learner": "anon-1", "entry": "e1", "decision": "rejected", "comment": "date", "by": "P", "at": "t1", "seq": 1},
           {"learner": "anon-2", "entry": "e1", "decision": "verified", "comment": "", "by": "P", "at": "t2", "seq": 2},
           {"learner": "anon-1", "entry": "e1", "decision": "verified", "comment": "fixed", "by": "Q", "at": "t3", "seq": 3},
           "not a record", {"entry": "e9"}]
    frozen = copy.deepcopy((queue, log))
    converted, counts = review.from_earlier_version(queue, log)
    assert (queue, log) == frozen
    assert counts == {"learners": 3, "met": {"s:a": 2, "s:b": 1}}
    ann = converted["anon-1"]
    assert ann["statuses"] == {"e1": "verified"} and [e["id"] for e in ann["entries"]] == ["e1", "e2"]
    assert [(r["entry"], r["decision"], r["by"]) for r in ann["undelivered"]] == [("e1", "rejected", "P"), ("e1", "verified", "Q")]
    assert converted["anon-2"]["entries"] == [] and converted["anon-2"]["undelivered"][0]["decision"] == "verified"
    assert [(p["learner"], [e["id"] for e in p["entries"]]) for p in review.pending_reviews(converted)] == [("anon-1", ["e2"])]
