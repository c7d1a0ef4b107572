"""The folder where builds keep what they computed, so that a rebuild recomputes only what changed.

Contract:
- `BuildCache(folder)` keeps one JSON file per entry in `folder`, named by a key (a sha256 hex
  digest that the entry's kind computes over its own fingerprint and inputs). Two kinds share it:
  `rendered` (render_cache.RenderCache: Markdown rendered to XHTML) and `checked`
  (check_cache.CheckCache: inputs a check found clean). Entries are JSON, never pickle.
- `read(key, parse)` returns `parse(bytes of the entry)`, or None when there is no entry, it cannot
  be read, or `parse` returns None (a damaged or foreign entry: the caller computes again; a bad
  entry is never an error). `write(key, data)` writes an entry atomically (temporary file in the
  folder + rename); a folder that cannot be written only means no caching.
- `prune()` deletes every entry that this object neither read successfully nor wrote (and stray
  temporary files), so the folder holds what the last build used: about the size of the course.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from rpt_course.caches.check_cache import CheckCache
from rpt_course.caches.render_cache import RenderCache

ENTRY_SUFFIX = ".json"
_TEMPORARY_PREFIX = ".partial-"
T = TypeVar("T")


class BuildCache:
    """See the module docstring."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._used: set[str] = set()
        self._writable = True
        self.rendered = RenderCache(self)
        self.checked = CheckCache(self)

    def _path(self, key: str) -> Path:
        return self.folder / (key + ENTRY_SUFFIX)

    def read(self, key: str, parse: Callable[[bytes], T | None]) -> T | None:
        try:
            value = parse(self._path(key).read_bytes())
        except OSError:
            return None
        if value is not None:
            self._used.add(key)
        return value

    def write(self, key: str, data: bytes) -> None:
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
                stream.write(data)
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
