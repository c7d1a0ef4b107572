"""The one HTML allow-list for everything authors write: lesson pages (built by rpt-course) and the
text inside our blocks (prompts, choices, feedback, explanations), which the blocks sanitize again
when they render, since Studio lets staff edit OLX by hand.

Contract: `sanitize(html)` returns `html` with only the tags, attributes, URL schemes and CSS
below (text formatting, tables, figures, `/static/` images, links); scripts, event handlers,
styles other than `text-align`, iframes and forms are removed, their text kept as plain text.
`plain_text(text)` is for learner text: no markup at all.
"""
from __future__ import annotations

import functools
import html

import bleach
from bleach.css_sanitizer import CSSSanitizer

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
STATIC_PREFIX = "/static/"
_COMMON_ATTRIBUTES = ("class", "id", "title", "lang", "dir")
_CELL_ATTRIBUTES = ("colspan", "rowspan", "scope", "style", "headers")
ALLOWED_CSS_PROPERTIES = ("text-align",)
REMEMBERED_STYLES = 256  # distinct style attributes one Cleaner remembers (Markdown writes a handful)


class _RememberingCSSSanitizer(CSSSanitizer):
    """bleach's CSS sanitizer, remembering its answer for each style text it has seen (a pure
    function of the text; tinycss2 parsing each `text-align` of every table cell again was about 5%
    of a cold build). The memory belongs to one Cleaner (`new_cleaner`), never to the process."""

    def __init__(self):
        super().__init__(allowed_css_properties=ALLOWED_CSS_PROPERTIES)
        self._answers: dict[str, str] = {}

    def sanitize_css(self, style):
        answer = self._answers.get(style)
        if answer is None:
            answer = super().sanitize_css(style)
            if len(self._answers) < REMEMBERED_STYLES:
                self._answers[style] = answer
        return answer


def allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _COMMON_ATTRIBUTES:
        return True
    if tag == "a":
        return name in ("href", "rel")
    if tag == "img":
        return name in ("alt", "width", "height") or (name == "src" and value.startswith(STATIC_PREFIX))
    if tag in ("td", "th"):
        return name in _CELL_ATTRIBUTES
    if tag == "ol":
        return name in ("start", "type")
    return False


def new_cleaner() -> bleach.sanitizer.Cleaner:
    """A bleach Cleaner for the allow-list. A Cleaner keeps parser state, so one may clean many texts
    in a row but is not shared between threads; the build keeps one (building one per text cost 1.4%
    of a build), the blocks keep none (they memoize `sanitize` instead)."""
    return bleach.sanitizer.Cleaner(tags=ALLOWED_TAGS, attributes=allowed_attribute, protocols=ALLOWED_PROTOCOLS,
                                    css_sanitizer=_RememberingCSSSanitizer(), strip=True, strip_comments=True)


def sanitize_once(html: str, cleaner: bleach.sanitizer.Cleaner | None = None) -> str:
    """See the module docstring; for texts cleaned once, such as lesson pages at build time, with
    `cleaner` from `new_cleaner()` when the caller reuses one. (The build calls it only for HTML that
    `plainly_allowed.is_plainly_allowed` refuses; the rest would come out as the same XHTML.)"""
    return (cleaner or new_cleaner()).clean(html)


@functools.lru_cache(maxsize=4096)
def sanitize(html: str) -> str:
    """`sanitize_once`, memoized for the blocks, which sanitize the same author texts on every request
    (measured in docs/benchmarks.md: most of rpt_quiz `submit`)."""
    return sanitize_once(html)


def plain_text(text: str) -> str:
    """Learner text kept as plain text: tags and comments removed (their text kept), entities decoded,
    surrounding space stripped — repeated until nothing changes, so that decoding "&lt;b&gt;" cannot
    leave markup behind (after 4 rounds any remaining < and > are dropped). Views still insert it as
    text, never as HTML.

    Text that `is_inert` (most of what learners type) skips bleach: it is returned stripped, which is
    what the bleach rounds return for it (tests/blocks/test_sanitizing_fast_path.py checks the two
    paths agree on arbitrary text)."""
    if is_inert(text):
        return text.strip()
    return plain_text_by_bleach(text)


def is_inert(text: str) -> bool:
    """True when `text` holds nothing bleach or `html.unescape` would change: no <, > or &, and no
    character other than space, line feed and tab that `str.isprintable` rejects (control, format,
    surrogate, private-use, unassigned and separator characters — bleach replaces some controls
    with "?", html5lib turns carriage returns into line feeds and drops NULs)."""
    return not ("<" in text or ">" in text or "&" in text) and text.replace("\n", " ").replace("\t", " ").isprintable()


def plain_text_by_bleach(text: str) -> str:
    """`plain_text` without the fast path: bleach and `html.unescape` rounds."""
    for _round in range(4):
        cleaned = html.unescape(bleach.clean(text, tags=set(), strip=True, strip_comments=True)).strip()
        if cleaned == text:
            return cleaned
        text = cleaned
    return text.replace("<", "").replace(">", "")
