"""Files of a build kept in a folder instead of in memory, so that the build's memory does not grow
with the size of its output.

Contract: `StagedFiles(folder)` is a mutable mapping of names (archive paths, or any text) to bytes
whose values live in one spool file under `folder` (which must exist and which it treats as its
own); only the names and their places in the spool are held in memory. Setting a name writes its
bytes at once (replacing any earlier value); getting it reads them back. Names are never used as
file names, so they need not be valid or safe ones. `StagedTexts(folder)` is the same for `str` values (UTF-8).
Neither removes `folder`: its owner does (`staging_folder`).

`staging_folder(beside)` is a context manager giving a new, empty folder inside `beside` (created
if missing; removed again if it was created here and is empty at the end) that is deleted with
everything in it when the block ends, also on an error, and also when the process is sent SIGTERM
or SIGINT meanwhile: in the main thread, for as long as the block runs, either signal raises
`Interrupted` (a `BaseException`, like KeyboardInterrupt, so that every `finally` on the way runs;
its `code` is 128 + the signal number) instead of ending the process where it stands; a signal
whose handler is "ignore" stays ignored, and the earlier handlers are put back at the end.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import weakref
from collections.abc import Iterator, MutableMapping
from pathlib import Path

STAGING_PREFIX = ".rpt-course-staging-"
STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Interrupted(BaseException):
    """The process was sent SIGTERM or SIGINT while a staging folder was open."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.code = 128 + signum


class StagedFiles(MutableMapping):
    """See the module docstring."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        # One spool file, appended to: writing thousands of small files one by one cost more than the
        # rest of a warm rebuild on a slow disk.
        self._spool = open(self.folder / "spool.bin", "w+b", buffering=0)
        weakref.finalize(self, self._spool.close)
        self._places: dict[str, tuple[int, int]] = {}
        self._end = 0

    def __setitem__(self, name: str, data: bytes) -> None:
        data = bytes(data)
        written = 0
        while written < len(data):
            written += os.pwrite(self._spool.fileno(), data[written:], self._end + written)
        self._places[name] = (self._end, len(data))
        self._end += len(data)

    def __getitem__(self, name: str) -> bytes:
        offset, length = self._places[name]
        data = os.pread(self._spool.fileno(), length, offset)
        if len(data) != length:
            raise OSError(f"the staged copy of {name} is incomplete")
        return data

    def __delitem__(self, name: str) -> None:
        del self._places[name]  # its bytes stay in the spool until the folder is removed

    def __contains__(self, name: object) -> bool:
        return name in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)


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
        with _signals_interrupt():
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if created:
            with contextlib.suppress(OSError):
                beside.rmdir()  # only if empty: nothing else was written there


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM and SIGINT raise `Interrupted` while the block runs (main thread only: only it may set
    handlers, and only it runs them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, _frame):
        raise Interrupted(signum)

    previous = {}
    try:
        for signum in STOPPING_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                previous[signum] = signal.signal(signum, interrupt)
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
