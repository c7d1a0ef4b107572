"""The quiz's handlers through the real workbench (Django, CSRF, sessions): refusals keep the
learner's state, a valid submission is graded on the server, and its "Review the lesson" links
lead to the unit that teaches the point."""
from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree

from rpt_course.build import build_files
from rpt_xblocks.quiz import bank
from rpt_xblocks.sanitizing import sanitize
from test_workbench_preview import rendered_unit
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
    assert json.loads(reply)["score"] == {"earned": 0.5, "possible": 5.0, "text": "Score: 0.5 of 5 points"}
    assert learner.attempts() == 1


def _teaches_urls(state: dict) -> list[str]:
    """Every "Review the lesson" link of a quiz state: per question and with the revealed answer."""
    return [url for q in state["questions"]
            for url in (q.get("teaches_url"), q.get("revealed", {}).get("teaches_url")) if url]


def test_every_review_link_of_the_replies_and_the_page_leads_to_the_unit_that_teaches_it(good_preview):
    learner = Learner(good_preview)
    replies = []
    for _attempt in range(2):  # the quiz allows two: the second reply also reveals the answers
        if replies:
            assert learner.post("reset", b"{}")[0] == 200
        status, reply = learner.post("submit", json.dumps({"answers": learner.in_my_ids(WRONG)}).encode())
        assert status == 200, reply
        replies.append(json.loads(reply))
    assert any("revealed" in q for q in replies[-1]["questions"])
    page = learner.opener.open(f"{learner.base}/scenario/course.0003/?student={learner.student}").read().decode()
    from_page = re.findall(r'teaches_url\\*"\s*:\s*\\*"([^"\\]+)', page)  # the init data, as JSON text in JSON
    links = [url for reply in replies for url in _teaches_urls(reply)] + from_page
    assert from_page and len(links) > len(from_page)
    for url in set(links):
        assert url.startswith("/scenario/"), url
        with learner.opener.open(f"{learner.base}{url}?student={learner.student}") as response:
            assert response.status == 200
            assert "Activity falls as" in rendered_unit(response.read().decode()), url  # the unit "decay" (teaches: decay)
