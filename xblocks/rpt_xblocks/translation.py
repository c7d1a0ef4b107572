"""Translating learner-facing text made in plain modules (grading, quantities) that know no XBlock.

Contract: plain modules call `_(text)` on a message template before formatting it; a block wraps
the call that may produce messages in `with translated_by(self.ugettext): ...`, so the runtime's
i18n service (the learner's language) translates them. Outside such a block `_` returns the text
unchanged. The translator is held in a context variable: concurrent requests never share it.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

_translator: ContextVar[Callable[[str], str]] = ContextVar("rpt_translator", default=lambda text: text)


def _(text: str) -> str:
    return _translator.get()(text)


@contextmanager
def translated_by(gettext: Callable[[str], str]) -> Iterator[None]:
    token = _translator.set(gettext)
    try:
        yield
    finally:
        _translator.reset(token)
