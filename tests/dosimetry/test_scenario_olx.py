"""The walkthrough's OLX: scenario -> XML -> scenario gives an equal scenario; bad numbers reported."""
from __future__ import annotations

from lxml import etree

from rpt_xblocks.dosimetry.scenario import scenario_from_data
from rpt_xblocks.dosimetry.scenario_olx import scenario_from_xml, scenario_to_xml

from test_scenario import DECAY, PLOT


def test_round_trip_gives_an_equal_scenario():
    scenario = scenario_from_data({**DECAY, "steps": [dict(DECAY["steps"][0], hints=["<p>Half-lives <em>elapsed</em></p>"],
                                                           explanation="<p>A &lt; A0</p>", source="ICRP 107"),
                                                      DECAY["steps"][1]],
                                 "plot": PLOT})
    element = scenario_to_xml(scenario, url_name="decay_walkthrough")
    text = etree.tostring(element, encoding="unicode")
    again, errors = scenario_from_xml(etree.fromstring(text))
    assert errors == [] and again == scenario and again.plot.mark == "t"
    assert element.get("url_name") == "decay_walkthrough"
    assert scenario_to_xml(again).get("display_name") == DECAY["title"]


def test_unreadable_numbers_and_missing_formulas_are_reported():
    element = etree.fromstring('<rpt_dosimetry display_name="x"><parameter name="t" unit="h" min="soon" max="2"/>'
                               '<step id="a" unit="h"><prompt><p>?</p></prompt></step></rpt_dosimetry>')
    _, errors = scenario_from_xml(element)
    assert [location for location, _ in errors] == [("parameters", "t"), ("steps", 0)]
    assert "min='soon'" in errors[0][1] and "formula" in errors[1][1]
