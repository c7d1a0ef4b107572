"""The one way this project parses XML (OLX, lesson XHTML, block content): no DTD, no entity
expansion, no network.

Contract: `parse(data, base_url=None)` returns the root element of `data` (bytes). It raises
`DtdRefused` when the document declares a DOCTYPE or entities (checked on the bytes before
parsing, and on the parsed tree for encodings that hide them), and lxml's `XMLSyntaxError`
when it is not well-formed.
"""
from __future__ import annotations

from lxml import etree

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                         huge_tree=False)
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


class DtdRefused(ValueError):
    """The document declares a DTD or entities; `line` is where the declaration starts."""

    def __init__(self, line: int):
        super().__init__(f"DOCTYPE or entity declaration on line {line}")
        self.line = line


def parse(data: bytes, base_url: str | None = None) -> etree._Element:
    positions = [data.find(marker) for marker in _DECLARATIONS if marker in data]
    if positions:
        raise DtdRefused(data[: min(positions)].count(b"\n") + 1)
    root = etree.fromstring(data, PARSER, base_url=base_url)
    if root.getroottree().docinfo.doctype:
        raise DtdRefused(1)
    return root
