"""The build skips bleach for HTML that `plainly_allowed.is_plainly_allowed` accepts
(xblocks/rpt_xblocks/plainly_allowed.py); these tests show that the lesson XHTML is then byte for
byte what bleach would have given, and that the fast path is taken for real lessons.

The claim, checked two ways: for HTML the check accepts, `to_xhtml(html)` equals
`to_xhtml(sanitize_once(html))` (and their links); and `render_lesson` with the fast path equals
`render_lesson` with bleach forced. On every Markdown text the build renders from course_content/
and from the fixture courses, on the XSS payloads of tests/fixtures/xss_payloads.txt (as Markdown
and as raw HTML), on generated well-formed HTML (which must be accepted), on that HTML with one
hostile or malformed piece put in anywhere, on random mixes of good and bad pieces, and on
generated Markdown. Each kind of input the allow-list changes is shown refused.
"""
from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given, settings, strategies as st

from benchmarks.generate_course import generate_course
from benchmarks.sanitize_fast_path import rendered_texts
from rpt_course.compile import lessons
from rpt_xblocks.plainly_allowed import UNCHANGED_STYLES, is_plainly_allowed
from rpt_xblocks.sanitizing import ALLOWED_TAGS, new_cleaner, sanitize_once

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = ROOT / "tests" / "fixtures" / "xss_payloads.txt"
CONTENT_FOLDERS = [ROOT / "course_content", ROOT / "tests" / "fixtures" / "courses" / "good"]
CLEANER = new_cleaner()


def _outcome(function, *args):
    try:
        return function(*args)
    except Exception as error:  # pylint: disable=broad-except  (both ways must fail alike)
        return repr(error)


def _assert_claim(html: str) -> bool:
    """If the check accepts `html`, the XHTML and links equal bleach's; returns whether it accepted."""
    accepted = is_plainly_allowed(html)
    if accepted:
        bleached = sanitize_once(html, CLEANER)
        assert _outcome(lessons.to_xhtml, html, "p") == _outcome(lessons.to_xhtml, bleached, "p"), (html, bleached)
    return accepted


def _rendered_with_bleach(text: str, anchor_prefix: str):
    with mock.patch.object(lessons, "is_plainly_allowed", lambda html: False):
        return _outcome(lessons.render_lesson, text, anchor_prefix)


@pytest.fixture(scope="module")
def course_texts(tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    generated = tmp_path_factory.mktemp("generated") / "content"
    generate_course(generated, 60)
    return {folder.name: rendered_texts(folder) for folder in CONTENT_FOLDERS + [generated]}


def test_every_course_text_renders_the_same_with_bleach_forced(course_texts):
    for folder, texts in course_texts.items():
        assert texts, folder
        for text, anchor_prefix in texts:
            fast = lessons.render_lesson(text, anchor_prefix)
            assert fast == _rendered_with_bleach(text, anchor_prefix), (folder, text)
            _assert_claim(lessons._markdown_to_html(text))


def test_the_fast_path_is_taken_for_typical_lessons(course_texts):
    for folder, texts in course_texts.items():
        taken = sum(is_plainly_allowed(lessons._markdown_to_html(text)) for text, _ in texts)
        assert taken >= 0.9 * len(texts), f"{folder}: fast path for {taken} of {len(texts)} texts"
    lessons_with_footnotes_and_tables = [text for text, _ in course_texts["course_content"] if "[^" in text and "|-" in text]
    assert lessons_with_footnotes_and_tables
    assert all(is_plainly_allowed(lessons._markdown_to_html(text)) for text in lessons_with_footnotes_and_tables)


def _payloads() -> list[str]:
    lines = PAYLOADS.read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#:")]


def test_xss_payloads_render_the_same_with_bleach_forced():
    payloads = _payloads()
    assert len(payloads) > 100
    for payload in payloads:
        for text in (payload, f"Before\n\n{payload}\n\nAfter *x*[^1]\n\n[^1]: note", f"A {payload} b"):
            assert lessons.render_lesson(text, "x") == _rendered_with_bleach(text, "x"), text
        for html in (payload, f"<p>ok</p>{payload}", f"<p>{payload}</p>", f"<table><tbody><tr><td>{payload}</td></tr></tbody></table>"):
            _assert_claim(html)


def test_the_fast_path_takes_only_payloads_that_are_text_without_markup_or_attributes():
    payloads = _payloads()
    assert all("<" not in payload for payload in payloads if is_plainly_allowed(payload))
    for payload in payloads:
        html = lessons._markdown_to_html(payload)
        if is_plainly_allowed(html):
            assert re.fullmatch(r"(?:[^<]|</?[a-z0-9]+>)*", html), (payload, html)  # tags without attributes


# ---- generated HTML ------------------------------------------------------------------------------

WORD = st.sampled_from(["dose", "Lu-177", "7.4 GBq", "é", "语", "𝔘", " ", "\n", "\t", "a > b", "'q'", '"q"', "\\(x\\)",
                        "&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#160;", "&#8617;", "&#x41;", "\xa0", "%", "#"])
PLAIN_TEXT = st.lists(WORD, max_size=4).map("".join)
PLAIN_URL = st.sampled_from(["https://example.org/a?b=1&amp;c=2", "http://x.test", "mailto:au@example.org",
                             "#fn:1", "#", "/jump_to_id/u1", "/static/f.png", "../up", "", "https:80", "page.html#top"])
COMMON = st.tuples(st.sampled_from(["class", "id", "title", "lang", "dir"]), PLAIN_TEXT)


def _attribute_html(pairs) -> str:
    names = set()
    out = []
    for name, value in pairs:
        if name not in names:
            names.add(name)
            out.append(f' {name}="{value}"')
    return "".join(out)


def _plain_value(text: str) -> str:
    return text.replace("&amp;", "\0").replace("&", "&amp;").replace("\0", "&amp;").replace('"', "&quot;").replace(">", "&gt;").replace("<", "&lt;")


_EXTRA = {
    "a": st.tuples(st.sampled_from(["href", "rel"]), PLAIN_URL),
    "img": st.one_of(st.tuples(st.just("src"), st.sampled_from(["/static/f.png", "/static/a&amp;b.svg"])),
                     st.tuples(st.sampled_from(["alt", "width", "height"]), PLAIN_TEXT)),
    "td": st.one_of(st.tuples(st.just("style"), st.sampled_from(sorted(UNCHANGED_STYLES))),
                    st.tuples(st.sampled_from(["colspan", "rowspan", "scope", "headers"]), st.sampled_from(["2", "row", "h1"]))),
    "ol": st.tuples(st.sampled_from(["start", "type"]), st.sampled_from(["3", "a", "I"])),
}
_EXTRA["th"] = _EXTRA["td"]


@st.composite
def _attributes(draw, tag: str) -> str:
    options = st.one_of(COMMON, _EXTRA[tag]) if tag in _EXTRA else COMMON
    pairs = draw(st.lists(options, max_size=3))
    return _attribute_html((name, value if name in ("href", "src") else _plain_value(value)) for name, value in pairs)


PHRASING = ["a", "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "s", "small", "span", "strong", "sub", "sup"]
FLOW = ["blockquote", "div", "figure", "figcaption", "p", "pre", "h1", "h2", "h3", "ul", "ol", "dl", "table"]


@st.composite
def plain_html(draw, depth: int = 3, phrasing: bool = False, in_link: bool = False) -> str:
    """Well-formed HTML of allowed elements and attributes in nestings an HTML5 parser keeps as written."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth else 0))):
        choices = ["text", "br", "img"] + [t for t in PHRASING if not (in_link and t == "a")] + ([] if phrasing else FLOW + ["hr"])
        tag = draw(st.sampled_from(choices)) if depth else "text"
        if tag == "text":
            parts.append(draw(PLAIN_TEXT))
        elif tag in ("br", "hr", "img"):
            parts.append(f"<{tag}{draw(_attributes(tag))}>")
        elif tag in ("ul", "ol"):
            items = draw(st.lists(plain_html(depth - 1, in_link=in_link), max_size=3))
            parts.append(f"<{tag}{draw(_attributes(tag))}>" + "".join(f"<li>{i}</li>\n" for i in items) + f"</{tag}>")
        elif tag == "dl":
            items = draw(st.lists(st.tuples(st.sampled_from(["dt", "dd"]), plain_html(depth - 1, in_link=in_link)), max_size=3))
            parts.append("<dl>" + "".join(f"<{t}>{i}</{t}>" for t, i in items) + "</dl>")
        elif tag == "table":
            cells = draw(st.lists(st.lists(st.tuples(st.sampled_from(["td", "th"]), _attributes("td"),
                                                     plain_html(depth - 1, in_link=in_link)), min_size=1, max_size=3), max_size=3))
            rows = "".join("<tr>\n" + "".join(f"<{t}{a}>{c}</{t}>\n" for t, a, c in row) + "</tr>\n" for row in cells)
            section = draw(st.sampled_from(["thead", "tbody", "tfoot"]))
            caption = draw(st.sampled_from(["", "<caption>Doses</caption>"]))
            parts.append(f"<table>{caption}\n<{section}>\n{rows}</{section}>\n</table>")
        else:
            inner = draw(plain_html(depth - 1, phrasing or tag in ("p", "h1", "h2", "h3"), in_link or tag == "a"))
            if tag == "pre":
                inner = "x" + inner if inner.startswith(("\n", "&")) else inner  # a parser drops a first line feed
            parts.append(f"<{tag}{draw(_attributes(tag))}>{inner}</{tag}>")
    return "".join(parts)


HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<iframe src=x></iframe>", "<svg onload=alert(1)>", "<style>p{}</style>", "<form>",
    "<input>", "<textarea>", "<plaintext>", "<xmp>", "<title>", "<noscript>", "<template>", "<math>", "<body>", "<html>",
    "<col>", "<colgroup>", "<caption>", "<table>", "<tbody>", "<tr>", "<td>", "<th>", "<li>", "<dd>", "<p>", "<a>", "<h2>",
    "<div>", "<pre>", "<hr>", "</p>", "</a>", "</div>", "</td>", "</br>", "</img>", "</table>", "<br/>", "<br />",
    "<P>", "<Em>", "< p>", "<p/>", "<!-- c -->", "<!---->", "<!doctype html>", "<?php x ?>", "<![CDATA[x]]>", "</ p>",
    "<img src=x onerror=alert(1)>", '<img src="/static/a.png" onerror="x">', '<img src="http://e.org/a.png">',
    '<a href="javascript:alert(1)">', '<a href=" JaVaScRiPt:alert(1)">', '<a href="java&#x09;script:x">',
    '<a href="javascript&colon;x">', '<a href="data:text/html,x">', '<a href="vbscript:x">', '<a href="http://[::1">',
    '<a href="//evil.test">', '<a href="a b">', '<a href="#a b">', "<a href='https://x'>", "<a href=https://x>",
    '<a href="https://x" href="javascript:x">', '<a onclick="x()" href="#">', '<a HREF="#x">', '<a href="#x"/>',
    '<td style="color: red">', '<td style="text-align:left">', '<td style="text-align: center; color: red;">',
    '<p style="text-align: left;">', '<span style="background:url(x)">', '<p data-x="1">', '<p xmlns="x">',
    '<ol reversed>', '<img srcset="x">', '<blockquote cite="javascript:x">', '<p title="a<b">', '<p title="a>b">',
    '<p title="&bogus;">', '<p title="&#58;">', "&", "&amp", "&bogus;", "&copy;", "&#0;", "&#128;", "&#x110000;",
    "&#13;", "&#xD800;", "&#X41;", "<", ">", "\r", "\r\n", "\x00", "\x01", "\x0b", "\x0c", "\x7f", "\x85", "\u200b",
    "\u202e", "\ufeff", "\ufffe", "\ud800", "\n", "<pre>\nx</pre>", "<pre>&#10;x</pre>", "<p><div>x</div></p>",
    "<a><a>x</a></a>", "<h1><h2>x</h2></h1>", "<b><p>x</b></p>", "<table>x</table>", "<table><tr><td>x</td></tr></table>",
])


@settings(max_examples=300, deadline=None)
@given(plain_html())
@example("")
@example('<table>\n<thead>\n<tr>\n<th style="text-align: left;">a</th>\n</tr>\n</thead>\n</table>')
@example('<p>x<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>&#160;&#8617;</p>')
def test_well_formed_allowed_html_takes_the_fast_path_and_equals_bleach(html):
    assert _assert_claim(html), html


@settings(max_examples=400, deadline=None)
@given(plain_html(), st.integers(0, 10_000), HOSTILE)
def test_one_hostile_or_malformed_piece_anywhere_keeps_the_claim(html, where, piece):
    where %= len(html) + 1
    _assert_claim(html[:where] + piece + html[where:])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(HOSTILE, WORD, plain_html(depth=1)), max_size=8).map("".join))
def test_mixes_of_good_and_bad_pieces_keep_the_claim(html):
    _assert_claim(html)


MARKDOWN_LINE = st.one_of(
    st.sampled_from(["# Title", "## Sub *em*", "- item", "- [link](https://x.test)", "1. one", "3. three", "> quote",
                     "| a | b |\n|:--|--:|\n| 1 | 2 |", "Text[^n] and more", "[^n]: 10 CFR 35.75", "***",
                     '!!! warning "Dose"\n    Careful.', "$x<y$ and \\(a & b\\)", "$$\nD = A S\n$$", "`code <b>`",
                     "    indented <code>", "[j](javascript:alert(1))", "[d](data:text/html,x)", "![a](/static/f.png)",
                     "![a](https://e.org/a.png)", "![](/static/f.png)", "<https://x.test/a?b&c>", "<mailto:a@b.c>",
                     "**bold** _em_ __b__", "&copy; &amp; & < > &#8617; &nbsp;", "a  \nb", "<div>\n<p>x</p>\n</div>",
                     "[t](/jump_to_id/u1 \"A 'title' & \\\"more\\\"\")", "[r](#top)", "Term\n: def"]),
    HOSTILE, plain_html(depth=2), PLAIN_TEXT)


ANY_TAG = sorted(ALLOWED_TAGS | {"caption", "col", "textarea", "script", "form", "button", "select", "option"})


@st.composite
def nested_anyhow(draw, depth: int = 3) -> str:
    """Properly nested HTML in which any tag may hold any other (what the nesting rules are for)."""
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth else 0))):
        kind = draw(st.sampled_from(["text", "element", "element"]))
        if kind == "text" or not depth:
            parts.append(draw(st.sampled_from(["x", " ", "\n", "\n\n", "&#160;", "&amp;"])))
            continue
        tag = draw(st.sampled_from(ANY_TAG))
        attributes = draw(_attributes(tag))
        parts.append(f"<{tag}{attributes}>" if tag in ("br", "hr", "img", "col")
                     else f"<{tag}{attributes}>{draw(nested_anyhow(depth - 1))}</{tag}>")
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(nested_anyhow())
@example("<b><b><b><b><b>x</b>y</b>z</b>w</b>v</b>u")  # more than three alike: the parser forgets the first
@example('<em class="a"><em class="a"><em class="a"><em class="a"><p>x</p></em></em></em></em>')
@example("<b><table><tbody><tr><td><b><b><b><b>x</b></b></b></b></td></tr></tbody></table>y</b>")
@example("<table><caption><table><tbody><tr><td>x</td></tr></tbody></table></caption><tbody><tr><td>y</td></tr></tbody></table>")
@example("<pre><code>\nx</code></pre>")
def test_any_nesting_of_tags_keeps_the_claim(html):
    _assert_claim(html)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(MARKDOWN_LINE, st.sampled_from(["\n", "\n\n", " "])), max_size=6))
def test_generated_markdown_renders_the_same_with_bleach_forced(lines):
    text = "".join(line + sep for line, sep in lines)
    fast = _outcome(lessons.render_lesson, text, "g")
    assert fast == _rendered_with_bleach(text, "g")
    _assert_claim(_outcome(lessons._markdown_to_html, text))


# ---- what is refused -----------------------------------------------------------------------------

BASE = '<p class="lead">Dose <strong>7.4 GBq</strong><sup id="r1"><a href="#fn:1">1</a></sup>&#160;&amp;</p>'
REFUSED = {
    "tag not in the allow-list": "<p>x</p><script>alert(1)</script>",
    "tag in another case": "<P>x</P>",
    "event-handler attribute": '<p onclick="x()">x</p>',
    "attribute not allowed on the tag": '<p href="https://x">x</p>',
    "attribute read as a URL elsewhere": '<blockquote cite="https://x">x</blockquote>',
    "javascript: link": '<a href="javascript:alert(1)">x</a>',
    "javascript: link hidden in a reference": '<a href="javascript&#x3A;alert(1)">x</a>',
    "data: link": '<a href="data:text/html,x">x</a>',
    "link scheme in another case": '<a href="HTTPS://x">x</a>',
    "link bleach cannot parse": '<a href="http://[::1">x</a>',
    "link with a space": '<a href="a b">x</a>',
    "colon in a relative link": '<a href="a:b">x</a>',
    "image not from /static/": '<img src="https://e.org/a.png" alt="a">',
    "style other than text-align": '<td style="color: red">x</td>',
    "style the CSS sanitizer rewrites": '<table><tbody><tr><td style="text-align:left">x</td></tr></tbody></table>',
    "style on a tag that may not have one": '<p style="text-align: left;">x</p>',
    "comment": "<p>x</p><!-- note -->",
    "doctype": "<!doctype html><p>x</p>",
    "processing instruction": "<?xml version='1.0'?><p>x</p>",
    "CDATA": "<p><![CDATA[x]]></p>",
    "unknown entity": "<p>&copy;</p>",
    "entity without semicolon": "<p>&amp x</p>",
    "bare ampersand": "<p>a & b</p>",
    "reference to a control character": "<p>&#1;</p>",
    "reference to a C1 control": "<p>&#128;</p>",
    "reference beyond Unicode": "<p>&#x110000;</p>",
    "entity in an attribute other than &amp; &lt; &gt; &quot;": '<p title="&#58;">x</p>',
    "carriage return": "<p>a\r\nb</p>",
    "NUL": "<p>a\x00b</p>",
    "control character": "<p>a\x0bb</p>",
    "format character": "<p>a\u202eb</p>",
    "single-quoted attribute": "<p class='x'>x</p>",
    "unquoted attribute": "<p class=x>x</p>",
    "attribute without a value": "<p hidden>x</p>",
    "duplicate attribute": '<p class="a" class="b">x</p>',
    "< in an attribute": '<p title="a<b">x</p>',
    "> in an attribute": '<p title="a>b">x</p>',
    "self-closing syntax": "<p>a<br/>b</p>",
    "end tag of a void element": "<p>a<br></br>b</p>",
    "unclosed element": "<p>x",
    "stray end tag": "x</p>",
    "misnested tags": "<b><i>x</b></i>",
    "attribute on an end tag": '<p>x</p class="a">',
    "block inside p": "<p><div>x</div></p>",
    "list inside a span inside p": "<p><span><ul><li>x</li></ul></span></p>",
    "heading inside a heading": "<h1><h2>x</h2></h1>",
    "link inside a link": '<a href="#a"><a href="#b">x</a></a>',
    "li outside a list": "<li>x</li>",
    "li inside a div inside a list": "<ul><div><li>x</li></div></ul>",
    "dd outside dl": "<dd>x</dd>",
    "row straight inside a table": "<table><tr><td>x</td></tr></table>",
    "cell outside a row": "<table><tbody><td>x</td></tbody></table>",
    "text inside a table": "<table>x<tbody><tr><td>y</td></tr></tbody></table>",
    "reference inside a table": "<table>&#160;<tbody><tr><td>y</td></tr></tbody></table>",
    "line feed after pre": "<pre>\nx</pre>",
    "reference right after pre": "<pre>&#10;x</pre>",
    "less-than sign in text": "<p>a < b</p>",
}


def test_the_base_is_plainly_allowed():
    assert _assert_claim(BASE)


@pytest.mark.parametrize("html", REFUSED.values(), ids=REFUSED.keys())
def test_refused(html):
    assert not is_plainly_allowed(html)
    assert not is_plainly_allowed(BASE + html + BASE)


def test_the_unchanged_styles_are_what_the_css_sanitizer_returns():
    assert all(CLEANER.css_sanitizer.sanitize_css(style) == style for style in UNCHANGED_STYLES)
