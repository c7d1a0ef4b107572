"""`rpt-course validate ARCHIVE` on archives from elsewhere: hostile ones are refused before
anything is written outside a temporary folder; well-formed ones get the checks olxcleaner lacks."""
from __future__ import annotations

import gzip
import io
import tarfile
import tempfile

import pytest

from rpt_course.cli import main


@pytest.fixture
def good_archive(good_course, tmp_path):
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 0
    (archive,) = (tmp_path / "dist").glob("*.tar.gz")
    return archive


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Temporary folders go to an empty folder the test can inspect; a file planted beside it
    stands for anything a traversal could overwrite."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    planted = tmp_path / "planted.txt"
    planted.write_text("original")
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    yield tmp_path
    assert planted.read_text() == "original"
    assert list(temporary.iterdir()) == [], "the temporary folder is removed"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def _members_of(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]


def _repack(path, members, extra=()):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in list(members) + list(extra):
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    path.write_bytes(gzip.compress(buffer.getvalue(), mtime=0))
    return path


def _entry(name, kind=tarfile.REGTYPE, data=b"", linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, (data if kind == tarfile.REGTYPE else None)


HOSTILE = {
    "traversal": (_entry("course/../../planted.txt", data=b"pwned"), "planted.txt"),
    "absolute": (_entry("/tmp/rpt-absolute.txt", data=b"pwned"), "absolute"),
    "symlink": (_entry("course/static/link", tarfile.SYMTYPE, linkname="../../planted.txt"), "link"),
    "hardlink": (_entry("course/static/hard", tarfile.LNKTYPE, linkname="course/course.xml"), "link"),
    "device": (_entry("course/static/dev", tarfile.CHRTYPE), "device"),
    "fifo": (_entry("course/static/fifo", tarfile.FIFOTYPE), "FIFO"),
    "second_top_folder": (_entry("other/file.txt", data=b"x"), "top folder"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_member_is_refused_without_writing_outside(name, good_archive, sandbox, capsys):
    member, reason = HOSTILE[name]
    hostile = _repack(sandbox / "dist" / "hostile.tar.gz", _members_of(good_archive), [member])
    assert main(["validate", str(hostile)]) == 1
    err = capsys.readouterr().err
    assert "hostile.tar.gz" in err and reason.lower() in err.lower()
    assert "Traceback" not in err
    hostile.unlink()


def test_decompression_bomb_is_refused(sandbox, capsys):
    # A gzip file may hold several members that decompress one after the other: one tar header,
    # then the same compressed MiB of zeros 600 times (past the 512 MiB limit), costs ~1 MiB.
    info = tarfile.TarInfo("course/static/zeros.bin")
    info.size = 600 * 2**20
    zeros = gzip.compress(bytes(2**20), compresslevel=9, mtime=0)
    bomb = sandbox / "bomb.tar.gz"
    bomb.write_bytes(gzip.compress(info.tobuf(), mtime=0) + zeros * 600)
    assert bomb.stat().st_size < 2 * 2**20
    assert main(["validate", str(bomb)]) == 1
    assert "possible decompression bomb" in capsys.readouterr().err
    bomb.unlink()


def _with_replaced(archive, path, name, data):
    members = [(m, data if m.name == name else d) for m, d in _members_of(archive)]
    for member, content in members:
        if member.name == name:
            member.size = len(content)
    return _repack(path, members)


def test_entities_and_dtds_are_refused_before_olxcleaner_parses(good_archive, sandbox, capsys):
    xxe = b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><chapter display_name="&x;"/>'
    hostile = _with_replaced(good_archive, sandbox / "xxe.tar.gz", "course/chapter/intro.xml", xxe)
    assert main(["validate", str(hostile)]) == 1
    err = capsys.readouterr().err
    assert "xxe.tar.gz/course/chapter/intro.xml:1: a DOCTYPE or entity declaration is not allowed" in err
    assert "root:" not in err, "the external entity was never resolved"
    assert "olxcleaner" not in err
    hostile.unlink()


def test_checks_olxcleaner_lacks_are_made_on_archives(good_archive, sandbox, capsys):
    members = _members_of(good_archive)
    changed = []
    for member, data in members:
        if member.name == "course/sequential/intro_check.xml":
            data = data.replace(b"Knowledge check", b"Homework")
        if member.name == "course/html/welcome_text.html":
            data = data.replace(b"/static/figure.svg", b"/static/missing.svg")
        if member.isfile():
            member.size = len(data)
        changed.append((member, data))
    archive = _repack(sandbox / "edited.tar.gz", changed)
    assert main(["validate", str(archive)]) == 1
    err = capsys.readouterr().err
    assert "edited.tar.gz/course/sequential/intro_check.xml:1: graded with format 'Homework', which is no GRADER type" in err
    assert "edited.tar.gz/course/html/welcome_text.html: the link /static/missing.svg has no file in static/" in err
    archive.unlink()


def test_not_an_archive(sandbox, capsys):
    bogus = sandbox / "notes.tar.gz"
    bogus.write_text("not gzip")
    assert main(["validate", str(bogus)]) == 1
    assert "notes.tar.gz" in capsys.readouterr().err
    bogus.unlink()


def test_a_quiz_that_teaches_a_missing_unit_is_reported(good_archive, sandbox, capsys):
    members = []
    for member, data in _members_of(good_archive):
        if member.name == "course/vertical/check_unit.xml":
            data = data.replace(b'teaches="decay"', b'teaches="no_such_unit"')
            member.size = len(data)
        members.append((member, data))
    archive = _repack(sandbox / "quiz.tar.gz", members)
    assert main(["validate", str(archive)]) == 1
    assert "quiz.tar.gz/course/vertical/check_unit.xml: the link /jump_to_id/no_such_unit names no block" in capsys.readouterr().err
    archive.unlink()


@pytest.mark.parametrize("nesting", [b"[" * 200_000 + b"]" * 200_000, b'{"a":' * 200_000 + b"1" + b"}" * 200_000])
def test_deeply_nested_policy_json_is_a_problem_not_a_traceback(nesting, good_archive, sandbox, capsys):
    (name,) = [m.name for m, _ in _members_of(good_archive) if m.name.endswith("/policy.json")]
    archive = _with_replaced(good_archive, sandbox / "deep.tar.gz", name, nesting)
    assert main(["validate", str(archive)]) == 1
    err = capsys.readouterr().err
    assert f"deep.tar.gz/{name}: arrays or objects nest deeper than 100 levels (found 200000) — " in err
    assert "Traceback" not in err and "RecursionError" not in err
    archive.unlink()


def test_brackets_inside_json_strings_are_not_nesting(good_archive, sandbox, capsys):
    (name,) = [m.name for m, _ in _members_of(good_archive) if m.name.endswith("/policy.json")]
    data = next(d for m, d in _members_of(good_archive) if m.name == name)
    archive = _with_replaced(good_archive, sandbox / "strings.tar.gz", name,
                             data.replace(b'"rpt_quiz"', b'"rpt_quiz", "' + b"[\\\"{" * 500 + b'"', 1))
    assert b"[\\\"{" in next(d for m, d in _members_of(archive) if m.name == name)
    main(["validate", str(archive)])
    assert "nest deeper" not in capsys.readouterr().err
    archive.unlink()
