"""Which HTML the allow-list (sanitizing.py) would let through as it is: the build's way to skip bleach
for the HTML that Markdown writes, most of which has nothing to remove.

Contract: `is_plainly_allowed(html)` is True only when bleach's `Cleaner` from
`sanitizing.new_cleaner()` would keep every tag, attribute and character of `html`: the HTML it
returns then differs from `html` only in spelling (quoting, escaping, `<br>` forms), so lxml parses
the two to the same tree, and the lesson XHTML written from either is byte for byte the same. False
means "not sure": the caller sanitizes with bleach as before. Nothing is cached and nothing is
parsed with lxml; one pass of regular expressions over the text.

True requires all of this (anything else, even if harmless, is False):
- characters: printable (`str.isprintable`), line feed, tab or no-break space; no carriage return,
  control, format, private-use or unassigned character;
- markup: only start tags `<name attr="value" ...>` (lower-case names, one space before each
  attribute, double quotes, no `/>`) and end tags `</name>`; no comment, doctype, CDATA or
  processing instruction; in text and attribute values `&` only in `&amp;`, `&lt;`, `&gt;`,
  `&quot;` (and in text also `&nbsp;` and decimal or hex character references to characters of the
  first rule); no `<` except in tags, no `>` or `<` in attribute values;
- tags: in `ALLOWED_TAGS`, every non-void element closed by its own end tag in order, void elements
  (`br`, `hr`, `img`) never closed; and none of the nestings for which an HTML5 parser (html5lib,
  inside bleach) builds a tree other than the tags as written: inside `p` and headings only
  phrasing elements; no `a` inside `a`; `li` only in `ul`/`ol`, `dd`/`dt` only in `dl`; tables
  exactly `table > (caption|thead|tbody|tfoot) > tr > (td|th)` with only spaces, tabs and line
  feeds as text between those; no line feed right after `<pre>` (the parser drops it);
- attributes: each once per tag, allowed by `sanitizing.allowed_attribute` (called with the value
  as written, as bleach calls it) and either plain (not read as a URL or CSS by bleach:
  `PLAIN_ATTRIBUTES`), or `href`/`src` whose value is a relative URL without ':' or starts with
  `http:`, `https:`, `mailto:` or `#`, in URL characters other than `[`, `]` and space (bleach keeps
  those unchanged), or `style` with one of `UNCHANGED_STYLES` (what bleach's CSS sanitizer returns
  unchanged; Markdown writes them for aligned table columns).

tests/authoring/test_plainly_allowed.py checks the claim against bleach on course texts, the XSS
payloads and generated HTML, and that each rule refuses what it should.
"""
from __future__ import annotations

import re
from html import unescape

from rpt_xblocks.sanitizing import ALLOWED_TAGS, allowed_attribute

PLAIN_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "rel", "alt", "width", "height", "colspan",
                              "rowspan", "scope", "headers", "start", "type"})
URL_ATTRIBUTES = frozenset({"href", "src"})
UNCHANGED_STYLES = frozenset({"text-align: left;", "text-align: center;", "text-align: right;"})

_VOID = frozenset({"br", "hr", "img"})
_PHRASING = frozenset({"a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "img", "ins", "kbd", "s", "small",
                       "span", "strong", "sub", "sup"})
_PHRASING_ONLY = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_PARENTS = {"li": {"ul", "ol"}, "dd": {"dl"}, "dt": {"dl"}, "caption": {"table"}, "thead": {"table"},
            "tbody": {"table"}, "tfoot": {"table"}, "tr": {"thead", "tbody", "tfoot"}, "td": {"tr"}, "th": {"tr"}}
_CHILDREN = {"table": {"caption", "thead", "tbody", "tfoot"}, "thead": {"tr"}, "tbody": {"tr"}, "tfoot": {"tr"},
             "tr": {"td", "th"}}

_ATTRIBUTE_VALUE = r'"[^"<>&]*(?:&(?:amp|lt|gt|quot);[^"<>&]*)*"'
_TOKEN = re.compile(
    r"(?P<text>[^<&]+)"
    r"|&(?:(?P<named>amp|lt|gt|quot|nbsp)|#(?P<decimal>[0-9]{1,7})|#x(?P<hex>[0-9a-fA-F]{1,6}));"
    rf"|<(?P<end>/)?(?P<name>[a-z][a-z0-9]*)(?P<attributes>(?: [a-z]+={_ATTRIBUTE_VALUE})*)>")
_ATTRIBUTE = re.compile(rf" ([a-z]+)=({_ATTRIBUTE_VALUE})")
_URL_CHARACTERS = r"[A-Za-z0-9\-._~/?#@!$&'()*+,;=%]"
_URL = re.compile(rf"(?:(?:https?:|mailto:|#)(?:{_URL_CHARACTERS}|:)*|{_URL_CHARACTERS}*)")


def is_plainly_allowed(html: str) -> bool:
    """See the module docstring."""
    if not _plain_characters(html):
        return False
    open_elements: list[str] = []
    phrasing_only = 0  # open p and heading elements
    links = 0  # open a elements
    after_pre = False
    position, end = 0, len(html)
    while position < end:
        token = _TOKEN.match(html, position)
        if token is None:
            return False
        position = token.end()
        parent = open_elements[-1] if open_elements else None
        text = token.group("text")
        if text is not None or token.group("name") is None:  # text, or a character reference
            if after_pre and (text is None or text.startswith("\n")):
                return False
            if parent in _CHILDREN and (text is None or text.strip(" \t\n")):
                return False
            if text is None and not _plain_reference(token):
                return False
            after_pre = False
            continue
        after_pre = False
        name = token.group("name")
        if token.group("end"):
            if token.group("attributes") or name != parent:
                return False
            open_elements.pop()
            phrasing_only -= name in _PHRASING_ONLY
            links -= name == "a"
            continue
        if (name not in ALLOWED_TAGS or (phrasing_only and name not in _PHRASING) or (links and name == "a")
                or (name in _PARENTS and parent not in _PARENTS[name])
                or (parent in _CHILDREN and name not in _CHILDREN[parent])
                or not _plain_attributes(name, token.group("attributes"))):
            return False
        if name not in _VOID:
            open_elements.append(name)
            phrasing_only += name in _PHRASING_ONLY
            links += name == "a"
            after_pre = name == "pre"
    return not open_elements


def _plain_characters(text: str) -> bool:
    return text.replace("\n", " ").replace("\t", " ").replace("\xa0", " ").isprintable()


def _plain_reference(token: re.Match) -> bool:
    if token.group("named"):
        return True
    number = token.group("decimal")
    code_point = int(number) if number else int(token.group("hex"), 16)
    return code_point <= 0x10FFFF and _plain_characters(chr(code_point))


def _plain_attributes(tag: str, attributes: str) -> bool:
    seen = set()
    for name, quoted in _ATTRIBUTE.findall(attributes):
        value = quoted[1:-1]
        if name in seen or not allowed_attribute(tag, name, value):
            return False
        seen.add(name)
        if name in URL_ATTRIBUTES:
            if not _URL.fullmatch(unescape(value)):  # only &amp; &lt; &gt; &quot; get here
                return False
        elif name == "style":
            if value not in UNCHANGED_STYLES:
                return False
        elif name not in PLAIN_ATTRIBUTES:
            return False
    return True

