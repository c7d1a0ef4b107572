"""Screenshots as tests (issue 17): every state of screenshot_catalogue.py at every width is taken,
the picture is a real one, the block fits the viewport's width (no horizontal scrolling), and axe
finds no WCAG 2.1 A/AA violation in the block; README.md shows every picture and only pictures
that exist.

Pictures go to a temporary folder, or to `$RPT_SCREENSHOTS_DIR` when set: `make screenshots` sets
it to docs/screenshots/. Each picture is written before its checks, so a run shows what failed.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import sys
from pathlib import Path

import pytest

from screenshot_catalogue import HEIGHT, SECRET_KEY, STATES, WIDTHS, block_widths, optimise, prepare, take
from test_preview_in_browser import wcag_violations

pytestmark = pytest.mark.browser
REPOSITORY = Path(__file__).resolve().parents[2]
GOOD_COURSE = REPOSITORY / "tests" / "fixtures" / "courses" / "good"
DOCS_SCREENSHOTS = REPOSITORY / "docs" / "screenshots"
README = REPOSITORY / "README.md"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def width_preview(request, tmp_path_factory, preview_launcher):
    """(width, preview): the fixture course served afresh for each width, so that each width's
    pictures start from the same empty records, with a fixed secret key (stand-in ids stay the same)."""
    working = tmp_path_factory.mktemp(f"screenshots-{request.param}")
    content = Path(shutil.copytree(GOOD_COURSE, working / "content"))
    (working / "state").mkdir()
    (working / "state" / "secret_key").write_text(SECRET_KEY, "utf-8")
    for server in preview_launcher(working, lambda port, state: [
            sys.executable, "-m", "rpt_course.cli", "preview", str(content), "--port", str(port),
            "--state-dir", str(state), "--no-watch"]):  # no open reload request: pages settle
        yield request.param, server


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    chosen = os.environ.get("RPT_SCREENSHOTS_DIR")
    if not chosen:
        return tmp_path_factory.mktemp("screenshots")
    folder = Path(chosen)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def picture_problems(path: Path, width: int) -> list[str]:
    """Why the PNG at `path` is not a real picture of a block at most `width` wide (empty: it is)."""
    data = path.read_bytes()
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        return ["not a PNG"]
    shown_width, shown_height = struct.unpack(">II", data[16:24])
    problems = []
    if not 200 <= shown_width <= width:
        problems.append(f"{shown_width} px wide at a {width} px viewport")
    if shown_height < 100:
        problems.append(f"only {shown_height} px tall")
    try:
        from PIL import Image  # noqa: PLC0415  (optional: the header checks above suffice without it)
    except ImportError:
        return problems + ([] if len(data) > 2000 else [f"only {len(data)} bytes"])
    with Image.open(path) as picture:
        picture.load()
        colours = picture.convert("RGB").getcolors(maxcolors=1 << 16)
    if colours is not None and len(colours) < 8:
        problems.append(f"only {len(colours)} colours: a blank picture")
    return problems


@pytest.mark.parametrize("state", STATES, ids=lambda state: f"{state.block}-{state.name}")
def test_each_state_at_each_width_is_pictured_fits_and_passes_axe(state, width_preview, pictures, chromium):
    width, server = width_preview
    context = chromium.new_context(base_url=server.base_url, viewport={"width": width, "height": HEIGHT},
                                   reduced_motion="reduce", device_scale_factor=1)
    try:
        page = context.new_page()
        prepare(page)
        path = pictures / state.file_name(width)
        take(page, state, path)

        # every check runs, so that one failure reports all that is wrong with the state
        problems = [f"picture {path.name}: {problem}" for problem in picture_problems(path, width)]
        problems += [f"{state.selector} is wider than the {width} px viewport: {box}"
                     for box in block_widths(page, state.selector)
                     if box["scrollWidth"] > box["viewport"] or box["right"] > box["viewport"]]
        problems += [f"axe: {rule} at {target}" for rule, target in sorted(wcag_violations(page, state.selector))]
        assert problems == [], f"{state.block} {state.name} at {width} px"
    finally:
        context.close()


def readme_pictures() -> list[str]:
    """The docs/screenshots/ paths README.md shows (Markdown images and <img src="...">)."""
    pattern = r"!\[[^\]]*\]\((docs/screenshots/[^)\s]+)\)|<img[^>]*\bsrc=\"(docs/screenshots/[^\"]+)\""
    return [markdown or html for markdown, html in re.findall(pattern, README.read_text("utf-8"))]


def test_readme_shows_every_state_at_every_width_and_every_picture_it_shows_exists():
    shown = readme_pictures()
    catalogued = [f"docs/screenshots/{state.file_name(width)}" for state in STATES for width in WIDTHS]
    assert [name for name in catalogued if name not in shown] == [], "README.md does not show these"
    assert [name for name in shown if not (REPOSITORY / name).is_file()] == [], "README.md shows missing pictures"
    stale = sorted(f"docs/screenshots/{path.name}" for path in DOCS_SCREENSHOTS.glob("*.png")
                   if f"docs/screenshots/{path.name}" not in catalogued)
    assert stale == [], "pictures of no catalogued state: delete them"


def test_controls_the_width_check_and_the_picture_check_do_see_a_fault(chromium, tmp_path):
    """Checks that could never fail would pass every picture: a block with a 600 px wide child at a
    390 px viewport is found too wide (and the child named); one that wraps is not; a blank picture is refused."""
    context = chromium.new_context(viewport={"width": 390, "height": HEIGHT})
    try:
        page = context.new_page()
        page.set_content('<div class="wide"><p>text</p><table class="data"><tr><td style="min-width: 600px">x</td></tr>'
                         '</table></div><div class="fits"><p>a long paragraph that wraps at any width</p></div>')
        [wide] = block_widths(page, ".wide")
        assert wide["right"] > wide["viewport"] == 390 and [name.split(" ")[0] for name in wide["beyond"]] == ["td"]
        [fits] = block_widths(page, ".fits")
        assert fits["scrollWidth"] <= 390 and fits["right"] <= 390 and fits["beyond"] == []
        blank = tmp_path / "blank.png"
        page.set_content('<div style="height: 300px"></div>')
        page.screenshot(path=str(blank), clip={"x": 0, "y": 0, "width": 300, "height": 300})
        optimise(blank)
        assert picture_problems(blank, 390) != []
    finally:
        context.close()
