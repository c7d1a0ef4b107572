"""The quiz's handlers through the real workbench (Django, CSRF, sessions): refusals keep the
learner's state, and a valid submission is graded on the server."""
from __future__ import annotations

import json
from pathlib import Path

from workbench_client import WorkbenchUser

WRONG = json.loads((Path(__file__).parents[1] / "fixtures" / "quiz_answers.json").read_text("utf-8"))["wrong"]


class Learner(WorkbenchUser):
    """A learner on the fixture course's quiz unit."""

    def __init__(self, server):
        super().__init__(server, "/scenario/course.0003/", "rpt_quiz")

    def attempts(self) -> int:
        status, body = self.post("state", b"{}")
        assert status == 200
        return json.loads(body)["attempts"]


def test_csrf_is_enforced(good_preview):
    learner = Learner(good_preview)
    status, _ = learner.post("submit", json.dumps({"answers": WRONG}).encode(), with_csrf=False)
    assert status == 403
    assert learner.attempts() == 0


def test_hostile_submissions_get_4xx_and_leave_the_state(good_preview):
    learner = Learner(good_preview)
    for body in (b"{", b"[]", json.dumps({"answers": {"nope": 1}}).encode(),
                 json.dumps({"answers": dict(WRONG, i131_release_activity="<img src=x onerror=alert(1)>")}).encode()):
        status, reply = learner.post("submit", body)
        assert 400 <= status < 500, (body, status)
        assert json.loads(reply)["error"]
    assert learner.attempts() == 0


def test_a_valid_submission_is_graded_on_the_server(good_preview):
    learner = Learner(good_preview)
    status, reply = learner.post("submit", json.dumps({"answers": WRONG, "score": 5, "grade": 1.0}).encode())
    assert status == 200, reply
    assert json.loads(reply)["score"] == {"earned": 0.5, "possible": 5.0}
    assert learner.attempts() == 1
