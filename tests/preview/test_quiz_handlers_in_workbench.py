"""The quiz's handlers through the real workbench (Django, CSRF, sessions): refusals keep the
learner's state, and a valid submission is graded on the server."""
from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.quiz import bank
from rpt_xblocks.sanitizing import sanitize
from workbench_client import WorkbenchUser

FIXTURES = Path(__file__).parents[1] / "fixtures"
WRONG = json.loads((FIXTURES / "quiz_answers.json").read_text("utf-8"))["wrong"]


def _author_texts() -> dict:
    """Question id -> author id -> the text shown for that choice or step (as the page shows it)."""
    _course, files = build_files(FIXTURES / "courses" / "good")
    _settings, questions, _errors = bank.quiz_from_xml(etree.fromstring(files["course/vertical/check_unit.xml"]).find("rpt_quiz"))
    return {q.id: {c.id: sanitize(c.text) for c in (*q.choices, *q.items)} for q in questions}


class Learner(WorkbenchUser):
    """A learner on the fixture course's quiz unit."""

    def __init__(self, server):
        super().__init__(server, "/scenario/course.0003/", "rpt_quiz")

    def in_my_ids(self, answers: dict) -> dict:
        """Author-id `answers` as this learner picks them on the page: by text, in the ids the page shows."""
        shown = {q["id"]: {o["text"]: o["id"] for o in q.get("choices", []) + q.get("items", [])}
                 for q in json.loads(self.post("state", b"{}")[1])["questions"]}
        texts = _author_texts()

        def mine(qid, value):
            if not shown.get(qid):
                return value
            return [shown[qid][texts[qid][v]] for v in value] if isinstance(value, list) else shown[qid][texts[qid][value]]
        return {qid: mine(qid, value) for qid, value in answers.items()}

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
    status, reply = learner.post("submit", json.dumps({"answers": learner.in_my_ids(WRONG), "score": 5, "grade": 1.0}).encode())
    assert status == 200, reply
    assert json.loads(reply)["score"] == {"earned": 0.5, "possible": 5.0}
    assert learner.attempts() == 1
