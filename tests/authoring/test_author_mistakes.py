"""Every author mistake is reported as `path:line: what — how`, all at once, exit 1, no
traceback, and the earlier archive stays as it was (cases in fixtures/author_mistakes.yaml)."""
from __future__ import annotations

import hashlib
import subprocess
import time
import sys

import pytest
import yaml

from pathlib import Path
from rpt_course.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CASES = yaml.safe_load((FIXTURES / "author_mistakes.yaml").read_text("utf-8"))


def _mutate(content, case):
    for name, (find, replace) in case.get("edits", {}).items():
        path = content / name.split("#")[0]  # "file#2" edits the same file a second time
        text = path.read_text("utf-8")
        assert find in text, f"fixture edit for {name} no longer matches"
        path.write_text(text.replace(find, replace, 1), "utf-8")
    for name, text in case.get("write", {}).items():
        (content / name).write_text(text, "utf-8")
    for name in case.get("delete", []):
        (content / name).unlink()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_is_reported_at_its_line_and_nothing_is_written(name, good_course, tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["build", str(good_course), "-o", str(out)]) == 0
    (archive,) = out.glob("*.tar.gz")
    before = _digest(archive)
    capsys.readouterr()

    _mutate(good_course, CASES[name])
    assert main(["build", str(good_course), "-o", str(out)]) == 1
    errors = capsys.readouterr().err.splitlines()
    for expected in CASES[name]["expect"]:
        location, text = expected.split(": ", 1)
        matching = [line for line in errors if line.startswith(location + ": ") and text in line]
        assert matching, f"expected {expected!r} in:\n" + "\n".join(errors)
    assert all(" — " in line for line in errors[:-1]), "every problem says how to fix it"
    assert "Traceback" not in "\n".join(errors)
    assert _digest(archive) == before
    assert sorted(p.name for p in out.iterdir()) == [archive.name], "no partial file left behind"


@pytest.mark.parametrize("name", ["malformed_yaml", "graded_format_without_grader"])
def test_validate_reports_the_same_mistakes(name, good_course, capsys):
    _mutate(good_course, CASES[name])
    assert main(["validate", str(good_course)]) == 1
    err = capsys.readouterr().err
    for expected in CASES[name]["expect"]:
        location, text = expected.split(": ", 1)
        assert f"{location}: " in err and text in err


def test_a_real_process_exits_1_without_traceback(good_course, tmp_path):
    _mutate(good_course, CASES["many_mistakes_at_once"])
    result = subprocess.run([sys.executable, "-m", "rpt_course.cli", "build", str(good_course), "-o", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "3 problems found; nothing was written." in result.stderr
    assert not list(tmp_path.glob("*.tar.gz"))


def test_not_a_content_folder(tmp_path, capsys):
    assert main(["build", str(tmp_path)]) == 1
    assert "no course.yaml here — point the command at the course_content folder" in capsys.readouterr().err


def test_non_utf8_yaml(good_course, capsys):
    (good_course / "intro" / "module.yaml").write_bytes(b"id: intro\ntitle: Caf\xe9\n")
    assert main(["build", str(good_course)]) == 1
    assert "intro/module.yaml:2: this file is not UTF-8 text: byte 0xe9 at column 11 is not UTF-8" in capsys.readouterr().err


def _build_fails_with(good_course, tmp_path, capsys, expected):
    out = tmp_path / "dist"
    assert main(["build", str(good_course), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not out.exists() or not list(out.iterdir()), "nothing is written"
    return err


def test_non_utf8_lesson_is_reported_at_the_line_and_column_of_the_first_bad_byte(good_course, tmp_path, capsys):
    lesson = good_course / "intro" / "lessons" / "decay.md"
    lesson.write_bytes(lesson.read_bytes().replace(b"## Decay", "## Décay\n\nA café (Latin-1): Caf\xe9".encode("utf-8")[:-2] + b"\xe9", 1))
    _build_fails_with(good_course, tmp_path, capsys, "intro/lessons/decay.md:3: this file is not UTF-8 text: byte 0xe9 at "
                      "column 22 is not UTF-8 (the file was perhaps saved as Latin-1 or Windows-1252) — save it with UTF-8 encoding")


def test_a_byte_order_mark_is_dropped_from_yaml_and_markdown(good_course, tmp_path):
    assert main(["build", str(good_course), "-o", str(tmp_path / "plain")]) == 0
    for name in ("intro/lessons/welcome.md", "intro/module.yaml", "intro/quizzes/check.yaml", "about/overview.md"):
        path = good_course / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["build", str(good_course), "-o", str(tmp_path / "bom")]) == 0
    (plain,) = (tmp_path / "plain").glob("*.tar.gz")
    (bom,) = (tmp_path / "bom").glob("*.tar.gz")
    assert _digest(bom) == _digest(plain), "the same archive as without the marks"


def test_an_oversized_file_is_refused_at_line_1_before_it_is_read(good_course, tmp_path, capsys):
    (good_course / "intro" / "lessons" / "decay.md").write_text("## Decay\n\n" + "Words and more words. " * 1_000_000, "utf-8")
    (good_course / "intro" / "quizzes" / "check.yaml").write_text("# padding\n" * 2_100_000, "utf-8")
    err = _build_fails_with(good_course, tmp_path, capsys, "intro/lessons/decay.md:1: this file is 22,000,010 bytes, "
                            "more than the 2,000,000 a course file may have — split it into several files")
    assert "intro/quizzes/check.yaml:1: this file is 21,000,000 bytes, more than the 2,000,000" in err


@pytest.mark.parametrize("run, expected", [
    ("[" * 15_000, "this paragraph has 15,000 [ (at most 100 are allowed"),
    ("<a " * 15_000, "this paragraph has 15,000 < (at most 200 are allowed"),
    ("<http://a" * 15_000, "this paragraph has 15,000 < (at most 200 are allowed"),
    ("\\(" * 15_000, "this paragraph has 15,000 \\ (at most 500 are allowed"),
], ids=["brackets", "tags", "autolinks", "escapes"])
def test_a_run_of_markup_characters_is_refused_before_rendering(run, expected, good_course, tmp_path, capsys):
    lesson = good_course / "intro" / "lessons" / "decay.md"
    lesson.write_text(lesson.read_text("utf-8").replace("## Decay", "## Decay\n\nA run: " + run, 1), "utf-8")
    started = time.monotonic()
    _build_fails_with(good_course, tmp_path, capsys, f"intro/lessons/decay.md:3: {expected}: rendering time grows with "
                      "the square of their number) — split the paragraph")
    assert time.monotonic() - started < 10


def test_many_bracketed_paragraphs_are_refused_before_rendering(good_course, tmp_path, capsys):
    lesson = good_course / "intro" / "lessons" / "decay.md"
    lesson.write_text(lesson.read_text("utf-8") + "\n\n" + "[a] [b] [c] [d] [e] [f] [g] [h]\n\n" * 400, "utf-8")
    started = time.monotonic()
    _build_fails_with(good_course, tmp_path, capsys, "this text has 3,203 [ (at most 1,000 are allowed in one lesson)")
    assert time.monotonic() - started < 10
