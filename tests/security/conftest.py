"""Fixtures of the security suite: Chromium with an XSS trap, and the XSS course served by the preview.

The preview servers of tests/conftest.py (`good_preview`, `course_preview`) are global; this folder
adds `xss_preview` (the XSS course of xss_course.py, built once per session) and `chromium`
(tests/browser/conftest.py's fixtures are not visible here; see `chromium` for how the two share). Helpers shared with the other browser,
workbench and block tests are imported from their folders: `wcag_violations` and friends from
tests/browser/test_preview_in_browser.py, the quiz learner of tests/browser/test_quiz_in_browser.py,
`WorkbenchUser` from tests/preview/workbench_client.py, the quiz's answer-key texts from
tests/blocks/quiz_fixture.py.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in ("browser", "preview", "blocks"):  # appended, so the security folder's own modules win
    if str(TESTS / folder) not in sys.path:
        sys.path.append(str(TESTS / folder))

from page_trap import TrappedPage  # noqa: E402
from xss_course import authored_course, with_olx_blocks  # noqa: E402

# The fixture OLX is served through `serve` itself, as tests/conftest.py serves its OLX folder.
_SERVE_FOLDER = """
import sys
from pathlib import Path
from rpt_course.preview.server import serve
root = Path(sys.argv[1])
files = {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}
serve(files, port=int(sys.argv[2]), state_dir=sys.argv[3])
"""


@dataclass(frozen=True)
class XssPreview:
    """The XSS course in a preview: its URL, the payloads, and which survived the build where."""

    base_url: str
    payloads: list
    authored: object  # xss_course.Authored


@pytest.fixture(scope="session")
def xss_authored(tmp_path_factory):
    """The authored XSS course (payloads the build refuses made plain) and its built OLX files."""
    return authored_course(tmp_path_factory.mktemp("xss-authored") / "content")


@pytest.fixture(scope="session")
def xss_preview(tmp_path_factory, xss_authored):
    """The XSS course served by the preview: the payloads the build accepts, as authored, plus one
    block of each kind holding every payload as raw OLX markup (as hand-edited in Studio)."""
    working = tmp_path_factory.mktemp("xss-preview")
    authored, files = xss_authored
    olx = working / "olx"
    for name, data in with_olx_blocks(files, authored.texts).items():
        (olx / name).parent.mkdir(parents=True, exist_ok=True)
        (olx / name).write_bytes(data)
    command = [sys.executable, "-c", _SERVE_FOLDER, str(olx)]
    for base_url in _serve(working, lambda port, state: command + [str(port), str(state)]):
        yield XssPreview(base_url=base_url, payloads=authored.texts, authored=authored)


@pytest.fixture
def trapped(chromium):
    """Open pages with the XSS trap: `trapped(base_url)` -> TrappedPage; closed after the test."""
    opened = []

    def open_page(base_url: str) -> TrappedPage:
        trapped_page = TrappedPage.open(chromium, base_url)
        opened.append(trapped_page)
        return trapped_page

    yield open_page
    for trapped_page in opened:
        trapped_page.close()


# ---- a preview in a subprocess (the launching logic of tests/conftest.py, which cannot be imported) ----

def _serve(working_dir: Path, command):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for inherited in ("DJANGO_SETTINGS_MODULE", "RPT_PREVIEW_STATE_DIR", "RPT_PREVIEW_HOST", "RPT_PREVIEW_STAFF"):
        env.pop(inherited, None)
    output = working_dir / "server-output.txt"
    with open(output, "wb") as sink:
        process = subprocess.Popen(command(port, working_dir / "state"), cwd=working_dir, env=env,
                                   stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"preview exited with {process.returncode}:\n{output.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"preview did not answer within 60 s:\n{output.read_text(errors='replace')}")
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
