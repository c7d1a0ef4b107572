"""check_step evaluates only the steps up to the one checked; whatever the learner's progress, its
reply is the full state (`_state()`, every step evaluated) plus `last`."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from importlib import resources

import pytest
from webob import Request

from rpt_xblocks.records.models import StepAttempt

EXAMPLE = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")


def check(block, step, answer):
    response = block.handle("check_step", Request.blank("/", method="POST",
                                                          body=json.dumps({"step": step, "answer": answer}).encode()))
    return response.status_code, json.loads(response.body)


def stored(block, progress: dict) -> None:
    """The learner's rows for `progress` (per step: attempts made, the last answer and whether it was right)."""
    for step, record in progress.items():
        for attempt in range(1, record["attempts"] + 1):
            last = attempt == record["attempts"]
            StepAttempt.objects.create(block=block.record_block_key(), learner=block.learner_key(), step=step,
                                       attempt=attempt, answer=record["answer"] if last else "0",
                                       correct=record["correct"] and last, created=datetime.now(timezone.utc))


@pytest.mark.parametrize("progress", [
    {},                                                                   # the first step, first try
    {"remaining": {"attempts": 1, "answer": "0.1", "correct": False, "done": False}},
    {"remaining": {"attempts": 2, "answer": "0.1", "correct": False, "done": True}},  # on the last step
    {"activity": {"attempts": 1, "answer": "1 GBq", "correct": True, "done": True}},  # a later step done first
    {"remaining": {"attempts": 1, "answer": "0.1", "correct": False, "done": False},   # ... and this answer
     "activity": {"attempts": 1, "answer": "1 GBq", "correct": True, "done": True}},   # finishes them all
])
def test_the_reply_is_the_state_with_every_step_evaluated(load_olx, progress):
    block = load_olx(EXAMPLE)
    stored(block, progress)
    shown = {step: {key: value for key, value in record.items() if key != "tries"}
             for step, record in block._record().progress.items()}
    assert shown == progress  # `tries` (every answer) is tested in test_walkthrough_ux.py
    steps = [s.id for s in block.scenario().steps]
    current = next(s for s in block.scenario().steps if not progress.get(s.id, {}).get("done"))
    step = current.id
    status, reply = check(block, step, f"0.123 {current.unit}".strip())
    assert status == 200
    last = reply.pop("last")
    assert last["step"] == step
    assert reply == json.loads(json.dumps(block._state()))
    if all(block._record().progress.get(s, {}).get("done") for s in steps):
        assert reply["current"] is None and "plot" in reply
