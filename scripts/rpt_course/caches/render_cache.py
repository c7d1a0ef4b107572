"""Rendered Markdown kept in the build cache, so that a rebuild renders only what changed.

Contract:
- `Rendered` is what rendering one Markdown text gives: its XHTML, its markup problems as
  `(text to find in the source, message)` in document order, and the href/src values of the XHTML
  in document order. `render_text(text, anchor_prefix)` computes it (lessons.render_lesson); it
  is a pure function of its arguments and of the code and libraries in `RENDERING`.
- `RenderCache(entries)` stores them in a `build_cache.BuildCache` (`BuildCache.rendered`), one
  entry per rendered text, keyed by the sha256 of (the digest of `RENDERING`, anchor prefix, text).
  `get(text, anchor_prefix)` returns the stored `Rendered` or None when there is none or it is not
  a valid entry (the caller then renders again). `put(...)` stores one. `hits` and `misses` count
  `get` results.
- `RENDERING` (code_fingerprint) starts from this module, so its digest changes when the rendering
  code (every project module this one imports, directly or not, this one included: it lays out
  the entries) or the version of a library that shapes the output changes; an entry is never
  reused across such a change, and old entries are pruned by the next build.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from rpt_course.compile import lessons
from rpt_course.caches.code_fingerprint import CodeFingerprint, digest

RENDERING = CodeFingerprint(entries=("rpt_course.caches.render_cache",),
                            libraries=("Markdown", "pymdown-extensions", "bleach", "tinycss2", "webencodings", "lxml"))


@dataclass(frozen=True)
class Rendered:
    xhtml: str
    problems: tuple[tuple[str, str], ...]
    links: tuple[str, ...]


def render_text(text: str, anchor_prefix: str) -> Rendered:
    """Render one Markdown text (see the module docstring); what a cache miss costs."""
    xhtml, problems, links = lessons.render_lesson(text, anchor_prefix)
    return Rendered(xhtml, tuple((needle, message) for needle, message in problems), tuple(links))


def _key(text: str, anchor_prefix: str) -> str:
    hashed = hashlib.sha256(digest(RENDERING).encode())
    hashed.update(f"\0{len(anchor_prefix)}:{anchor_prefix}\0".encode())
    hashed.update(text.encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()


def _to_json(rendered: Rendered) -> bytes:
    return json.dumps({"xhtml": rendered.xhtml, "problems": [list(p) for p in rendered.problems],
                       "links": list(rendered.links)}, ensure_ascii=False).encode("utf-8")


def _from_json(data: bytes) -> Rendered | None:
    """The entry in `data`, or None unless it has exactly the shape `_to_json` writes."""
    try:
        entry = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(entry, dict) or set(entry) != {"xhtml", "problems", "links"}:
        return None
    xhtml, problems, links = entry["xhtml"], entry["problems"], entry["links"]
    if not (isinstance(xhtml, str) and isinstance(problems, list) and isinstance(links, list)
            and all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in problems)
            and all(isinstance(link, str) for link in links)):
        return None
    return Rendered(xhtml, tuple((needle, message) for needle, message in problems), tuple(links))


class RenderCache:
    """See the module docstring."""

    def __init__(self, entries):
        self._entries = entries
        self.hits = 0
        self.misses = 0

    def get(self, text: str, anchor_prefix: str) -> Rendered | None:
        rendered = self._entries.read(_key(text, anchor_prefix), _from_json)
        if rendered is None:
            self.misses += 1
        else:
            self.hits += 1
        return rendered

    def put(self, text: str, anchor_prefix: str, rendered: Rendered) -> None:
        self._entries.write(_key(text, anchor_prefix), _to_json(rendered))
