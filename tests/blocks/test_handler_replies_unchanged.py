"""Speed work on the handlers keeps behaviour: the replies and the stored fields of a fixed script
of requests (handler_replay.SCRIPT) equal those recorded before it (tests/fixtures/handler_replies.json),
and every refused request leaves the stored fields exactly as they were."""
from __future__ import annotations

import json

import pytest

from handler_replay import GOLDEN, replay


@pytest.fixture(scope="module")
def replayed():
    return replay()


@pytest.fixture(scope="module")
def recorded():
    return json.loads(GOLDEN.read_text("utf-8"))


def test_the_script_covers_refusals_and_acceptances_of_every_main_handler(recorded):
    seen = {(tag, handler, status >= 400) for (_user, tag, handler, _p), status in
            ((s["request"], s["status"]) for s in recorded["steps"])}
    for tag, handler in (("rpt_quiz", "submit"), ("rpt_dosimetry", "check_step"), ("rpt_prereq_tracker", "add_entry")):
        assert {(tag, handler, False), (tag, handler, True)} <= seen


def test_replies_and_stored_fields_are_as_recorded(replayed, recorded):
    assert len(replayed["steps"]) == len(recorded["steps"])
    for now, before in zip(replayed["steps"], recorded["steps"]):
        assert (now["request"], now["status"], now["reply"]) == (before["request"], before["status"], before["reply"])
        assert now["stored_sha256"] == before["stored_sha256"], now["request"]
    assert replayed["final_store"] == recorded["final_store"]


def test_a_refused_request_leaves_the_stored_fields_untouched(replayed):
    previous = None
    for step in replayed["steps"]:
        if step["status"] >= 400:
            assert step["stored_sha256"] == previous, step["request"]
        previous = step["stored_sha256"]
