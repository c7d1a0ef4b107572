"""`sanitizing.plain_text` skips bleach for text that `is_inert`; these tests show that the fast path
returns exactly what the bleach rounds (`plain_text_by_bleach`) return.

The claim: for inert text, bleach and `html.unescape` change nothing, so the rounds return the
text stripped. Checked on every inert code point at once, on arbitrary text (any code point,
surrogates, controls and NUL included) and on text built from the characters bleach and html5lib
treat specially, so that most examples mix inert runs with markup, entities and controls.
"""
from __future__ import annotations

import sys

from hypothesis import example, given, settings, strategies as st

from rpt_xblocks.sanitizing import is_inert, plain_text, plain_text_by_bleach

SPECIAL = "<>&;#!-/=\"' \n\t\r\x00\x01\x08\x0b\x0c\x1f\x7f\x85\xa0\u00ad\u2028\u2029\u202e\u200b\ufeff\ufffd\ufffe\ud800"
ANY_CHARACTER = st.characters(codec=None, categories=None)
TRICKY = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.sampled_from("ab Z0é语𝔘")), max_size=60)


def _same(text: str) -> None:
    try:
        expected = plain_text_by_bleach(text)
    except Exception as error:  # pylint: disable=broad-except  (then the fast path must not answer either)
        assert not is_inert(text), f"bleach raised {error!r} on text the fast path accepts"
        return
    assert plain_text(text) == expected
    if is_inert(text):
        assert expected == text.strip()


def test_every_inert_code_point_passes_bleach_unchanged():
    inert = [chr(c) for c in range(sys.maxunicode + 1) if is_inert(chr(c))]
    assert len(inert) > 100_000
    text = " ".join(inert)
    assert plain_text_by_bleach(text) == text.strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ANY_CHARACTER, max_size=80))
@example("")
@example("  Preceptor AU \n\t")
@example("\x00")
@example("a\rb")
@example("&lt;b&gt;")
@example("\u202e")
def test_fast_path_equals_bleach_on_arbitrary_text(text):
    _same(text)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_fast_path_equals_bleach_on_text_near_markup_and_controls(text):
    _same(text)


def test_what_is_inert():
    assert is_inert("Lu-177 dotatate, 7.4 GBq (cycle 2)\n\tnotes")
    for character in "<>&\r\x00\x0b\x0c\x1f\x7f\x85\xa0\u2028\u202e\ufeff\ud800":
        assert not is_inert(f"a{character}b"), repr(character)
