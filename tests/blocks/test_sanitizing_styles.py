"""A Cleaner from `sanitizing.new_cleaner()` remembers its CSS answers per style text: the same HTML
as bleach with a fresh CSS sanitizer for every text, each distinct style sanitized once, and the
memory bounded and owned by the Cleaner."""
from __future__ import annotations

import bleach
from bleach.css_sanitizer import CSSSanitizer

from rpt_xblocks import sanitizing

STYLED = [
    '<table><tr><td style="text-align: right">1</td><td style="text-align:center">2</td></tr></table>',
    '<table><tr><th style="text-align: right; color: red">a</th><td style="color: red">b</td></tr></table>',
    '<table><tr><td style="text-align: right">c</td><td style="text-align: right">d</td></tr></table>',
    '<table><tr><td style="background: url(javascript:alert(1)); text-align: left">e</td></tr></table>',
    '<table><tr><td style="expression(alert(1))">f</td><td style="text-align: right /* x */">g</td></tr></table>',
    '<p style="text-align: right">a paragraph keeps no style</p>',
]


def _fresh(html: str) -> str:
    return bleach.clean(html, tags=sanitizing.ALLOWED_TAGS, attributes=sanitizing.allowed_attribute,
                        protocols=sanitizing.ALLOWED_PROTOCOLS, strip=True, strip_comments=True,
                        css_sanitizer=CSSSanitizer(allowed_css_properties=sanitizing.ALLOWED_CSS_PROPERTIES))


def test_a_reused_cleaner_gives_what_a_fresh_one_gives_and_sanitizes_each_style_once(monkeypatch):
    expected = [_fresh(html) for html in STYLED]
    calls = []
    original = CSSSanitizer.sanitize_css
    monkeypatch.setattr(CSSSanitizer, "sanitize_css", lambda self, style: calls.append(style) or original(self, style))
    cleaner = sanitizing.new_cleaner()
    for _round in range(3):
        assert [sanitizing.sanitize_once(html, cleaner) for html in STYLED] == expected
    assert "color" not in "".join(expected) and "javascript" not in "".join(expected)
    assert calls and sorted(calls) == sorted(set(calls))  # every distinct style once, however often it appears


def test_each_cleaner_has_its_own_bounded_memory():
    one, other = sanitizing.new_cleaner(), sanitizing.new_cleaner()
    assert one.css_sanitizer is not other.css_sanitizer
    for number in range(sanitizing.REMEMBERED_STYLES + 50):
        sanitizing.sanitize_once(f'<table><tr><td style="text-align: right; width: {number}px">x</td></tr></table>', one)
    assert len(one.css_sanitizer._answers) == sanitizing.REMEMBERED_STYLES
    assert not other.css_sanitizer._answers
