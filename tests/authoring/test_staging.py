"""`rpt-course build` writes the OLX into a staging folder inside the output folder instead of
holding it in memory: the files are the same as the in-memory build's, the archive is the same, and
the staging folder is gone afterwards, after success, author mistakes and unexpected errors alike."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys

import pytest

from rpt_course import build as build_module
from rpt_course.build import build_files
from rpt_course.cli import main
from rpt_course.archive.staging import STAGING_PREFIX, StagedFiles, StagedTexts, staging_folder


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_staged_files_keep_names_in_memory_and_bytes_on_disk(tmp_path):
    files = StagedFiles(tmp_path)
    files["course/x.xml"] = b"<x/>"
    files["../outside"] = b"1"  # names are never used as file names
    files["course/X.xml"] = b"<X/>"
    files["course/x.xml"] = b"<y/>"
    assert dict(files) == {"course/x.xml": b"<y/>", "../outside": b"1", "course/X.xml": b"<X/>"}
    assert [p.name for p in tmp_path.iterdir()] == ["spool.bin"]
    del files["../outside"]
    files["new"] = b"2"
    assert len(files) == 3 and "../outside" not in files and files["course/X.xml"] == b"<X/>"
    with pytest.raises(KeyError):
        files["missing"]
    (tmp_path / "t").mkdir()
    texts = StagedTexts(tmp_path / "t")
    texts["lesson"] = "Ångström <p>"
    assert texts["lesson"] == "Ångström <p>"


def test_staged_build_gives_the_same_files_as_the_in_memory_build(good_course, tmp_path):
    _course, in_memory = build_files(good_course)
    with staging_folder(tmp_path / "out") as staging:
        _course, staged = build_files(good_course, staging=staging)
        assert isinstance(staged, StagedFiles) and dict(staged) == in_memory
    assert not (tmp_path / "out").exists(), "a folder created for staging is removed when empty"


def test_no_staging_folder_is_left_after_success_mistakes_or_errors(good_course, tmp_path, monkeypatch, capsys):
    out = tmp_path / "dist"
    assert main(["build", str(good_course), "-o", str(out)]) == 0
    (archive,) = out.glob("*.tar.gz")
    before = _digest(archive)
    assert [p.name for p in out.iterdir()] == [archive.name]

    lesson = good_course / "intro" / "lessons" / "welcome.md"
    lesson.write_text(lesson.read_text("utf-8") + "\n<iframe></iframe>\n", "utf-8")
    assert main(["build", str(good_course), "-o", str(out)]) == 1
    assert [p.name for p in out.iterdir()] == [archive.name] and _digest(archive) == before

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(build_module, "olx_files", broken)
    lesson.write_text("Fixed.\n", "utf-8")
    with pytest.raises(RuntimeError):
        main(["build", str(good_course), "-o", str(out)])
    assert [p.name for p in out.iterdir()] == [archive.name] and _digest(archive) == before
    assert not any(p.name.startswith(STAGING_PREFIX) for p in out.iterdir())


def test_an_output_folder_that_cannot_be_made_is_reported(good_course, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["build", str(good_course), "-o", str(blocker / "dist")]) == 1
    err = capsys.readouterr().err
    assert "cannot write the archive" in err and " — " in err and "Traceback" not in err


@pytest.fixture(scope="module")
def slow_course(tmp_path_factory):
    """A course whose build renders for a few seconds (1,200 lessons)."""
    from benchmarks.generate_course import generate_course

    content = tmp_path_factory.mktemp("slow") / "content"
    generate_course(content, 1_200)
    return content


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_build_stopped_by_a_signal_leaves_no_staging_folder(slow_course, tmp_path, signum, jobs):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "older.tar.gz").write_bytes(b"an earlier archive")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RPT_BUILD_CACHE_DIR": str(tmp_path / "cache")}
    build = subprocess.Popen([sys.executable, "-m", "rpt_course.cli", "build", str(slow_course), "-o", str(out),
                              "--jobs", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first = build.stderr.readline()  # progress goes to stderr, flushed line by line
        assert first.startswith("  rendering lessons:"), first + build.stderr.read()
        assert list(out.glob(f"{STAGING_PREFIX}*")), "the build is under way, in its staging folder"
        build.send_signal(signum)
        _, rest = build.communicate(timeout=60)
        err = first + rest
    finally:
        build.kill()
    assert build.returncode == 128 + signum, err
    assert f"the build was stopped ({signal.Signals(signum).name}); nothing was written" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["older.tar.gz"], "no staging folder, no partial archive"
    assert (out / "older.tar.gz").read_bytes() == b"an earlier archive"


def test_signal_handlers_are_put_back_after_the_staging_folder(tmp_path):
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    with staging_folder(tmp_path):
        assert signal.getsignal(signal.SIGTERM) not in before[:1]
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
