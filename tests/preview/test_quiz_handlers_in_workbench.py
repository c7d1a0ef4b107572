"""The quiz's handlers through the real workbench (Django, CSRF, sessions): refusals keep the
learner's state, and a valid submission is graded on the server."""
from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.request
import uuid

from pathlib import Path

WRONG = json.loads((Path(__file__).parents[1] / "fixtures" / "quiz_answers.json").read_text("utf-8"))["wrong"]


class Learner:
    """A browser-less learner with cookies, on the fixture course's quiz unit."""

    def __init__(self, server):
        self.base = server.base_url
        self.student = uuid.uuid4().hex
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.opener.open(f"{self.base}/scenario/course.0003/?student={self.student}").read().decode()
        self.usage = re.search(r"data-usage='([^']+)' data-block-type='rpt_quiz'", page).group(1)

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def post(self, handler, body: bytes, with_csrf=True):
        headers = {"Content-Type": "application/json", "Referer": self.base + "/"}
        if with_csrf:
            headers["X-CSRFToken"] = self.csrf()
        request = urllib.request.Request(f"{self.base}/handler/{self.usage}/{handler}/?student={self.student}",
                                         data=body, headers=headers, method="POST")
        try:
            with self.opener.open(request) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

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
    assert status == 200
    assert json.loads(reply)["score"] == {"earned": 0.5, "possible": 5.0}
    assert learner.attempts() == 1
