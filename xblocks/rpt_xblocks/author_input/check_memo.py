"""The optional memory of clean verdicts that the author-input checks accept.

Contract: a `CheckMemo` is given to a check (`schema_check.schema_problems`,
`dosimetry.scenario.scenario_errors`) by a caller that keeps verdicts between runs (the authoring
command: rpt_course.caches.check_cache). `memo.check(name, inputs, run)` returns `run()`'s problems, or
`[]` without running it when the check `name` found the same `inputs` clean before. The check
passes as `inputs` strings that together determine its verdict, besides its code. Without a memo
(`checked(None, ...)`) the check simply runs; the problems are the same either way.
"""
from __future__ import annotations

from typing import Callable, Protocol


class CheckMemo(Protocol):
    def check(self, name: str, inputs: tuple[str, ...], run: Callable[[], list]) -> list:
        """`run()`'s problems, or [] without running it if `name` found `inputs` clean before."""


def checked(memo: CheckMemo | None, name: str, inputs: Callable[[], tuple[str, ...]], run: Callable[[], list]) -> list:
    """`run()`, through `memo` if there is one (`inputs()` is only computed then)."""
    return run() if memo is None else memo.check(name, inputs(), run)
