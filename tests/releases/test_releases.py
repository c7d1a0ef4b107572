"""rpt-au installs into every supported Open edX release without moving a platform pin, and its blocks pass
their tests there (README "Supported releases"; requirements/release-<name>.txt holds each release's pins).

For each release: a fresh venv with that release's Python, the wheel installed under the release's
constraints, `pip freeze` equal to every pin, `pip check` clean, every block module importable with the
authoring command refused and none of its packages installed, then the block tests (tests/blocks,
tests/tracker, tests/records, less those that need the preview's workbench) run against the installed
copy. The releases run two at a time. A release whose Python this machine lacks fails: `make pythons`
installs it. Each release's line of versions is printed as it finishes (a few minutes, mostly pip).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from built_wheel import build_wheel

from release_venv import Release, ReleaseRun, all_releases, block_test_files, find_python, run_release

RELEASES = all_releases()


def test_the_supported_releases_are_the_current_one_and_the_one_before():
    """Ulmo (Python 3.11) and Verawood (Python 3.12), each file naming its source commit."""
    assert {(r.name, r.python) for r in RELEASES} >= {("Ulmo", "3.11"), ("Verawood", "3.12")}
    for release in RELEASES:
        header = release.constraints.read_text("utf-8")
        assert "# Source:" in header and "Read 20" in header, release.constraints


def test_the_block_tests_left_out_are_only_those_that_need_the_preview():
    run, left_out = block_test_files()
    assert len(run) >= 25 and left_out == ["tests/blocks/test_course_units_in_runtime.py"]


def test_a_release_whose_python_is_missing_fails_and_says_how_to_get_it(tmp_path):
    assert find_python("2.0") is None
    nowhere = Release("Nowhere", "2.0", tmp_path / "release-nowhere.txt", {})
    run = run_release(nowhere, tmp_path / "unused.whl", tmp_path)
    assert "no Python 2.0" in run.failure and "make pythons" in run.failure


@pytest.fixture(scope="module")
def release_runs(tmp_path_factory) -> dict[str, ReleaseRun]:
    """Every release run once, two at a time, on one wheel built with --no-deps."""
    out = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(out)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda r: run_release(r, wheel, tmp_path_factory.mktemp(r.name.lower())), RELEASES)
        return {run.release.name: run for run in runs}


@pytest.mark.parametrize("name", [r.name for r in RELEASES])
def test_release(name, release_runs, capsys):
    run = release_runs[name]
    with capsys.disabled():
        print(f"\n  {run.describe()}")
    assert not run.failure, run.failure
    assert not run.moved, f"pip moved {name}'s pins (pinned, installed): {run.moved}"
    assert not run.missing, f"pinned by {name} but not installed (not shared: take them out of the file): {run.missing}"
    assert not run.authoring_packages_present, f"`pip install rpt-au` brought authoring packages: {run.authoring_packages_present}"
    assert run.modules >= 40
    assert " passed" in run.tests_summary and "failed" not in run.tests_summary and "error" not in run.tests_summary
    for package, version in run.release.pins.items():
        assert run.installed[package] == version
