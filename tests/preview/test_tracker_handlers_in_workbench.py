"""The tracker's handlers through the real workbench (Django, CSRF, the preview's user service):
CSRF is enforced, only staff review, refusals keep the learner's record, exports download."""
from __future__ import annotations

import csv
import io
import json

from workbench_client import WorkbenchUser

UNIT, TAG = "/scenario/course.0004/", "rpt_prereq_tracker"
CASE = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Ra-223 dichloride",
                                   "activity": "3.85 MBq", "supervising_au": "Preceptor AU",
                                   "case_reference": "RA-2026-003", "notes": ""}}


def state(user) -> dict:
    status, body = user.post("state", b"{}")
    assert status == 200
    return json.loads(body)


def test_csrf_is_enforced_and_nothing_is_saved_without_it(good_preview):
    learner = WorkbenchUser(good_preview, UNIT, TAG)
    assert learner.post("add_entry", json.dumps(CASE).encode(), with_csrf=False)[0] == 403
    assert state(learner)["entries"] == []


def test_a_learner_review_gets_403_and_staff_review_is_kept(good_preview):
    learner = WorkbenchUser(good_preview, UNIT, TAG)
    assert learner.post("add_entry", json.dumps(CASE).encode())[0] == 200
    review = {"learner": learner.student, "entry": "e1", "decision": "verified", "comment": ""}
    status, body = learner.post("review_entry", json.dumps(review).encode())
    assert status == 403 and json.loads(body)["error"]
    assert state(learner)["entries"][0]["status"] == "pending"

    staff = WorkbenchUser(good_preview, UNIT, TAG, student="staff")
    assert state(staff)["staff"] is True
    status, _body = staff.post("review_entry", json.dumps(review).encode())
    assert status == 200
    assert state(learner)["entries"][0]["status"] == "verified"
    assert state(learner)["staff"] is False and "review" not in state(learner)


def test_hostile_bodies_get_4xx_and_leave_the_record(good_preview):
    learner = WorkbenchUser(good_preview, UNIT, TAG)
    assert learner.post("add_entry", json.dumps(CASE).encode())[0] == 200
    before = state(learner)
    hostile = [b"{", b"[]", b'{"kind": "case"}', json.dumps({**CASE, "fields": {**CASE["fields"], "extra": 1}}).encode(),
               json.dumps({"kind": "case", "fields": {**CASE["fields"], "activity": 1e308}}).encode(),
               json.dumps({"entry": ["e1"]}).encode(), b'{"application_date": "1900-01-01"}']
    for handler, body in zip(["add_entry"] * 5 + ["delete_entry", "set_plan"], hostile):
        status, reply = learner.post(handler, body)
        assert 400 <= status < 500 and json.loads(reply)["error"], (handler, body, status)
    after = state(learner)
    assert after["entries"] == before["entries"] and after["audit"] == before["audit"] and after["plan"] == before["plan"]


def test_the_records_download_as_csv(good_preview):
    learner = WorkbenchUser(good_preview, UNIT, TAG)
    learner.post("add_entry", json.dumps(CASE).encode())
    status, body, headers = learner.get("records_csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    row = next(csv.DictReader(io.StringIO(body.decode())))
    assert (row["Section"], row["Entry"], row["Date"], row["Radiopharmaceutical"], row["Administered activity"],
            row["Activity (MBq)"]) == ("Clinical case", "e1", "2026-10-01", "Ra-223 dichloride", "3.85 MBq", "3.85")
    status, page, headers = learner.get("printable_summary")
    assert status == 200 and b"Training and experience summary" in page and b"RA-2026-003" in page
