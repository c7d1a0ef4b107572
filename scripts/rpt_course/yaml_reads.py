"""One read of each YAML file per build, shared by the steps that look at it.

Contract: inside `with shared_reads():`, `read_yaml(path, shown, keep=True)` loads a file once
(`yaml_source.load_yaml`) and keeps the result for later calls, and `read_yaml(path, shown)` (as
`load_checked_yaml` here calls it) takes a kept result away, or loads the file if none is
kept. So the citation check, which reads quiz, walkthrough, tracker, figure and requirement-set
files before they are compiled, costs no second read, and no compile step gets data another compile
step may have changed. Outside the block every call loads the file. The results are those of
`load_yaml`: the caller must not change them while they are kept. `load_checked_yaml` is
`rpt_xblocks.author_input.schema_check.load_checked_yaml` reading through `read_yaml`.
"""
from __future__ import annotations

import contextlib
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from rpt_xblocks.author_input import schema_check
from rpt_xblocks.author_input.yaml_source import load_yaml

_KEPT: ContextVar[dict | None] = ContextVar("rpt_course_yaml_reads", default=None)


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def read_yaml(path: Path, shown: str, keep: bool = False):
    """See the module docstring."""
    kept = _KEPT.get()
    if kept is None:
        return load_yaml(path, shown)
    key = (Path(path), shown)
    if keep:
        if key not in kept:
            kept[key] = load_yaml(path, shown)
        return kept[key]
    return kept.pop(key) if key in kept else load_yaml(path, shown)


def load_checked_yaml(path, shown: str, schema, problems: list):
    """`schema_check.load_checked_yaml`, with a read the build already made used (`read_yaml`)."""
    return schema_check.load_checked_yaml(path, shown, schema, problems, read=read_yaml)
