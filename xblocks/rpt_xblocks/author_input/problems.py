"""Author-facing problems: `path:line: what is wrong — how to fix it`.

Every check in the authoring command reports a `Problem` instead of raising, so that all
mistakes are reported at once. `ProblemsFound` is raised only at stage boundaries, carrying
every problem gathered so far.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


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
        """One line, always: line breaks and other control characters in a path or message (a key or
        file name can hold them) are shown as escapes such as `\\n`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return _one_line(f"{where}: {self.message}")


class ProblemsFound(Exception):
    """Raised with the complete list of problems when a stage cannot go on."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _one_line(text: str) -> str:
    return _LINE_BREAKING.sub(lambda match: repr(match.group())[1:-1], text)


def _sort_key(problem: Problem):
    return (problem.path, problem.line or 0, problem.message)
