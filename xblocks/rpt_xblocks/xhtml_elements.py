"""Author text (XHTML fragments) stored inside our blocks' OLX elements, shared by the blocks.

Contract: `append_xhtml(parent, tag, xhtml)` appends `<tag>` holding the fragment as real elements
(nothing when the fragment is empty); `inner_xhtml(element)` returns an element's content as an
XHTML fragment (the reverse; "" for None). Fragments are parsed with the safe parser (no DTD, no
entities). A round trip keeps the fragment's markup.
"""
from __future__ import annotations

from lxml import etree

from rpt_xblocks import safe_xml


def append_xhtml(parent: etree._Element, tag: str, xhtml: str) -> None:
    if not xhtml:
        return
    parent.append(safe_xml.parse(f"<{tag}>{xhtml}</{tag}>".encode("utf-8")))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inner_xhtml(element: etree._Element | None) -> str:
    if element is None:
        return ""
    parts = [_escape(element.text or "")]
    parts += [etree.tostring(child, encoding="unicode", with_tail=True) for child in element]
    return "".join(parts).strip()
