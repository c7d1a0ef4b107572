"""`rpt-course build`: the archive's layout and determinism, overrides, summary and atomic writes."""
from __future__ import annotations

import hashlib
import io
import os
import tarfile

import olxcleaner

from rpt_course.archive import write as archive_module
from rpt_course.cli import main
from rpt_xblocks import OLX_TAGS


def _build(content, out, *extra):
    assert main(["build", str(content), "-o", str(out), *extra]) == 0
    (archive,) = out.glob("*.tar.gz")
    return archive


def _members(archive):
    with tarfile.open(archive, "r:gz") as tar:
        return tar.getmembers(), {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def test_two_builds_are_byte_identical(good_course, tmp_path):
    first = _build(good_course, tmp_path / "a").read_bytes()
    os.utime(good_course / "course.yaml", (1, 1))  # file times must not leak into the archive
    second = _build(good_course, tmp_path / "b").read_bytes()
    assert first == second


def test_archive_has_one_top_folder_and_normalised_members(good_course, tmp_path):
    archive = _build(good_course, tmp_path / "dist")
    assert archive.name == "TestOrg-T100-2027_T1.tar.gz"
    raw = archive.read_bytes()
    assert raw[4:8] == b"\0\0\0\0", "gzip header carries no timestamp"
    members, _ = _members(archive)
    names = [m.name for m in members]
    assert names == sorted(names)
    assert {n.split("/")[0] for n in names} == {"course"}
    for member in members:
        assert member.isfile() or member.isdir()
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (0, 0, 0, "", "")
        assert member.mode == (0o644 if member.isfile() else 0o755)


def test_archive_holds_the_olx_layout(good_course, tmp_path):
    _, files = _members(_build(good_course, tmp_path / "dist"))
    assert files["course/course.xml"].decode().strip() == '<course url_name="2027_T1" org="TestOrg" course="T100"/>'
    for name in ["course/course/2027_T1.xml", "course/chapter/intro.xml", "course/sequential/intro_check.xml",
                 "course/vertical/decay.xml", "course/html/decay_text.xml", "course/html/decay_text.html",
                 "course/policies/2027_T1/policy.json", "course/policies/2027_T1/grading_policy.json",
                 "course/policies/assets.json", "course/about/overview.html", "course/about/short_description.html",
                 "course/info/handouts.html", "course/info/updates.html", "course/static/figure.svg"]:
        assert name in files, name
    assert b'graded="true" format="Knowledge check"' in files["course/sequential/intro_check.xml"]
    assert b'<html url_name="decay_text"/>' in files["course/vertical/decay.xml"]
    assert b'due="2027-03-01T23:59:00Z"' in files["course/sequential/intro_check.xml"]


def test_archive_passes_olxcleaner_at_step_8_with_nothing_reported(good_course, tmp_path):
    archive = _build(good_course, tmp_path / "dist")
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(tmp_path / "x", filter="data")
    _course, errors, _ = olxcleaner.validate(str(tmp_path / "x" / "course"), steps=8, allowed_xblocks=list(OLX_TAGS))
    assert [(e.level, e.name, e.description) for e in errors.errors] == []


def test_validate_accepts_the_built_archive(good_course, tmp_path, capsys):
    archive = _build(good_course, tmp_path / "dist")
    assert main(["validate", str(archive)]) == 0
    assert "valid" in capsys.readouterr().out


def test_new_term_overrides_run_and_dates_but_not_url_names(good_course, tmp_path):
    base = _build(good_course, tmp_path / "a")
    term = _build(good_course, tmp_path / "b", "--run", "2027_T2", "--start", "2027-01-01", "--end", "2028-06-30")
    assert term.name == "TestOrg-T100-2027_T2.tar.gz"
    _, old = _members(base)
    _, new = _members(term)
    assert b'url_name="2027_T2"' in new["course/course.xml"]
    assert b'start="2027-01-01T00:00:00Z" end="2028-06-30T00:00:00Z"' in new["course/course/2027_T2.xml"]
    assert "course/policies/2027_T2/policy.json" in new
    blocks = lambda files: sorted(n for n in files if n.split("/")[1] in {"chapter", "sequential", "vertical", "html"})
    assert blocks(old) == blocks(new)


def test_retitled_and_reordered_units_keep_their_url_names(good_course, tmp_path):
    _, before = _members(_build(good_course, tmp_path / "a"))
    module = good_course / "intro" / "module.yaml"
    text = module.read_text()
    welcome = text[text.index("      - id: welcome"):text.index("      - id: decay\n")]
    decay = text[text.index("      - id: decay\n"):text.index("  - id: intro_check")]
    text = text.replace(welcome + decay, decay + welcome).replace("title: Welcome", "title: Start here")
    module.write_text(text)
    _, after = _members(_build(good_course, tmp_path / "b"))
    assert set(before) == set(after)
    assert after["course/vertical/welcome.xml"].startswith(b'<vertical display_name="Start here">')
    seq = after["course/sequential/intro_basics.xml"].decode()
    assert seq.index('url_name="decay"') < seq.index('url_name="welcome"')


def test_summary_names_counts_size_and_hash(good_course, tmp_path, capsys):
    archive = _build(good_course, tmp_path / "dist")
    out = capsys.readouterr().out
    assert "1 module, 3 sections, 4 units, 9 components" in out  # 8 and the learning objectives
    assert f"{archive.stat().st_size:,} bytes" in out
    assert hashlib.sha256(archive.read_bytes()).hexdigest() in out


def test_long_builds_show_progress(good_course, tmp_path, capsys):
    module = good_course / "intro" / "module.yaml"
    units = "".join(f"      - id: extra{i}\n        title: Extra {i}\n        components:\n"
                    f"          - id: extra{i}_text\n            kind: lesson\n            file: lessons/check.md\n"
                    for i in range(120))
    module.write_text(module.read_text().replace("objectives:\n", units + "objectives:\n", 1))
    _build(good_course, tmp_path / "dist")
    err = capsys.readouterr().err
    assert "rendering lessons: 124/124" in err
    assert err.count("rendering lessons:") >= 10


def test_short_builds_are_quiet(good_course, tmp_path, capsys):
    _build(good_course, tmp_path / "dist")
    assert capsys.readouterr().err == ""


def test_a_failed_write_keeps_the_earlier_archive_and_leaves_no_partial_file(good_course, tmp_path, capsys, monkeypatch):
    archive = _build(good_course, tmp_path / "dist")
    before = archive.read_bytes()
    (good_course / "info" / "updates.md").write_text("Changed.")

    def disk_full(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(archive_module.os, "fsync", disk_full)
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist")]) == 1
    assert "cannot write the archive (No space left on device)" in capsys.readouterr().err
    assert archive.read_bytes() == before
    assert [p.name for p in (tmp_path / "dist").iterdir()] == [archive.name]


def test_pack_is_deterministic_for_any_insertion_order():
    files = {"course/b.xml": b"<b/>", "course/a/x.xml": b"<x/>", "course/course.xml": b"<course/>"}
    one, two = io.BytesIO(), io.BytesIO()
    archive_module.pack(files, one)
    archive_module.pack(dict(reversed(list(files.items()))), two)
    assert one.getvalue() == two.getvalue()


def test_the_bibliography_page_lists_the_sources_escaped(good_course, tmp_path):
    assert main(["build", str(good_course), "-o", str(tmp_path)]) == 0
    (archive,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        page = tar.extractfile("course/html/course_sources.html").read().decode()
        vertical = tar.extractfile("course/vertical/records_unit.xml").read().decode()
    assert '<html url_name="course_sources"/>' in vertical
    assert page.count("<li id=\"source-") == 8 and "Part 35 &lt;Medical Use&gt;" in page
    assert '<a href="https://www.ecfr.gov/current/title-10/chapter-I/part-20">' in page
