"""Issue 16: `<step figures="4">` in a walkthrough's OLX: the block shows that step's reference value
to 4 significant figures once it is finished, and exports the attribute again."""
from __future__ import annotations

import json
from importlib import resources

from lxml import etree
from webob import Request

from rpt_xblocks.dosimetry.walkthrough_view import shown_value

EXAMPLE = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")
FOUR = EXAMPLE.replace('<step id="remaining" unit=""', '<step id="remaining" figures="4" unit=""', 1)


def check(block, answer):
    response = block.handle("check_step", Request.blank("/", method="POST", body=json.dumps(
        {"step": "remaining", "answer": answer}).encode()))
    return json.loads(response.body)


def test_the_reference_is_shown_to_the_steps_figures_and_exported(load_olx):
    block = load_olx(FOUR)
    expected = block._numbers()[2]["remaining"]
    check(block, "0.1")
    reply = check(block, "0.2")
    reference = reply["finished"][0]["reference"]
    assert reference == shown_value(expected, 4) and len(reference.replace("0.", "", 1)) == 4
    node = etree.Element("rpt_dosimetry")
    block.add_xml_to_node(node)
    assert node.find("step").get("figures") == "4"
    assert load_olx(etree.tostring(node, encoding="unicode")).scenario_data == block.scenario_data


def test_without_the_attribute_three_figures_are_shown(load_olx):
    block = load_olx(EXAMPLE)
    expected = block._numbers()[2]["remaining"]
    check(block, "0.1")
    assert check(block, "0.2")["finished"][0]["reference"] == shown_value(expected, 3)
