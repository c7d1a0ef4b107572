"""Every POST handler of every block refuses a request without the CSRF token (or with a wrong one)
through the real workbench, and changes nothing; with the token the same request gets through.

The handlers are found on the block classes (every method XBlock marks as a handler), so a handler
added later is checked too. tests/preview/ already covers the quiz's `submit` and the tracker's
`add_entry`; this adds the rest, the walkthrough's `check_step` and `hint`, and each block's
`studio_submit` (sent unchanged content, so that even a request let through would change nothing).
"""
from __future__ import annotations

import json
import re
import urllib.request
from html import unescape
from pathlib import Path

import pytest

from rpt_xblocks.dosimetry.block import WalkthroughBlock
from rpt_xblocks.quiz.block import QuizBlock
from rpt_xblocks.tracker.block import TrackerBlock
from workbench_client import WorkbenchUser

UNITS = {"rpt_quiz": ("/scenario/course.0003/", QuizBlock), "rpt_dosimetry": ("/scenario/course.0002/", WalkthroughBlock),
         "rpt_prereq_tracker": ("/scenario/course.0004/", TrackerBlock)}
WRONG_QUIZ = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "quiz_answers.json").read_text("utf-8"))["wrong"]
CASE = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate",
                                   "activity": "200 mCi", "supervising_au": "Preceptor AU",
                                   "case_reference": "LU-2026-014", "notes": ""}}
# A body each handler would accept from this user (None: the handler is a GET download).
BODIES = {
    "rpt_quiz": {"state": {}, "submit": {"answers": WRONG_QUIZ}, "reset": {}, "hint": {"question": "public_limit", "index": 0},
                 "item_analysis": {}, "item_analysis_csv": None, "save_draft": {"attempt": 1, "answers": {}},
                 "check": {"question": "public_limit", "answer": "x"}},
    "rpt_dosimetry": {"state": {}, "check_step": {"step": "remaining", "answer": "0.1"},
                      "hint": {"step": "remaining", "index": 0}, "practice": {"round": 1},
                      "practice_check": {"round": 1, "step": "remaining", "answer": "0.1"}},
    "rpt_prereq_tracker": {"state": {}, "add_entry": CASE, "delete_entry": {"entry": "e1"},
                           "set_plan": {"application_date": "2027-06-01", "categories": ["G3"]},
                           "review_entry": {"learner": "someone", "entry": "e1", "decision": "verified", "comment": ""},
                           "records_csv": None, "printable_summary": None},
}
STUDIO_SETTINGS = {
    "rpt_quiz": ("display_name", "max_attempts", "show_answer", "show_correctness", "grading_method", "weight", "draw",
                 "shuffle_choices", "allow_check", "max_checks"),
    "rpt_dosimetry": ("display_name", "step_attempts", "weight"),
    "rpt_prereq_tracker": ("display_name", "sets"),
}


def handlers(block_class) -> set[str]:
    """The block's named handlers (not `fallback_handler`, which answers 404 to names it lacks)."""
    return {name for name in dir(block_class) if getattr(getattr(block_class, name), "_is_xblock_handler", False)} \
        - {"fallback_handler"}


def test_every_handler_has_a_request_here():
    """When a block gains a handler, this suite must learn how to call it."""
    for tag, (_unit, block_class) in UNITS.items():
        assert handlers(block_class) == set(BODIES[tag]) | {"studio_submit"}, tag


def _post(user, handler: str, body: bytes, token: str | None):
    headers = {"Content-Type": "application/json", "Referer": user.base + "/"}
    if token is not None:
        headers["X-CSRFToken"] = token
    request = urllib.request.Request(f"{user.base}/handler/{user.usage}/{handler}/?student={user.student}", data=body,
                                     headers=headers, method="POST")
    status, reply, _headers = user._open(request)
    return status, reply


def _state(user) -> dict:
    status, body = user.post("state", b"{}")
    assert status == 200
    return json.loads(body)


def _studio_body(user, tag: str) -> bytes:
    """The block's current settings and content, as the Studio editor would send them unchanged."""
    page = user.opener.open(f"{user.base}{UNITS[tag][0]}studio_view/?student={user.student}").read().decode()
    data = {}
    for name in STUDIO_SETTINGS[tag]:
        control = re.search(rf'<(input|select)[^>]*id="rpt-[a-z]+-{name}"[^>]*>(.*?</select>)?', page, re.S).group(0)
        if 'type="checkbox"' in control:
            data[name] = " checked" in control
        elif control.startswith("<select"):
            data[name] = unescape(re.search(r'<option value="([^"]*)" selected', control).group(1))
        else:
            value = unescape(re.search(r'value="([^"]*)"', control).group(1))
            data[name] = value if 'type="text"' in control else int(value) if re.fullmatch(r"-?\d+", value) else float(value)
    data["content_xml"] = unescape(re.search(r'<textarea id="rpt-[a-z]+-content"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    return json.dumps(data).encode()


@pytest.mark.parametrize("token", ["missing", "wrong"])
@pytest.mark.parametrize("tag", list(UNITS))
def test_every_post_handler_refuses_a_request_without_the_csrf_token(good_preview, tag, token):
    unit, block_class = UNITS[tag]
    user = WorkbenchUser(good_preview, unit, tag)
    staff = WorkbenchUser(good_preview, unit, tag, student="staff")
    before = (_state(user), _state(staff))
    sent = None if token == "missing" else "x" * 32
    for handler in sorted(handlers(block_class)):
        body = _studio_body(user, tag) if handler == "studio_submit" else json.dumps(BODIES[tag][handler] or {}).encode()
        for who in (user, staff):
            status, reply = _post(who, handler, body, sent)
            assert status == 403, (tag, handler, who.student, status, reply[:200])
            assert b"CSRF" in reply, "refused by the CSRF check, before the block"
    assert (_state(user), _state(staff)) == before, "nothing changed"


@pytest.mark.parametrize("tag", list(UNITS))
def test_with_the_token_the_same_requests_reach_the_block(good_preview, tag):
    """Control: the 403s above come from the missing token, not from the requests."""
    unit, block_class = UNITS[tag]
    user = WorkbenchUser(good_preview, unit, tag)
    for handler in sorted(handlers(block_class)):
        if handler == "studio_submit":  # a save would change the shared course: send a body it refuses
            status, reply = user.post(handler, b"{")
            assert status == 400 and json.loads(reply)["error"], (tag, handler)
            continue
        if BODIES[tag][handler] is None:  # a GET download: POST is refused by the block itself
            status, _reply = user.post(handler, b"{}")
            assert status == 405, (tag, handler)
            continue
        status, reply = user.post(handler, json.dumps(BODIES[tag][handler]).encode())
        assert status not in (403, 404, 500) or handler in ("item_analysis", "review_entry", "delete_entry", "check"), (
            tag, handler, status, reply[:200])
        if status == 403:
            assert b"CSRF" not in reply, "refused by the block (staff only), not by the CSRF check"
