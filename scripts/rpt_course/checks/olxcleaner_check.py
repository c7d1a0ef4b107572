"""Run olxcleaner's Python API (the check Studio runs when OLX validation is on) on an OLX folder.

Contract: `olxcleaner_problems(course_dir, shown_as)` runs `olxcleaner.validate(steps=8)` with our
XBlock tags allowed and returns each of its errors *and* warnings as a `Problem` (our bar is zero
of both). Call it only on XML already checked by `olx_checks` to be free of DTDs and entities:
olxcleaner parses with lxml's default parser.
"""
from __future__ import annotations

from pathlib import Path

import olxcleaner

from rpt_xblocks.author_input.problems import Problem
from rpt_xblocks import OLX_TAGS

STEPS = 8


def olxcleaner_problems(course_dir: Path, shown_as: str) -> list[Problem]:
    _course, errors, _url_names = olxcleaner.validate(str(course_dir), steps=STEPS, allowed_xblocks=list(OLX_TAGS))
    top = Path(course_dir).name
    return [Problem(f"{shown_as}/{top}/{error.filename}", None,
                    f"olxcleaner {error.level} {error.name}: {error.description} — fix this so Studio's OLX validation passes")
            for error in errors.errors]
