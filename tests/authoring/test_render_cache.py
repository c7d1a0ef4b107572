"""The build cache's rendered Markdown (`rpt-course build` keeps it between builds, with the clean
verdicts of check_cache) and rendering in worker processes: the archive is byte-identical with a
cold cache, a warm one (rendered texts and clean checks reused), without one and with several
processes; a rebuild takes unchanged texts from the cache and renders only what changed; author
mistakes in cached lessons are still reported; unused entries are pruned; a bad entry (rendered
text or verdict, damaged or of another kind) is computed again. No timing is asserted: hits and misses are counted, entries are files."""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from rpt_course import build as build_module, render_pool
from rpt_course.caches import render_cache
from rpt_course.build import build_files
from rpt_course.cli import CACHE_ENV, main
from rpt_xblocks.author_input.problems import ProblemsFound
from rpt_course.caches.build_cache import BuildCache
from rpt_course.caches.render_cache import render_text

WELCOME = "intro/lessons/welcome.md"


def _build(content, out, *extra):
    assert main(["build", str(content), "-o", str(out), *extra]) == 0
    (archive,) = out.glob("*.tar.gz")
    return hashlib.sha256(archive.read_bytes()).hexdigest()


def _entries(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_archive_is_byte_identical_without_cache_cold_and_warm(good_course, tmp_path):
    cache = tmp_path / "cache"
    uncached = _build(good_course, tmp_path / "a", "--no-cache")
    assert not cache.exists()
    cold = _build(good_course, tmp_path / "b", "--cache-dir", str(cache))
    filled = _entries(cache)
    assert filled and all(name.endswith(".json") for name in filled)
    assert any((cache / name).read_bytes() == b'{"clean": "scenario"}' for name in filled), "checks are kept too"
    warm = _build(good_course, tmp_path / "c", "--cache-dir", str(cache))
    assert uncached == cold == warm
    assert _entries(cache) == filled


def test_a_rebuild_renders_only_the_edited_lesson(good_course, tmp_path):
    folder = tmp_path / "cache"
    cold = BuildCache(folder)
    _course, first = build_files(good_course, cache=cold)
    texts, entries = cold.rendered.misses, len(_entries(folder))
    assert texts and cold.rendered.hits == 0

    warm = BuildCache(folder)
    _course, second = build_files(good_course, cache=warm)
    assert (warm.rendered.hits, warm.rendered.misses) == (texts, 0) and second == first

    lesson = good_course / WELCOME
    lesson.write_text(lesson.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    edited = BuildCache(folder)
    _course, third = build_files(good_course, cache=edited)
    assert (edited.rendered.hits, edited.rendered.misses) == (texts - 1, 1)
    assert b"One more sentence." in third["course/html/welcome_text.html"]
    assert len(_entries(folder)) == entries, "the entry of the old text is pruned"
    assert build_files(good_course, cache=None)[1] == third


def test_a_mistake_in_a_cached_lesson_is_reported_on_every_build(good_course, tmp_path, capsys):
    lesson = good_course / WELCOME
    lesson.write_text(lesson.read_text("utf-8") + "\n<iframe src=\"https://example.org\"></iframe>\n", "utf-8")
    cache = tmp_path / "cache"
    reports = []
    for _attempt in range(2):
        assert main(["build", str(good_course), "-o", str(tmp_path / "dist"), "--cache-dir", str(cache)]) == 1
        reports.append(capsys.readouterr().err)
    assert reports[0] == reports[1]
    assert f"{WELCOME}:8: the tag <iframe> is not allowed in lessons" in reports[1]
    assert "Traceback" not in reports[1] and not (tmp_path / "dist").exists()

    warm = BuildCache(cache)
    with pytest.raises(ProblemsFound):
        build_files(good_course, cache=warm)
    assert warm.rendered.misses == 0, "the second report came from the cache"


def test_links_of_a_cached_lesson_are_checked_against_this_build(good_course, tmp_path, capsys):
    cache = tmp_path / "cache"
    _build(good_course, tmp_path / "dist", "--cache-dir", str(cache))
    (good_course / "static" / "figure.svg").unlink()
    capsys.readouterr()
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist"), "--cache-dir", str(cache)]) == 1
    assert f"{WELCOME}:6: the link /static/figure.svg has no file static/figure.svg" in capsys.readouterr().err


@pytest.mark.parametrize("damage", [b"", b"not json", b"[1, 2]", b'{"xhtml": 1, "problems": [], "links": []}',
                                    b'{"xhtml": "<p>forged</p>", "problems": []}', b"\xff\xfe",
                                    b'{"clean": "another check"}', b'{"clean": "schema", "x": 1}', b'{"clean": true}'])
def test_a_bad_entry_is_computed_again(good_course, tmp_path, damage):
    """Every entry, rendered text or clean verdict, replaced by something damaged or of another kind."""
    folder = tmp_path / "cache"
    _course, first = build_files(good_course, cache=BuildCache(folder))
    for entry in folder.iterdir():
        entry.write_bytes(damage)
    again = BuildCache(folder)
    _course, second = build_files(good_course, cache=again)
    assert second == first and again.rendered.hits == 0 and again.checked.hits == 0
    restored = BuildCache(folder)
    build_files(good_course, cache=restored)
    assert restored.rendered.misses == 0 and restored.checked.misses == 0, "the bad entries were replaced"


def test_an_entry_that_cannot_be_read_is_rendered_again(good_course, tmp_path):
    folder = tmp_path / "cache"
    _course, first = build_files(good_course, cache=BuildCache(folder))
    for entry in folder.iterdir():
        entry.unlink()
        entry.mkdir()  # reading a folder fails with an OSError
    again = BuildCache(folder)
    assert build_files(good_course, cache=again)[1] == first and again.rendered.hits == again.checked.hits == 0


def test_a_cache_folder_that_cannot_be_made_means_no_cache(good_course, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert _build(good_course, tmp_path / "a", "--cache-dir", str(blocked / "cache")) == \
        _build(good_course, tmp_path / "b", "--no-cache")


def test_another_renderer_does_not_reuse_entries(good_course, tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    build_files(good_course, cache=BuildCache(folder))
    before = _entries(folder)
    monkeypatch.setattr(render_cache, "RENDERING", replace(render_cache.RENDERING, libraries=("another renderer",)))
    other = BuildCache(folder)
    build_files(good_course, cache=other)
    assert other.rendered.hits == 0 and other.checked.misses == 0
    assert len(_entries(folder)) == len(before) and len(set(before) - set(_entries(folder))) == other.rendered.misses


def test_the_default_cache_is_var_build_cache_beside_the_content(good_course, tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    _build(good_course, tmp_path / "dist")
    assert _entries(good_course.parent / "var" / "build-cache")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "elsewhere"))
    _build(good_course, tmp_path / "dist")
    assert _entries(tmp_path / "elsewhere")


def test_entries_are_json(tmp_path):
    cache = BuildCache(tmp_path).rendered
    rendered = render_text("Hello [x](/static/x.png) <script>1</script>", "p")
    cache.put("text", "p", rendered)
    (entry,) = tmp_path.iterdir()
    assert json.loads(entry.read_text("utf-8"))["links"] == ["/static/x.png"]
    assert BuildCache(tmp_path).rendered.get("text", "p") == rendered
    assert BuildCache(tmp_path).rendered.get("text", "q") is None


def test_worker_processes_give_the_same_files_and_problems(good_course, tmp_path, monkeypatch):
    monkeypatch.setattr(render_pool, "MIN_JOBS_PER_WORKER", 1)
    used = []
    real = render_pool.ProcessPoolExecutor
    monkeypatch.setattr(render_pool, "ProcessPoolExecutor", lambda **kw: used.append(kw) or real(**kw))
    assert build_files(good_course, workers=2)[1] == build_files(good_course, workers=1)[1]
    assert used, "the lessons were rendered in worker processes"

    lesson = good_course / WELCOME
    lesson.write_text(lesson.read_text("utf-8") + "\n<iframe></iframe>\n[x](/jump_to_id/nowhere)\n", "utf-8")
    reported = []
    for workers in (1, 2):
        with pytest.raises(ProblemsFound) as found:
            build_files(good_course, workers=workers)
        reported.append([str(problem) for problem in found.value.problems])
    assert reported[0] == reported[1] and len(reported[0]) == 2
