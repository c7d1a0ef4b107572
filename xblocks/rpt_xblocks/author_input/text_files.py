"""Read one author file (YAML or Markdown) as text, or say at its line why it cannot be.

Contract: `read_author_text(path, shown_as)` returns `(text, None)` or `(None, problem)`, never
raises for the file's content. A file larger than `MAX_FILE_BYTES` is refused at `shown_as:1`
before it is read (a course file that size is a mistake, and YAML and Markdown work grows with
it); bytes that are not UTF-8 are reported at the line and column of the first such byte, with
the advice to save the file as UTF-8; a UTF-8 byte order mark at the start is dropped (editors on
Windows add one, and it would otherwise reach the OLX as an invisible character).
"""
from __future__ import annotations

import os
from pathlib import Path

from rpt_xblocks.author_input.problems import Problem

MAX_FILE_BYTES = 2_000_000  # the largest course file is about 30 kB
BOM = "\ufeff"


def read_author_text(path: Path, shown_as: str) -> tuple[str | None, Problem | None]:
    """See the module docstring."""
    with open(path, "rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        raw = b"" if size > MAX_FILE_BYTES else stream.read(size + 1)  # a buffer of the file's size, not the limit's
        if size < len(raw) <= MAX_FILE_BYTES:  # it grew meanwhile: read on, up to just past the limit
            raw += stream.read(MAX_FILE_BYTES + 1 - len(raw))
    if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        return None, Problem(shown_as, 1, f"this file is {max(size, len(raw)):,} bytes, more than the {MAX_FILE_BYTES:,} "
                                          "a course file may have — split it into several files (a lesson per unit)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, not_utf8(raw, error.start, shown_as)
    return text.removeprefix(BOM), None


def not_utf8(raw: bytes, offset: int, shown_as: str) -> Problem:
    """The problem for the first byte at `offset` that is not UTF-8: its line and column (counted in
    characters, the bytes before it on its line being UTF-8)."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    line = raw.count(b"\n", 0, offset) + 1
    return Problem(shown_as, line, f"this file is not UTF-8 text: byte 0x{raw[offset]:02x} at column {column} is not "
                                   "UTF-8 (the file was perhaps saved as Latin-1 or Windows-1252) — save it with "
                                   "UTF-8 encoding")
