"""The course's walkthroughs reproduce the published answers they teach (reference sheet section 7)."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml
from rpt_xblocks.quantities import check_numeric

CONTENT = Path(__file__).resolve().parents[2] / "course_content"


def test_the_i131_release_walkthrough_gives_the_published_33_mci():
    _, files = build_files(CONTENT)
    vertical = etree.fromstring(files["course/vertical/rp_patient_release.xml"])
    scenario, errors = scenario_from_xml(vertical.find("rpt_dosimetry"))
    assert errors == []
    expected = expected_values(scenario, learner_parameters(scenario, "any learner"))
    # RG 8.39's default release value: 33 mCi (1.2 GBq); the rounding implies +/- 0.5 mCi.
    assert abs(expected["release_activity"].m_as("mCi") - 33) <= 0.5
    step = next(s for s in scenario.steps if s.id == "release_activity")
    for published in ("33 mCi", "1.2 GBq"):
        assert check_numeric(published, expected["release_activity"].m_as("mCi"), "mCi", step.tolerance).correct, published
