"""Running a records transaction again when the database rolled it back for a reason a new try removes.

Contract: `retried(run, also=())` returns `run()`; when `run` raises an OperationalError with MySQL's
or MariaDB's deadlock code (DEADLOCK, 1213: the server broke a deadlock by rolling the transaction
back), or one of the exception types in `also`, it runs `run` again, up to TRIES calls in all, then
raises the last error. Nothing is retried inside a caller's transaction (the rollback ended it).
Under READ COMMITTED (Django's level for MySQL) row locks leave few deadlocks; a site configured for
REPEATABLE READ gets gap locks, and two requests' first inserts of one row can deadlock: every
write path of the records app that inserts under a lock or an upsert runs through here.
"""
from __future__ import annotations

from typing import Callable

from django.db import OperationalError, transaction

DEADLOCK = 1213
TRIES = 3


def retried(run: Callable, also: tuple[type[BaseException], ...] = ()):
    for attempt in range(1, TRIES + 1):
        try:
            return run()
        except (OperationalError, *also) as error:
            retry = isinstance(error, also) or (isinstance(error, OperationalError) and bool(error.args)
                                                and error.args[0] == DEADLOCK)
            if not retry or attempt == TRIES or transaction.get_connection().in_atomic_block:
                raise
