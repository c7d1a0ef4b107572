"""The Studio editor: it shows the bank as OLX, saves a valid edit, and refuses an invalid bank
with every reason while saving nothing."""
from __future__ import annotations

import json

from lxml import etree
from webob import Request

from quiz_fixture import quiz_olx

SETTINGS = {"display_name": "Edited quiz", "max_attempts": 3, "show_answer": "always", "show_correctness": "always",
            "grading_method": "last", "weight": 2.0, "draw": 0, "shuffle_choices": False,
            "allow_check": False, "max_checks": 3}


def call(block, payload):
    """studio_submit, as course staff (olx_block.may_edit)."""
    block.runtime.user_is_staff = True
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode(), content_type="application/json")
    response = block.handle("studio_submit", request)
    return response.status_code, json.loads(response.body)


def bank_xml(block):
    node = etree.Element("rpt_quiz")
    block.add_xml_to_node(node)
    return "".join(etree.tostring(child, encoding="unicode") for child in node)


def test_the_form_labels_every_setting_and_shows_the_bank(load_olx):
    block = load_olx(quiz_olx())
    html = block.render("studio_view", {}).content
    for name in SETTINGS:
        assert f'for="rpt-quiz-{name}"' in html and f'id="rpt-quiz-{name}"' in html
    assert '<input type="checkbox" id="rpt-quiz-shuffle_choices" name="shuffle_choices" checked>' in html
    assert "&lt;question id=&#34;public_limit&#34;" in html or "&lt;question id=\"public_limit\"" in html


def test_a_valid_edit_is_saved(load_olx):
    block = load_olx(quiz_olx())
    edited = bank_xml(block).replace("What is the annual dose limit", "What is the yearly dose limit")
    status, reply = call(block, dict(SETTINGS, content_xml=edited))
    assert status == 200 and reply == {"saved": True, "questions": 5}
    assert block.display_name == "Edited quiz" and block.max_attempts == 3 and block.shuffle_choices is False
    assert "yearly dose limit" in block.questions[0]["prompt"]


def test_an_invalid_bank_is_refused_with_every_reason_and_nothing_saved(load_olx):
    block = load_olx(quiz_olx())
    before = (block.display_name, json.dumps(block.questions))
    broken = bank_xml(block).replace(' correct="true"', "", 1).replace('unit="mCi"', 'unit="mCu"')
    status, reply = call(block, dict(SETTINGS, content_xml=broken, draw=9))
    assert status == 400
    assert reply["error"] == "The quiz was not saved: fix these problems."
    text = " ".join(reply["problems"])
    assert "has no correct choice" in text and "mCu" in text and "draw must be" in text
    assert (block.display_name, json.dumps(block.questions)) == before


def test_hostile_xml_is_refused(load_olx):
    block = load_olx(quiz_olx())
    before = json.dumps(block.questions)
    status, reply = call(block, dict(SETTINGS, content_xml='<!DOCTYPE x [<!ENTITY a "b">]><question/>'))
    assert status == 400 and json.dumps(block.questions) == before
    status, _ = call(block, dict(SETTINGS, content_xml="<question"))
    assert status == 400
