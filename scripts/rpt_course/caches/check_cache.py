"""Clean verdicts of the author-input checks kept in the build cache, so that a rebuild does not check
again what was found clean before.

Contract:
- `CheckCache(entries)` (a `build_cache.BuildCache`'s `checked`) is the `CheckMemo` that the checks
  accept (rpt_xblocks.author_input.schema_check): `check(name, inputs, run)` returns `run()`'s
  problems, or `[]` without running it when the check `name` found the same `inputs` (strings) clean
  before, under the same `CHECKING` digest. Only clean verdicts are stored: inputs with problems are
  checked (and their problems reported) on every build. The key is the sha256 of (the digest of
  `CHECKING`, name, each input with its length); the entry is `{"clean": name}`, and anything else
  found under the key (damaged, foreign) counts as no entry. `hits` and `misses` count lookups.
- The caller passes as `inputs` everything the verdict depends on besides the code: the schema
  text and the data for a schema check, the scenario for a walkthrough's check.
- `CHECKING` (code_fingerprint) starts from the checks' modules and this one, so its digest
  changes when the checking code (any project module they import, directly or not) or the version
  of a library that shapes a verdict changes.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable

from rpt_course.caches.code_fingerprint import CodeFingerprint, digest

CHECKING = CodeFingerprint(
    entries=("rpt_course.caches.check_cache", "rpt_xblocks.author_input.schema_check", "rpt_xblocks.dosimetry.scenario"),
    libraries=("jsonschema", "jsonschema-specifications", "referencing", "rpds-py", "attrs", "PyYAML",
               "idna", "Pint", "flexcache", "flexparser", "platformdirs", "typing_extensions", "numpy", "scipy",
               "simpleeval", "lxml"))


def _key(name: str, inputs: tuple[str, ...]) -> str:
    hashed = hashlib.sha256(digest(CHECKING).encode())
    for part in (name, *inputs):
        encoded = part.encode("utf-8", "surrogatepass")
        hashed.update(f"\0{len(encoded)}:".encode())
        hashed.update(encoded)
    return hashed.hexdigest()


def _clean_entry(name: str) -> Callable[[bytes], bool | None]:
    expected = json.dumps({"clean": name}).encode()
    return lambda data: True if data == expected else None


class CheckCache:
    """See the module docstring."""

    def __init__(self, entries):
        self._entries = entries
        self.hits = 0
        self.misses = 0

    def check(self, name: str, inputs: tuple[str, ...], run: Callable[[], list]) -> list:
        key = _key(name, inputs)
        if self._entries.read(key, _clean_entry(name)):
            self.hits += 1
            return []
        self.misses += 1
        found = run()
        if not found:
            self._entries.write(key, json.dumps({"clean": name}).encode())
        return found
