"""Render many Markdown texts, in worker processes when there are enough of them to pay.

Contract: `render_many(jobs, workers)` takes an iterable of `(text, anchor_prefix)` and yields
`(job, render_cache.render_text(text, anchor_prefix))` for each, in the order of `jobs`, as each
becomes available. With `workers` > 1 it renders them in a `ProcessPoolExecutor` of `workers`
processes (started by fork where the platform has it: the workers inherit the loaded renderer
instead of importing it again), reading `jobs` only a few chunks ahead of the results, so that the
texts in flight do not grow with the course; with 1 it renders here, one by one. The results are the
same either way (the same pure function of each text); an exception raised while rendering is
raised here. `workers_for(count, cpus)` is how many processes are worth starting for `count` texts
on `cpus` CPUs (1 below `MIN_JOBS_PER_WORKER` texts per process); `default_workers()` is the
number of CPUs this process may use. If the caller stops reading (an error, or the build is
interrupted), the texts still queued are cancelled; workers end at SIGTERM and ignore SIGINT.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from rpt_course.caches.render_cache import Rendered, render_text

MIN_JOBS_PER_WORKER = 25  # below this, starting the workers costs more than it saves
_CHUNK = 8  # texts sent to a worker at a time
_AHEAD = 4  # chunks in flight per worker

Job = tuple[str, str]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def workers_for(count: int, cpus: int) -> int:
    return max(1, min(cpus, count // MIN_JOBS_PER_WORKER))


def _render_chunk(chunk: list[Job]) -> list[Rendered]:
    return [render_text(text, anchor_prefix) for text, anchor_prefix in chunk]


def render_many(jobs: Iterable[Job], workers: int) -> Iterator[tuple[Job, Rendered]]:
    """See the module docstring."""
    jobs = iter(jobs)
    if workers <= 1:
        for job in jobs:
            yield job, render_text(*job)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_signals) as pool:
        pending: deque = deque()
        try:
            while True:
                chunk = list(itertools.islice(jobs, _CHUNK))
                if chunk:
                    pending.append((chunk, pool.submit(_render_chunk, chunk)))
                if pending and (not chunk or len(pending) >= workers * _AHEAD):
                    done, future = pending.popleft()
                    yield from zip(done, future.result())
                if not chunk and not pending:
                    return
        except BaseException:  # an error, or the build stopped: do not render what is still queued
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _worker_signals() -> None:
    """A worker ends at SIGTERM and leaves SIGINT (a terminal's Ctrl-C reaches every process of the
    group) to the build, which stops them: a forked worker would otherwise run the handlers the
    build set for itself (archive/staging.py)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
