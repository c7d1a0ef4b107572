"""Render many Markdown texts, in worker processes when there are enough of them to pay.

Contract: `render_many(jobs, workers)` yields `render_cache.render_text(text, anchor_prefix)` for
each `(text, anchor_prefix)` in `jobs`, in the order of `jobs`, as each becomes available. With
`workers` > 1 and at least `MIN_JOBS_PER_WORKER` jobs per worker it renders them in a
`ProcessPoolExecutor` of `workers` processes (started by fork where the platform has it: the
workers inherit the loaded renderer instead of importing it again); otherwise here, one by one.
The results are the same either way (the same pure function of each text); an exception raised
while rendering is raised here. `default_workers()` is the number of CPUs this process may use.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from rpt_course.render_cache import Rendered, render_text

MIN_JOBS_PER_WORKER = 25  # below this, starting the workers costs more than it saves
_CHUNK = 8  # texts sent to a worker at a time


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def _render_chunk(chunk: list[tuple[str, str]]) -> list[Rendered]:
    return [render_text(text, anchor_prefix) for text, anchor_prefix in chunk]


def render_many(jobs: Iterable[tuple[str, str]], workers: int) -> Iterator[Rendered]:
    """See the module docstring."""
    jobs = list(jobs)
    if workers <= 1 or len(jobs) < MIN_JOBS_PER_WORKER * workers:
        for text, anchor_prefix in jobs:
            yield render_text(text, anchor_prefix)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunks = [jobs[start:start + _CHUNK] for start in range(0, len(jobs), _CHUNK)]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for rendered in pool.map(_render_chunk, chunks):
            yield from rendered
