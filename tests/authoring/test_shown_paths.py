"""`Course.shown` (a path as authors see it) works on the paths' text for speed; it must give what
`Path.relative_to(content_dir).as_posix()` gives, and a path outside the content folder unchanged."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings, strategies as st

from rpt_course.model import Course

PART = st.sampled_from(["a", "b", "ab", "lessons", "m01", "u 1.md", ".", "..", ""])
PATH = st.tuples(st.booleans(), st.lists(PART, max_size=5)).map(
    lambda t: Path(("/" if t[0] else "") + "/".join(t[1]) or "."))


def course_at(content_dir: Path) -> Course:
    fields = {f.name: None for f in dataclasses.fields(Course) if f.default is dataclasses.MISSING
              and f.default_factory is dataclasses.MISSING}
    return Course(**{**fields, "content_dir": content_dir})


def relative_or_same(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@settings(max_examples=500, deadline=None)
@given(root=PATH, rest=st.lists(PART, max_size=4), other=PATH)
def test_shown_equals_relative_to(root, rest, other):
    course = course_at(root)
    inside = root.joinpath(*rest) if rest else root
    assert course.shown(inside) == relative_or_same(inside, root)
    assert course.shown(other) == relative_or_same(other, root)
