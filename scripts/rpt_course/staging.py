"""Files of a build kept in a folder instead of in memory, so that the build's memory does not grow
with the size of its output.

Contract: `StagedFiles(folder)` is a mutable mapping of names (archive paths, or any text) to bytes
whose values live in files under `folder` (which must exist and which it treats as its own); only
the names are held in memory. Setting a name writes its bytes at once (replacing any earlier value);
getting it reads them back. A value's file is named by its position, never by the name, so names
need not be valid or safe file names. `StagedTexts(folder)` is the same for `str` values (UTF-8).
Neither removes `folder`: its owner does (`staging_folder`).

`staging_folder(beside)` is a context manager giving a new, empty folder inside `beside` (created
if missing; removed again if it was created here and is empty at the end) that is deleted with
everything in it when the block ends, also on an error.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, MutableMapping
from pathlib import Path

STAGING_PREFIX = ".rpt-course-staging-"


class StagedFiles(MutableMapping):
    """See the module docstring."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._slots: dict[str, int] = {}
        self._next_slot = 0

    def _path(self, slot: int) -> Path:
        return self.folder / f"{slot}.bin"

    def __setitem__(self, name: str, data: bytes) -> None:
        slot = self._slots.get(name)
        if slot is None:
            slot, self._next_slot = self._next_slot, self._next_slot + 1
        self._path(slot).write_bytes(data)
        self._slots[name] = slot

    def __getitem__(self, name: str) -> bytes:
        return self._path(self._slots[name]).read_bytes()

    def __delitem__(self, name: str) -> None:
        del self._slots[name]  # the slot's file stays until the folder is removed

    def __contains__(self, name: object) -> bool:
        return name in self._slots

    def __iter__(self) -> Iterator[str]:
        return iter(self._slots)

    def __len__(self) -> int:
        return len(self._slots)


class StagedTexts(StagedFiles):
    """`StagedFiles` for `str` values, stored as UTF-8."""

    def __setitem__(self, name: str, text: str) -> None:
        super().__setitem__(name, text.encode("utf-8"))

    def __getitem__(self, name: str) -> str:
        return super().__getitem__(name).decode("utf-8")


@contextlib.contextmanager
def staging_folder(beside: Path) -> Iterator[Path]:
    """See the module docstring."""
    beside = Path(beside)
    created = not beside.exists()
    beside.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=beside))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                beside.rmdir()  # only if empty: nothing else was written there
