"""Fixtures of the security suite: Chromium with an XSS trap, and the XSS course served by the preview.

The preview servers and `chromium` of tests/conftest.py are global; this folder adds `xss_preview`
(the XSS course of xss_course.py, built once per session, served through `preview_launcher`). Helpers shared with the other browser,
workbench and block tests are imported from their folders: `wcag_violations` and friends from
tests/browser/test_preview_in_browser.py, the quiz learner of tests/browser/test_quiz_in_browser.py,
`WorkbenchUser` from tests/preview/workbench_client.py, the quiz's answer-key texts from
tests/blocks/quiz_fixture.py.
"""
from __future__ import annotations

import sys
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
def xss_preview(tmp_path_factory, xss_authored, preview_launcher):
    """The XSS course served by the preview: the payloads the build accepts, as authored, plus one
    block of each kind holding every payload as raw OLX markup (as hand-edited in Studio)."""
    working = tmp_path_factory.mktemp("xss-preview")
    authored, files = xss_authored
    olx = working / "olx"
    for name, data in with_olx_blocks(files, authored.texts).items():
        (olx / name).parent.mkdir(parents=True, exist_ok=True)
        (olx / name).write_bytes(data)
    command = [sys.executable, "-c", _SERVE_FOLDER, str(olx)]
    for server in preview_launcher(working, lambda port, state: command + [str(port), str(state)]):
        yield XssPreview(base_url=server.base_url, payloads=authored.texts, authored=authored)


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
