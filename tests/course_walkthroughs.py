"""The walkthroughs of the real course as the build makes them, for tests of their numbers.

`course_walkthroughs()`: url_name -> Scenario, for every rpt_dosimetry block in course_content/ built
by `rpt-course` (built once per process). `expected(url_name, **overrides)`: a scenario's reference
values for a learner, with some parameters set by hand (`T_half="8 d"`).
"""
from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.dosimetry.scenario import expected_values, learner_parameters
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml
from rpt_xblocks.quantities import Quantity

CONTENT = Path(__file__).resolve().parents[1] / "course_content"


@functools.lru_cache(maxsize=None)
def course_walkthroughs() -> dict:
    _, files = build_files(CONTENT)
    scenarios = {}
    for path, data in files.items():
        if path.startswith("course/vertical/"):
            for element in etree.fromstring(data).iter("rpt_dosimetry"):
                scenario, errors = scenario_from_xml(element)
                assert errors == [], (path, errors)
                scenarios[element.get("url_name")] = scenario
    return scenarios


def expected(url_name: str, **overrides) -> dict:
    scenario = course_walkthroughs()[url_name]
    parameters = learner_parameters(scenario, "any learner")
    parameters.update({name: Quantity(float(text.split()[0]), text.split()[1]) for name, text in overrides.items()})
    return expected_values(scenario, parameters)
