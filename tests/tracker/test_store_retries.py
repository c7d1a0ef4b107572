"""The tracker's store runs a change again when MySQL broke a deadlock by rolling it back, and only then."""
from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

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
    run, calls = flaky([OperationalError(store.DEADLOCK, "Deadlock found"), OperationalError(store.DEADLOCK, "again")])
    assert store._retrying_deadlocks(run) == "done" and len(calls) == 3  # pylint: disable=protected-access


def test_other_errors_and_a_third_deadlock_are_raised():
    run, calls = flaky([OperationalError(1205, "Lock wait timeout")])
    with pytest.raises(OperationalError):
        store._retrying_deadlocks(run)  # pylint: disable=protected-access
    assert len(calls) == 1
    run, calls = flaky([OperationalError(store.DEADLOCK, "x")] * store.TRIES)
    with pytest.raises(OperationalError):
        store._retrying_deadlocks(run)  # pylint: disable=protected-access
    assert len(calls) == store.TRIES


def test_no_retry_inside_a_callers_transaction():
    run, calls = flaky([OperationalError(store.DEADLOCK, "Deadlock found")])
    with pytest.raises(OperationalError), transaction.atomic():
        store._retrying_deadlocks(run)  # pylint: disable=protected-access
    assert len(calls) == 1
