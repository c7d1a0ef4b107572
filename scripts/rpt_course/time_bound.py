"""A bound on the wall-clock time one piece of rendering may take.

Contract: `within(seconds)` is a context manager; if its block runs longer than `seconds` it raises
`TookTooLong` inside the block (SIGALRM from a real-time interval timer; the previous handler and
timer are restored on leaving). It bounds only code that returns to the interpreter (Python-Markdown
is pure Python; a single long C call ends before the exception is raised). Only the main thread may
set signal handlers, so elsewhere (or without `setitimer`) the block runs unbounded. Render workers
(render_pool) render in their main thread, so each text a worker renders is bounded as well.
`render_seconds()` is the bound for one Markdown text: the environment variable
`RPT_COURSE_RENDER_SECONDS` when it holds a positive number (tests set a small one), else
`DEFAULT_RENDER_SECONDS`.
"""
from __future__ import annotations

import contextlib
import math
import os
import signal
import threading
import time
from typing import Iterator

DEFAULT_RENDER_SECONDS = 20.0  # the largest lesson allowed (2 MB of prose) renders in about 1 s
ENVIRONMENT = "RPT_COURSE_RENDER_SECONDS"


class TookTooLong(Exception):
    """The block ran past its bound."""


def render_seconds() -> float:
    try:
        seconds = float(os.environ.get(ENVIRONMENT, ""))
    except ValueError:
        return DEFAULT_RENDER_SECONDS
    return seconds if math.isfinite(seconds) and seconds > 0 else DEFAULT_RENDER_SECONDS


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """See the module docstring."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def took_too_long(_signum, _frame):
        raise TookTooLong()

    previous = signal.signal(signal.SIGALRM, took_too_long)
    started = time.monotonic()
    outer_delay, _interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # an enclosing timer was running: give it what is left of it (at least a moment)
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 1e-3))
