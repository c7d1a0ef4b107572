"""Shared fixtures: live previews in a subprocess: the small OLX course under tests/preview/fixtures/olx/
(`fixture_course_files`, `preview_server`, started through `serve`) and the real course_content/
(`course_preview`, started through the `rpt-course preview` command, as `make run` does, but
without watching the content: its pages then hold no live-reload long-poll, which would keep the
network busy for tests that wait for "networkidle"); `live_preview`, `rpt-course preview` watching a
writable copy of the small valid content folder (`live_preview.content`); and `good_course`, a
writable copy of the small valid content folder."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

import records_database

records_database.configure()

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_OLX = Path(__file__).parent / "preview" / "fixtures" / "olx"
COURSE_CONTENT = Path(__file__).parent.parent / "course_content"
GOOD_COURSE = Path(__file__).parent / "fixtures" / "courses" / "good"


@pytest.fixture(autouse=True)
def _render_cache_per_test(tmp_path_factory, monkeypatch):
    """Each test's builds keep their render cache in a folder of their own (`rpt-course build`'s
    default is var/build-cache beside the content folder, which for course_content/ is the repository)."""
    monkeypatch.setenv("RPT_BUILD_CACHE_DIR", str(tmp_path_factory.mktemp("build-cache")))


@pytest.fixture(autouse=True)
def _no_records_between_tests():
    """Every test starts with empty records tables (see records_database.py)."""
    yield
    records_database.clear()


@pytest.fixture
def good_course(tmp_path) -> Path:
    """A fresh copy of the small valid content folder tests/fixtures/courses/good, free to change."""
    return Path(shutil.copytree(GOOD_COURSE, tmp_path / "content"))


# The fixture OLX is previewed through `serve` itself (it is OLX, not content, so the command cannot build it).
_SERVE_FOLDER = """
import sys
from pathlib import Path
from rpt_course.preview.server import serve
root = Path(sys.argv[1])
files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
serve(files, port=int(sys.argv[2]), state_dir=sys.argv[3])
"""


def olx_files(folder: Path) -> dict[str, bytes]:
    """An OLX file mapping (archive path -> bytes) of every file under `folder`."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _preview_command(port: int, state_dir: Path) -> list[str]:
    return [sys.executable, "-c", _SERVE_FOLDER, str(FIXTURE_OLX), str(port), str(state_dir)]


@dataclass(frozen=True)
class PreviewServer:
    """A preview running in a subprocess: its base URL (no trailing slash), state folder and output."""

    base_url: str
    state_dir: Path
    working_dir: Path
    output: Path


@pytest.fixture(scope="session")
def fixture_course_files() -> dict[str, bytes]:
    return olx_files(FIXTURE_OLX)


@pytest.fixture(scope="session")
def preview_server(tmp_path_factory) -> PreviewServer:
    """The fixture course served on a free loopback port for the whole session, then stopped."""
    yield from _run_preview(tmp_path_factory.mktemp("preview"),
                            lambda port, state: _preview_command(port, state))


@pytest.fixture(scope="session")
def course_preview(tmp_path_factory) -> PreviewServer:
    """course_content/ served by `rpt-course preview` (the command `make run` uses), then stopped."""
    yield from _run_preview(tmp_path_factory.mktemp("course-preview"), lambda port, state: [
        sys.executable, "-m", "rpt_course.cli", "preview", str(COURSE_CONTENT),
        "--port", str(port), "--state-dir", str(state), "--no-watch"])


@pytest.fixture(scope="session")
def good_preview(tmp_path_factory) -> PreviewServer:
    """The small fixture content folder (tests/fixtures/courses/good, which has a quiz) served by
    `rpt-course preview`, then stopped."""
    yield from _run_preview(tmp_path_factory.mktemp("good-preview"), lambda port, state: [
        sys.executable, "-m", "rpt_course.cli", "preview", str(GOOD_COURSE),
        "--port", str(port), "--state-dir", str(state), "--no-watch"])


@dataclass(frozen=True)
class LivePreview:
    """A preview that watches `content` (a writable copy of the small valid course) and reloads its pages."""

    server: PreviewServer
    content: Path

    @property
    def base_url(self) -> str:
        return self.server.base_url


@pytest.fixture(scope="session")
def live_preview(tmp_path_factory) -> LivePreview:
    """`rpt-course preview` (watching, as `make run` does) on a copy of tests/fixtures/courses/good,
    with a build cache of its own; tests edit the copy and must leave it as they found it."""
    working = tmp_path_factory.mktemp("live-preview")
    content = Path(shutil.copytree(GOOD_COURSE, working / "content"))
    for server in _run_preview(working, lambda port, state: [
            sys.executable, "-m", "rpt_course.cli", "preview", str(content), "--port", str(port),
            "--state-dir", str(state), "--cache-dir", str(working / "build-cache")]):
        yield LivePreview(server, content)


@pytest.fixture(scope="session")
def preview_launcher():
    """`_run_preview` for other folders' fixtures (a conftest cannot be imported): a generator that
    starts `command(port, state_dir)` in `working_dir`, yields the PreviewServer once it answers, and
    stops it afterwards."""
    return _run_preview


def _run_preview(working_dir: Path, command):
    server = PreviewServer(
        base_url=f"http://127.0.0.1:{_free_port()}",
        state_dir=working_dir / "state",
        working_dir=working_dir,
        output=working_dir / "server-output.txt",
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for inherited in ("DJANGO_SETTINGS_MODULE", "RPT_PREVIEW_STATE_DIR", "RPT_PREVIEW_HOST", "RPT_PREVIEW_STAFF",
                      "RPT_PREVIEW_PRECEPTORS", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(inherited, None)
    with open(server.output, "wb") as output:
        process = subprocess.Popen(
            command(int(server.base_url.rsplit(":", 1)[1]), server.state_dir),
            cwd=working_dir, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(server: PreviewServer, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"preview exited with {process.returncode}:\n{server.output.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(server.base_url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    pytest.fail(f"preview did not answer within {timeout} s:\n{server.output.read_text(errors='replace')}")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # these keep Chromium from calling out


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright's sync API, one for the whole session (Playwright runs
    one instance per thread), shared by tests/browser and tests/security. Never `playwright install`."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only browser tests need it)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
