"""`rpt-course build` writes the OLX into a staging folder inside the output folder instead of
holding it in memory: the files are the same as the in-memory build's, the archive is the same, and
the staging folder is gone afterwards, after success, author mistakes and unexpected errors alike."""
from __future__ import annotations

import hashlib

import pytest

from rpt_course import build as build_module
from rpt_course.build import build_files
from rpt_course.cli import main
from rpt_course.staging import STAGING_PREFIX, StagedFiles, StagedTexts, staging_folder


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
