"""`rpt-course validate`: every check of the build, our OLX checks, and olxcleaner at step 8.

Contract: `validate_content(dir, overrides)` and `validate_archive(path)` return the list of
problems (empty means valid). Neither writes anything outside a temporary folder they delete; an
archive is unpacked by `archive.untrusted` before any of its content is parsed.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from rpt_course.build import build_files
from rpt_course.content import Overrides
from rpt_course.checks.olx_checks import olx_problems, unsafe_xml
from rpt_course.checks.olxcleaner_check import olxcleaner_problems
from rpt_xblocks.author_input.problems import Problem, ProblemsFound
from rpt_course.archive.untrusted import unpack_untrusted

BUILT_OLX = "(built OLX)"


def write_tree(files: dict[str, bytes], dest: Path) -> None:
    """Write an OLX mapping under `dest` (paths come from our own build)."""
    for name, data in files.items():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def validate_content(content_dir: Path, overrides: Overrides = Overrides()) -> list[Problem]:
    try:
        _course, files = build_files(content_dir, overrides)
    except ProblemsFound as found:
        return found.problems
    problems = olx_problems(files, BUILT_OLX)
    with tempfile.TemporaryDirectory(prefix="rpt-validate-") as temporary:
        write_tree(files, Path(temporary))
        problems += olxcleaner_problems(Path(temporary) / "course", BUILT_OLX)
    return problems


def validate_archive(archive: Path) -> list[Problem]:
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="rpt-validate-") as temporary:
        files, problems = unpack_untrusted(archive, Path(temporary))
        if files is None:
            return problems
        problems += olx_problems(files, archive.name)
        top = {name.split("/", 1)[0] for name in files}
        if not unsafe_xml(problems) and len(top) == 1:
            problems += olxcleaner_problems(Path(temporary) / top.pop(), archive.name)
        return problems
