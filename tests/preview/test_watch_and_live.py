"""The live preview's parts without a server: the content snapshot, the watcher's debouncing, the
readers-writer lock around the course swap, and the generation the pages wait for."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from rpt_course.preview import live
from rpt_course.preview.watch import ContentWatcher, snapshot
from rpt_xblocks.author_input.problems import Problem


def test_snapshot_lists_files_with_mtime_and_size_but_not_hidden_files_or_backups(tmp_path):
    (tmp_path / "intro" / "lessons").mkdir(parents=True)
    (tmp_path / "intro" / "lessons" / "a.md").write_text("abc")
    (tmp_path / "intro" / "lessons" / "a.md~").write_text("old")
    (tmp_path / "intro" / ".a.md.swp").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("x")
    (tmp_path / "course.yaml").write_text("id: x\n")
    found = snapshot(tmp_path)
    assert sorted(found) == ["course.yaml", "intro/lessons/a.md"]
    assert found["intro/lessons/a.md"][1] == 3
    before = found["intro/lessons/a.md"]
    os.utime(tmp_path / "intro" / "lessons" / "a.md", ns=(before[0] + 10**9, before[0] + 10**9))
    assert snapshot(tmp_path)["intro/lessons/a.md"] != before


def test_the_watcher_rebuilds_once_per_save_and_survives_a_failing_rebuild(tmp_path):
    lesson = tmp_path / "a.md"
    lesson.write_text("one")
    calls = []

    def rebuild():
        calls.append(lesson.read_text())
        if len(calls) == 1:
            raise RuntimeError("a rebuild that fails must not stop the watcher")

    watcher = ContentWatcher(tmp_path, rebuild, interval=0.02)
    watcher.start()
    try:
        time.sleep(0.1)
        assert calls == []  # nothing changed yet
        for text in ("two", "three", "four"):  # one editor save that writes several times quickly
            lesson.write_text(text)
        deadline = time.monotonic() + 5
        while not calls and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        assert calls == ["four"]
        (tmp_path / "b.md").write_text("new file")
        deadline = time.monotonic() + 5
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(calls) == 2  # the watcher outlived the failed rebuild
    finally:
        watcher.stop()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


def test_a_writer_waits_for_readers_and_new_readers_wait_for_a_waiting_writer():
    lock = live.ReadersWriterLock()
    events = []
    reading = threading.Event()
    release_reader = threading.Event()

    def reader(name, hold=None):
        with lock.reading():
            events.append(f"{name} in")
            if hold:
                reading.set()
                hold.wait(5)
            events.append(f"{name} out")

    def writer():
        with lock.writing():
            events.append("writer in")
            events.append("writer out")

    first = threading.Thread(target=reader, args=("first", release_reader))
    first.start()
    assert reading.wait(5)
    write = threading.Thread(target=writer)
    write.start()
    time.sleep(0.05)
    late = threading.Thread(target=reader, args=("late",))
    late.start()
    time.sleep(0.05)
    assert events == ["first in"]  # the writer waits for the reader; the late reader waits for the writer
    release_reader.set()
    for thread in (first, write, late):
        thread.join(5)
    assert events == ["first in", "first out", "writer in", "writer out", "late in", "late out"]


def test_the_generation_changes_with_problems_and_wakes_whoever_waits():
    start = live.generation()
    woke = []
    waiter = threading.Thread(target=lambda: woke.append(live.wait_for_generation(start, timeout=5)))
    waiter.start()
    time.sleep(0.05)
    problem = Problem("intro/lessons/a.md", 3, "the image has no alt text — describe it")
    live.publish_problems([problem])
    waiter.join(5)
    assert woke == [live.generation()] and woke[0] != start
    assert list(live.problems()) == [problem]
    assert live.wait_for_generation(live.generation(), timeout=0.05) == live.generation()  # times out unchanged
    live.publish_problems([])
    assert live.problems() == ()
