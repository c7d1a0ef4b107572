"""Lesson rendering: Markdown features, math left for MathJax, strict XHTML, and the allow-list."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from rpt_course.compile.lessons import links, render_lesson

SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _parse(xhtml):
    return etree.fromstring(f"<div>{xhtml}</div>", SAFE_PARSER)


def test_tables_footnotes_admonitions_render_as_strict_xhtml():
    md = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n] &nbsp; <br>\n\n!!! warning \"Dose\"\n    Careful.\n\n[^n]: 10 CFR 35.75."
    xhtml, refused, _ = render_lesson(md, "lesson1")
    root = _parse(xhtml)  # raises if not well-formed XML
    assert refused == []
    assert root.find(".//table/thead/tr/th").get("style") == "text-align: left;"
    assert root.find(".//div[@class='admonition warning']/p[@class='admonition-title']").text == "Dose"
    assert root.find(".//li[@id='lesson1-fn-n']") is not None
    assert root.find(".//sup/a[@href='#lesson1-fn-n']") is not None
    assert "&nbsp;" not in xhtml and "\u00a0" in xhtml


def test_footnote_references_side_by_side_are_separated_by_a_comma_and_single_ones_are_not():
    md = "Two sources.[^a][^b][^c] One source[^a] and text[^b] between.\n\n[^a]: A.\n[^b]: B.\n[^c]: C.\n"
    xhtml, refused, _ = render_lesson(md, "fn")
    assert refused == []
    paragraph = _parse(xhtml).find("p")
    shown = "".join(paragraph.itertext())
    assert shown == "Two sources.1,2,3 One source1 and text2 between."
    assert [sup[0].tail for sup in paragraph.findall("sup")] == [",", ",", None, None, None]


def test_math_is_left_for_mathjax():
    md = r"Inline $T_e = \frac{T_p T_b}{T_p + T_b}$ and \(A_0 e^{-\lambda t}\)." + "\n\n$$\nD = \\tilde{A} S\n$$\n"
    xhtml, _, _ = render_lesson(md, "m")
    assert r"\(T_e = \frac{T_p T_b}{T_p + T_b}\)" in xhtml
    assert r"\(A_0 e^{-\lambda t}\)" in xhtml
    assert "\\[\nD = \\tilde{A} S\n\\]" in xhtml


def test_anchors_differ_between_lessons_on_one_page():
    first, _, _ = render_lesson("A[^1]\n\n[^1]: x", "one")
    second, _, _ = render_lesson("B[^1]\n\n[^1]: y", "two")
    ids = lambda x: {e.get("id") for e in _parse(x).iter() if e.get("id")}
    assert ids(first).isdisjoint(ids(second))


XSS = [
    ("<script>alert(1)</script>", "<script"),
    ("<img src=x onerror=alert(1)>", "onerror"),
    ("<img src=/static/ok.png onerror=alert(1)>", "onerror"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "avascript"),
    ("<iframe src=https://example.org></iframe>", "<iframe"),
    ("<svg onload=alert(1)></svg>", "<svg"),
    ("<style>body{display:none}</style>", "<style"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "javascript"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "data:"),
    ("<object data=x></object>", "<object"),
    ('<form action="https://example.org"><input name=p></form>', "<form"),
]


@pytest.mark.parametrize("payload,marker", XSS)
def test_hostile_markup_is_removed(payload, marker):
    xhtml, _, _ = render_lesson(f"Before\n\n{payload}\n\nAfter", "x")
    lowered = xhtml.lower()
    assert marker.lower() not in lowered
    assert "<script" not in lowered and "onerror" not in lowered and "javascript:" not in lowered
    _parse(xhtml)


@pytest.mark.parametrize("payload", [p for p, _ in XSS if "style=" not in p])
def test_hostile_markup_is_reported_to_the_author(payload):
    _, refused, _ = render_lesson(payload, "x")
    assert refused, "silently dropped markup must be reported"
    assert all(" — " in message for _, message in refused)


def test_images_only_from_static():
    xhtml, refused, _ = render_lesson("![a](/static/fig.svg) ![b](https://example.org/t.png)", "x")
    assert links(xhtml) == ["/static/fig.svg"]
    assert refused == [("https://example.org/t.png", "the image 'https://example.org/t.png' does not come from static/ — put the file in course_content/static/ and link it as /static/NAME")]


_LINK_TEXTS = [p for p, _ in XSS] + [
    "[a](/static/a b.png) [b](<https://e.org/x?a=1&b=2>) [c](#sec) [d](#) <a href=\"x\ty\nz\">w</a>",
    "<a href='/jump_to_id/u1?q=&quot;1&quot;#x'>q</a> <img src='/static/é%20x.png' alt=''> <a href=''>e</a>",
    "Text[^1] and [^2]\n\n[^1]: one\n[^2]: two\n\n# Head {#custom}\n\n<span id=\"a b\">x</span> [to](#a b)",
]


@pytest.mark.parametrize("text", _LINK_TEXTS + [p.read_text("utf-8") for p in sorted(
    (Path(__file__).parents[2] / "course_content").glob("*/lessons/*.md"))][:40])
def test_the_links_rendering_returns_are_those_of_its_xhtml(text):
    xhtml, _, found = render_lesson(text, "p")
    assert found == links(xhtml)
