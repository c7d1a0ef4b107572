"""`rpt-course preview course_content` (what `make run` serves): every unit of the real course is
listed in course order and every listed scenario renders its lessons."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from rpt_course.build import build_files
from test_workbench_preview import get, index_links, rendered_unit, text_of


COURSE_CONTENT = Path(__file__).resolve().parents[2] / "course_content"
COURSE, FILES = build_files(COURSE_CONTENT)
UNITS = [(module, section, unit) for module in COURSE.modules for section in module.sections for unit in section.units]


def test_index_lists_every_unit_of_the_course_in_order(course_preview):
    status, _, body = get(course_preview, "/")
    assert status == 200
    listed = [text for _, text in index_links(body.decode())]
    assert listed == [f"{m.title} › {s.title} › {u.title}" for m, s, u in UNITS]


@pytest.mark.parametrize("position", range(len(UNITS)))
def test_every_listed_scenario_renders_its_lessons(course_preview, position):
    status, _, body = get(course_preview, "/")
    href = index_links(body.decode())[position][0]
    status, _, page = get(course_preview, href)
    assert status == 200
    shown = text_of(rendered_unit(page.decode()))
    _, _, unit = UNITS[position]
    for component in unit.components:
        if component.kind not in ("lesson", "sources", "objectives"):
            tag = {"quiz": "rpt_quiz", "walkthrough": "rpt_dosimetry", "tracker": "rpt_prereq_tracker"}[component.kind]
            assert f"data-block-type='{tag}'" in page.decode()
            continue
        lesson = FILES[f"course/html/{component.id}.html"].decode()
        first_heading = unescape(re.search(r"<h2>(.*?)</h2>", lesson).group(1))
        assert first_heading in shown
