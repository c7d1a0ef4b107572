"""Watch a course_content folder and republish the preview when a file in it changes.

Contract:
- `snapshot(folder)` maps every file under `folder` (relative POSIX path) to `(mtime_ns, size)`;
  hidden files and folders (a leading `.`) and editor backups (`~` at the end) are left out: the
  build reads neither. A file that vanishes while being scanned is left out.
- `ContentWatcher(folder, rebuild, interval)` is a daemon thread that scans `folder` every
  `interval` seconds (a poll: no watcher library needed) and calls `rebuild()` once the folder
  changed and held still for one more scan's worth of time (an editor's save of several files counts
  once). A change during a rebuild leads to another rebuild. `rebuild` must not raise; what it
  raises is printed and the watcher goes on. `stop()` ends the thread.
- `rebuild_and_publish(content_dir, cache_dir)` is the preview's `rebuild`: build the content with
  the build cache (only what changed is rendered and checked again; its entries are also kept in
  this process's memory, `RememberingBuildCache`, so a rebuild reads none of them from disk again),
  then `live.publish_course`;
  on author mistakes `live.publish_problems` (the pages show them at path:line) and they are
  printed on stderr too. Returns the seconds the build and the swap took.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from rpt_course.caches.build_cache import BuildCache
from rpt_xblocks.author_input.problems import ProblemsFound

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    found: Snapshot = {}
    root = str(folder)

    def scan(path: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith(".") or entry.name.endswith("~"):
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    scan(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file(follow_symlinks=True):
                    stat = entry.stat(follow_symlinks=True)
                    found[prefix + entry.name] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue

    scan(root, "")
    return found


class ContentWatcher(threading.Thread):
    def __init__(self, folder: Path, rebuild: Callable[[], object], interval: float = 0.1):
        super().__init__(name="rpt-preview-watcher", daemon=True)
        self.folder = Path(folder)
        self.rebuild = rebuild
        self.interval = interval
        self._stopped = threading.Event()
        self._seen = snapshot(self.folder)

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            now = snapshot(self.folder)
            if now == self._seen:
                continue
            settled = snapshot(self.folder) if not self._stopped.wait(self.interval / 2) else now
            while settled != now and not self._stopped.is_set():  # still being written
                now = settled
                self._stopped.wait(self.interval / 2)
                settled = snapshot(self.folder)
            self._seen = settled
            try:
                self.rebuild()
            except Exception:  # noqa: BLE001  (the watcher must outlive any one failed rebuild)
                traceback.print_exc()


class RememberingBuildCache(BuildCache):
    """A `BuildCache` whose entries, once read or written, are also kept in `memory` (a dict shared by
    the rebuilds of one process): the same entries and the same pruning, without reading a file per
    entry on every rebuild. `forget_unused()` drops from memory what this build did not use."""

    def __init__(self, folder: Path, memory: dict[str, bytes]):
        super().__init__(folder)
        self.memory = memory
        self._used_here: set[str] = set()

    def read(self, key, parse):
        data = self.memory.get(key)
        if data is None:
            return super().read(key, lambda raw: self._remember(key, raw, parse))
        value = parse(data)
        if value is not None:
            self._used_here.add(key)
            self._mark_used(key)
        return value

    def _remember(self, key, raw: bytes, parse):
        value = parse(raw)
        if value is not None:
            self.memory[key] = raw
            self._used_here.add(key)
        return value

    def _mark_used(self, key: str) -> None:
        self._used.add(key)  # pylint: disable=protected-access  (what BuildCache.read records, for prune())

    def write(self, key, data: bytes) -> None:
        self.memory[key] = data
        self._used_here.add(key)
        super().write(key, data)

    def forget_unused(self) -> None:
        for key in [key for key in self.memory if key not in self._used_here]:
            del self.memory[key]


_remembered: dict[str, bytes] = {}


def rebuild_and_publish(content_dir: Path, cache_dir: Path | None, report=sys.stderr) -> float:
    from rpt_course.build import build_files
    from rpt_course.preview import live

    started = time.perf_counter()
    cache = RememberingBuildCache(cache_dir, _remembered) if cache_dir else None
    try:
        _course, files = build_files(Path(content_dir), cache=cache)
        if cache is not None:
            cache.forget_unused()
        built = time.perf_counter()
        live.publish_course(files)
    except ProblemsFound as found:
        live.publish_problems(found.problems)
        for problem in found.problems:
            print(problem, file=report)
        print(f"preview: {len(found.problems)} problem(s); the pages show them until the next good save", file=report)
    else:
        done = time.perf_counter()
        print(f"preview: rebuilt in {done - started:.2f} s (build {built - started:.2f} s, swap {done - built:.2f} s)",
              file=report, flush=True)
    return time.perf_counter() - started
