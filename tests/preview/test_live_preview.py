"""`rpt-course preview` watching its content folder (as `make run` serves it): a save rebuilds what
changed and bumps the generation the pages long-poll for; a save that does not build shows the
author's problems (path:line) in the pages, and the next good save brings the course back."""
from __future__ import annotations

import contextlib
import json
import re
import urllib.request

from test_workbench_preview import get, index_links, rendered_unit, text_of

QUIZ_UNIT = "/scenario/course.0003/"  # "Check your understanding": lessons/check.md and the quiz


def generation(live_preview) -> int:
    with urllib.request.urlopen(f"{live_preview.base_url}/preview-events/?since=now", timeout=10) as reply:
        return json.load(reply)["generation"]


def next_generation(live_preview, since: int) -> int:
    """The generation after `since`: the long-poll answers as soon as the preview republished (or
    after its 25 s with the same number, which fails the caller's assertion)."""
    with urllib.request.urlopen(f"{live_preview.base_url}/preview-events/?since={since}", timeout=40) as reply:
        return json.load(reply)["generation"]


@contextlib.contextmanager
def edited(live_preview, relative: str, old: str, new: str):
    """Save `relative` (in the watched copy) with `old` replaced by `new`; put it back afterwards and
    wait until the preview has rebuilt the original."""
    path = live_preview.content / relative
    original = path.read_text("utf-8")
    assert old in original
    before = generation(live_preview)
    path.write_text(original.replace(old, new, 1), "utf-8")
    try:
        after = next_generation(live_preview, before)
        assert after != before, "the preview did not notice the save"
        yield after
    finally:
        undo_from = generation(live_preview)
        path.write_text(original, "utf-8")
        assert next_generation(live_preview, undo_from) != undo_from


def usages(page: str) -> list[tuple[str, str]]:
    return re.findall(r"data-usage='([^']+)' data-block-type='([a-z_]+)'", page)


def test_a_saved_lesson_is_rebuilt_and_its_unit_keeps_its_usage_ids(live_preview):
    _, _, before = get(live_preview.server, QUIZ_UNIT)
    assert "Edited while previewing" not in before.decode()
    with edited(live_preview, "intro/lessons/check.md", "\n\n", "\n\nEdited while previewing.\n\n") as now:
        status, _, after = get(live_preview.server, QUIZ_UNIT)
        page = after.decode()
        assert status == 200
        assert "Edited while previewing." in text_of(rendered_unit(page))
        assert f"var generation = {now};" in page  # the page reloads on the next change, not this one
        assert usages(page) == usages(before.decode())  # same ids: the learner's answers stay theirs
        assert [kind for _, kind in usages(page)].count("rpt_quiz") == 1
    _, _, restored = get(live_preview.server, QUIZ_UNIT)
    assert "Edited while previewing" not in restored.decode()


def test_a_renamed_unit_shows_in_the_outline_and_on_its_page(live_preview):
    with edited(live_preview, "intro/module.yaml", "title: Check your understanding", "title: Check what you know"):
        _, _, outline = get(live_preview.server, "/")
        assert [text for _, text in index_links(outline.decode())][2] == "Introduction › Check › Check what you know"
        _, _, unit = get(live_preview.server, QUIZ_UNIT)
        assert "<h1>Check what you know</h1>" in unit.decode()
        assert [kind for _, kind in usages(unit.decode())].count("rpt_quiz") == 1


def test_a_save_that_does_not_build_shows_its_problems_until_the_next_good_save(live_preview):
    with edited(live_preview, "intro/lessons/decay.md", "[^1]: Test source.", "[^1]: Test source.\n\n![](/static/x.png)"):
        for path in ("/", "/scenario/course.0002/", QUIZ_UNIT):
            status, _, body = get(live_preview.server, path)
            page = body.decode()
            assert status == 503, path
            assert re.search(r"intro/lessons/decay\.md:\d+: .*alt text", text_of(page)), path
            assert "Activity falls as" not in page  # not the old content
            assert "/preview-events/?since=" in page  # and it reloads itself after the next save
    status, _, body = get(live_preview.server, "/scenario/course.0002/")
    assert status == 200 and "Activity falls as" in text_of(rendered_unit(body.decode()))
