"""A preview of a copy of the small fixture course with some texts edited, for browser tests that
need a setting or a text the fixture course lacks (the fixture itself stays as it is)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"


def edited_course_preview(tmp_path_factory, preview_launcher, name: str, edits):
    """Yield the preview server of a copy of the fixture course in which, for each (glob relative to the
    course folder, old, new) of `edits`, the first file matching the glob has its first `old` replaced
    by `new` (AssertionError when `old` is not there). Served by `rpt-course preview --no-watch`."""
    working = tmp_path_factory.mktemp(name)
    content = Path(shutil.copytree(GOOD_COURSE, working / "content"))
    for pattern, old, new in edits:
        path = next(content.glob(pattern))
        text = path.read_text("utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), "utf-8")
    yield from preview_launcher(working, lambda port, state: [
        sys.executable, "-m", "rpt_course.cli", "preview", str(content), "--port", str(port), "--state-dir", str(state),
        "--no-watch"])
