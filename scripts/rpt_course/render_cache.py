"""Rendered Markdown kept on disk between builds, so that a rebuild renders only what changed.

Contract:
- `Rendered` is what rendering one Markdown text gives: its XHTML, its markup problems as
  `(text to find in the source, message)` in document order, and the href/src values of the XHTML
  in document order. `render_text(text, anchor_prefix)` computes it (lessons.render_lesson); it
  is a pure function of its arguments and of the code and libraries in the fingerprint.
- `RenderCache(folder)` keeps one JSON file per rendered text in `folder`, named by the sha256 of
  (renderer fingerprint, anchor prefix, text). `get(text, anchor_prefix)` returns the stored
  `Rendered` or None when there is none or it cannot be read or is not a valid entry (the caller
  then renders again; a bad entry is never an error). `put(...)` writes an entry atomically
  (temporary file in the folder + rename); a folder that cannot be written only means no caching.
  Entries are JSON, never pickle. `prune()` deletes every entry that this cache object neither
  read nor wrote (and stray temporary files), so the folder holds what the last build used: about
  the size of the course. `hits` and `misses` count `get` results.
- Entries are keyed by `render_fingerprint.fingerprint()`, which changes when the rendering code
  (every project module this one imports, directly or not, this one included) or the version of a
  library that shapes the output changes, so an entry is never reused across such a change; old
  entries are pruned by the next build.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rpt_course import lessons
from rpt_course.render_fingerprint import fingerprint

ENTRY_SUFFIX = ".json"
_TEMPORARY_PREFIX = ".partial-"


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
    digest = hashlib.sha256(fingerprint().encode())
    digest.update(f"\0{len(anchor_prefix)}:{anchor_prefix}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


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

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._writable = True

    def _path(self, key: str) -> Path:
        return self.folder / (key + ENTRY_SUFFIX)

    def get(self, text: str, anchor_prefix: str) -> Rendered | None:
        key = _key(text, anchor_prefix)
        try:
            rendered = _from_json(self._path(key).read_bytes())
        except OSError:
            rendered = None
        if rendered is None:
            self.misses += 1
        else:
            self.hits += 1
            self._used.add(key)
        return rendered

    def put(self, text: str, anchor_prefix: str, rendered: Rendered) -> None:
        key = _key(text, anchor_prefix)
        self._used.add(key)
        if not self._writable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY_PREFIX, suffix=ENTRY_SUFFIX, dir=self.folder)
        except OSError:
            self._writable = False  # e.g. a read-only checkout: build without caching
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_to_json(rendered))
            os.replace(temporary, self._path(key))
        except OSError:
            Path(temporary).unlink(missing_ok=True)

    def prune(self) -> int:
        """Delete the entries this object did not use; returns how many were deleted."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return 0
        deleted = 0
        for name in names:
            stale = name.startswith(_TEMPORARY_PREFIX) or (
                name.endswith(ENTRY_SUFFIX) and name[:-len(ENTRY_SUFFIX)] not in self._used)
            if stale:
                try:
                    os.unlink(self.folder / name)
                    deleted += 1
                except OSError:
                    pass
        return deleted
