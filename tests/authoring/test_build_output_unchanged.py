"""The build's output does not change when its speed does: the archive of course_content/ and of a
generated course, and the author problems (`file:line: what — how`) of generated courses with
mistakes planted in lessons and YAML, are exactly what the code before the speed-build2 changes
(commit e243773) gave, recorded in tests/fixtures/build_output.json.

Re-record only when a change is meant to alter the output (or course_content/ or the generator
changed), with the code whose output is known good on the PYTHONPATH:

    python tests/authoring/test_build_output_unchanged.py --record
"""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import sys
import tarfile
from pathlib import Path

import pytest

from benchmarks.generate_course import generate_course
from rpt_course.archive.write import pack
from rpt_course.build import build_files
from rpt_xblocks.author_input.problems import ProblemsFound
from rpt_course.caches.build_cache import BuildCache

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "fixtures" / "build_output.json"
GENERATED_UNITS = 120  # two modules: two quizzes and walkthroughs, one figure


def _append(relative: str, text: bytes):
    def plant(content: Path) -> None:
        path = content / relative
        path.write_bytes(path.read_bytes() + text)
    return plant


def _replace(relative: str, old: str, new: str):
    def plant(content: Path) -> None:
        path = content / relative
        text = path.read_text("utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    return plant


def _write(relative: str, data: bytes):
    def plant(content: Path) -> None:
        (content / relative).write_bytes(data)
    return plant


# Mistakes planted in the generated course, all at once: citations in lessons and in every kind of
# YAML (also in a file whose schema check fails), unreadable and unstorable lessons, markup problems.
MISTAKES = [
    _append("m001/lessons/u00003.md", b"\n[^x]: Unknown Author 1999; 10 CFR 35.75; 35.2075\n"),
    _replace("m001/quizzes/check.yaml", "citation: 10 CFR 20.1301\n", "citation: Nobody 2020\n"),
    _replace("m002/quizzes/check.yaml", "citation: 10 CFR 35.75\n", "citation: 10 CFR 35.75; Smith 2020\n"),
    _append("m002/quizzes/check.yaml", b"bogus_key: 1\n"),
    _replace("m001/walkthroughs/decay.yaml", "source: ICRP Publication 107", "source: Nobody's table"),
    _replace("m001/figures/lu177-decay.yaml", 'citation: "ICRP Publication 107"', 'citation: "Nowhere"'),
    _write("m001/lessons/u00004.md", b"\xff\xfe not UTF-8\n[^y]: Nobody 2001\n"),
    _append("m001/lessons/u00005.md", b"\nA control \x01 character.\n\n[^z]: Nobody 2002\n"),
    _append("m001/lessons/u00006.md", b"\n<script>x</script>\n\n![](/static/missing.png)\n\n"
                                      b"[bad](javascript:alert(1)) and [jump](/jump_to_id/nowhere)\n"
                                      b"\n<img src=\"http://example.com/a.png\" onclick=\"x()\">\n"),
    _write("m002/lessons/u00101.md", b"# Fine\n\n[^w]: Test source, fine\n[^v]: Unlisted 1\n"),
]


def _archive_digests(files) -> dict:
    stream = io.BytesIO()
    pack(files, stream)
    archive = stream.getvalue()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = {m.name: hashlib.sha256(tar.extractfile(m).read()).hexdigest() for m in tar if m.isfile()}
    return {"sha256": hashlib.sha256(archive).hexdigest(), "members": members}


def _outcome(content: Path, cache: Path | None = None) -> dict:
    """The archive's digests, or the problems' lines, of one build of `content`."""
    try:
        _course, files = build_files(content, cache=BuildCache(cache) if cache else None)
    except ProblemsFound as found:
        return {"problems": [str(problem) for problem in found.problems]}
    return _archive_digests(files)


def _generated(where: Path, mistakes: bool) -> Path:
    content = where / "content"
    generate_course(content, GENERATED_UNITS)
    for plant in MISTAKES if mistakes else []:
        plant(content)
    return content


def _record() -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        return {
            "course_content": _outcome(ROOT / "course_content"),
            "generated": _outcome(_generated(scratch / "good", False)),
            "generated_with_mistakes": _outcome(_generated(scratch / "bad", True)),
        }


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED.read_text("utf-8"))


def _assert_same(found: dict, wanted: dict) -> None:
    if "members" in wanted and "members" in found:
        changed = sorted(name for name in wanted["members"].keys() | found["members"].keys()
                         if wanted["members"].get(name) != found["members"].get(name))
        assert not changed, f"archive members differ from the recorded build: {changed[:10]}"
    assert found == wanted


def test_course_content_archive_is_unchanged(expected, tmp_path):
    _assert_same(_outcome(ROOT / "course_content"), expected["course_content"])


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cold-then-warm-cache"])
def test_generated_course_archive_is_unchanged(expected, tmp_path, cache):
    content = _generated(tmp_path, False)
    folder = tmp_path / "cache" if cache else None
    _assert_same(_outcome(content, folder), expected["generated"])
    if cache:
        _assert_same(_outcome(content, folder), expected["generated"])


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cold-then-warm-cache"])
def test_problems_of_a_generated_course_with_mistakes_are_unchanged(expected, tmp_path, cache):
    content = _generated(tmp_path, True)
    folder = tmp_path / "cache" if cache else None
    assert _outcome(content, folder) == expected["generated_with_mistakes"]
    if cache:
        assert _outcome(content, folder) == expected["generated_with_mistakes"]


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(__doc__)
    EXPECTED.write_text(json.dumps(_record(), indent=1, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
    print(f"recorded {EXPECTED}")
