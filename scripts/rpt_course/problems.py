"""Author-facing problems: `path:line: what is wrong — how to fix it`.

Every check in the authoring command reports a `Problem` instead of raising, so that all
mistakes are reported at once. `ProblemsFound` is raised only at stage boundaries, carrying
every problem gathered so far.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One author mistake, located in a source file (path relative to the content folder or archive).

    `line` is 1-based; None when the problem is about a whole file (a missing file, an archive member).
    `message` says what is wrong and, after " — ", how to fix it.
    """

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ProblemsFound(Exception):
    """Raised with the complete list of problems when a stage cannot go on."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem):
    return (problem.path, problem.line or 0, problem.message)
