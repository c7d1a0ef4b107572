"""records.retried runs a transaction again when MySQL broke a deadlock by rolling it back, or (the tracker's
store) when another request made the learner's row first, and only then."""
from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from rpt_xblocks.records.retried import DEADLOCK, TRIES, retried
from rpt_xblocks.tracker import store


def flaky(failures: list):
    calls = []

    def run():
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return "done"
    return run, calls


def test_a_deadlock_rollback_is_run_again():
    run, calls = flaky([OperationalError(DEADLOCK, "Deadlock found"), OperationalError(DEADLOCK, "again")])
    assert retried(run) == "done" and len(calls) == 3


def test_other_errors_and_a_third_deadlock_are_raised():
    run, calls = flaky([OperationalError(1205, "Lock wait timeout")])
    with pytest.raises(OperationalError):
        retried(run)
    assert len(calls) == 1
    run, calls = flaky([OperationalError(DEADLOCK, "x")] * TRIES)
    with pytest.raises(OperationalError):
        retried(run)
    assert len(calls) == TRIES


def test_no_retry_inside_a_callers_transaction():
    run, calls = flaky([OperationalError(DEADLOCK, "Deadlock found")])
    with pytest.raises(OperationalError), transaction.atomic():
        retried(run)
    assert len(calls) == 1


def test_a_learner_row_made_by_another_request_is_found_on_the_next_try(monkeypatch):
    """Two first requests of one learner: the one that loses the insert runs again and finds the row."""
    from rpt_xblocks.records.models import TrackerLearner

    TrackerLearner.objects.create(block="b", learner="l", name="L")
    looks = []
    real_filter = TrackerLearner.objects.select_for_update

    class Late:  # the first look happens before the other request's insert
        def filter(self, **kwargs):
            looks.append(kwargs)
            return TrackerLearner.objects.none() if len(looks) == 1 else real_filter().filter(**kwargs)
    monkeypatch.setattr(TrackerLearner.objects, "select_for_update", lambda: Late())
    records, _measured, _reported = store.change("b", "l", "L", store.set_plan({"categories": []}, "L"),
                                                 lambda entries, plan, statuses: _Progress())
    assert len(looks) == 2 and records.owner.name == "L" and TrackerLearner.objects.count() == 1


class _Progress:
    requirements = ()
    fraction = 0.0
