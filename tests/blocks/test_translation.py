"""Messages made in plain modules are translated by the runtime's i18n service of the request."""
from __future__ import annotations

import json

from webob import Request

from quiz_fixture import RIGHT, as_browser, quiz_olx
from marking_translation import Marking


def test_grading_messages_go_through_the_i18n_service(runtime, load_olx):
    runtime._services["i18n"] = Marking()  # TestRuntime keeps its services in this mapping
    block = load_olx(quiz_olx())
    body = json.dumps({"answers": as_browser(block, dict(RIGHT, i131_release_activity="5 mSv"))}).encode()
    response = block.handle("submit", Request.blank("/", method="POST", body=body))
    reply = json.loads(response.body)
    message = reply["questions"]["i131_release_activity"]
    assert message.startswith("«Your answer is in") and "dose equivalent" in message
    assert "«a dose equivalent»" in message and "«an activity»" in message
    assert reply["error"] == "«Some answers could not be graded; nothing was recorded.»"


def test_outside_a_block_messages_stay_as_written():
    from rpt_xblocks.quantities import check_numeric
    assert "dose equivalent" in check_numeric("5 mSv", 33, "mCi", "3%").message
