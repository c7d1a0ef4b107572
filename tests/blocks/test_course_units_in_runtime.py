"""Every unit of the real course, as the preview presents it, parses into XBlock's TestRuntime and
each lesson's student_view shows its text word for word, each quiz or walkthrough renders as its block: the OLX our build writes is usable by a real runtime."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html as lxml_html

from rpt_course.build import build_files
from rpt_course.preview.scenarios import course_scenarios

COURSE_CONTENT = Path(__file__).resolve().parents[2] / "course_content"
COURSE, FILES = build_files(COURSE_CONTENT)
UNITS = list(zip(COURSE.units, course_scenarios(FILES)))


def _words(markup: str) -> str:
    return " ".join(lxml_html.fragment_fromstring(markup, create_parent="div").text_content().split())


@pytest.mark.parametrize("unit,scenario", UNITS, ids=[unit.id for unit, _ in UNITS])
def test_unit_renders_every_lesson(load_olx, unit, scenario):
    _name, _description, xml = scenario
    block = load_olx(xml)
    assert len(block.children) == len(unit.components)
    for child_id, component in zip(block.children, unit.components):
        child = block.runtime.get_block(child_id)
        fragment = child.render("student_view", {})
        if component.kind in ("lesson", "sources", "objectives"):  # HTML pages
            assert _words(fragment.content) == _words(FILES[f"course/html/{component.id}.html"].decode()), component.id
        else:
            tag, css, init = {"quiz": ("rpt_quiz", "rpt-quiz", "RptQuizBlock"),
                              "walkthrough": ("rpt_dosimetry", "rpt-walkthrough", "RptWalkthroughBlock"),
                              "tracker": ("rpt_prereq_tracker", "rpt-tracker", "RptTrackerBlock")}[component.kind]
            assert child.scope_ids.block_type == tag
            assert f'class="{css}"' in fragment.content and f"data-init='{init}'" in fragment.content
