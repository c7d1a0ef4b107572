"""Rendered Markdown kept in the build cache, so that a rebuild renders only what changed.

Contract:
- `Rendered` is what rendering one Markdown text gives: its XHTML, its markup problems as
  `(text to find in the source, message)` in document order, and the href/src values of the XHTML
  in document order. `render_text(text, anchor_prefix)` computes it (lessons.render_lesson); it
  is a pure function of its arguments and of the code and libraries in `RENDERING`, unless it runs
  past its time bound (time_bound.py): then it is stopped, and its result says so and is not stored.
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
from rpt_course.time_bound import ENVIRONMENT, TookTooLong, render_seconds, within

RENDERING = CodeFingerprint(entries=("rpt_course.caches.render_cache",),
                            libraries=("Markdown", "pymdown-extensions", "bleach", "tinycss2", "webencodings", "lxml"))


@dataclass(frozen=True)
class Rendered:
    xhtml: str
    problems: tuple[tuple[str, str], ...]
    links: tuple[str, ...]
    timed_out: bool = False  # rendering was stopped at its time bound: a result of this machine's load, never cached


def render_text(text: str, anchor_prefix: str) -> Rendered:
    """Render one Markdown text (see the module docstring); what a cache miss costs. Rendering that
    runs past `time_bound.render_seconds()` is stopped: the result is empty XHTML with one problem
    (found at no line: the whole file) that says so, and `timed_out`."""
    seconds = render_seconds()
    try:
        with within(seconds):
            xhtml, problems, links = lessons.render_lesson(text, anchor_prefix)
    except TookTooLong:
        lessons.forget_converters()  # stopped mid-text: this thread's converter may hold its state
        return Rendered("", (("", took_too_long(seconds)),), (), timed_out=True)
    return Rendered(xhtml, tuple((needle, message) for needle, message in problems), tuple(links))


def took_too_long(seconds: float) -> str:
    return (f"rendering took longer than {seconds:g} s; the build stopped rendering this text — look for a long run "
            "of markup (entities such as &amp;, or * _ ` $) and remove it, or split the text into several files "
            f"(the bound is {seconds:g} s per text; the environment variable {ENVIRONMENT} changes it)")


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
        """Store `rendered` (not one that was stopped at its time bound: another build may finish it)."""
        if not rendered.timed_out:
            self._entries.write(_key(text, anchor_prefix), _to_json(rendered))
