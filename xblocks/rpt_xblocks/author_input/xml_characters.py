"""Characters an XML 1.0 document cannot hold, found in author text before it reaches the OLX.

Contract: `first_unstorable(text)` returns `(offset, message)` for the first character of `text` that
XML 1.0 cannot hold (C0 control characters other than tab, line feed and carriage return; the
noncharacters U+FFFE and U+FFFF; lone surrogates), with a message saying what it is and how to fix
it, or None when every character can be stored. lxml refuses such characters with a bare ValueError
or a syntax error in the built OLX; authors get the line of their own file instead.
"""
from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def first_unstorable(text: str) -> tuple[int, str] | None:
    """See the module docstring."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    what = "a control character" if code < 0x20 else "a noncharacter" if code >= 0xFFFE else "half of a surrogate pair"
    return match.start(), (f"the text holds U+{code:04X} ({what}), which XML and so Studio cannot store "
                           "— delete it (it is invisible in most editors: retype the text around it)")


def line_of_offset(text: str, offset: int) -> int:
    """The 1-based line of character `offset` in `text`."""
    return text.count("\n", 0, offset) + 1
