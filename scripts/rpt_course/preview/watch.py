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
  the build cache (only what changed is rendered and checked again), then `live.publish_course`;
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


def rebuild_and_publish(content_dir: Path, cache_dir: Path | None, report=sys.stderr) -> float:
    from rpt_course.build import build_files
    from rpt_course.caches.build_cache import BuildCache
    from rpt_course.preview import live

    started = time.perf_counter()
    try:
        _course, files = build_files(Path(content_dir), cache=BuildCache(cache_dir) if cache_dir else None)
        live.publish_course(files)
    except ProblemsFound as found:
        live.publish_problems(found.problems)
        for problem in found.problems:
            print(problem, file=report)
        print(f"preview: {len(found.problems)} problem(s); the pages show them until the next good save", file=report)
    else:
        print(f"preview: rebuilt in {time.perf_counter() - started:.2f} s", file=report)
    return time.perf_counter() - started
