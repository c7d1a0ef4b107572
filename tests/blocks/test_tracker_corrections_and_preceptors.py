"""rpt_prereq_tracker (issue 17): a rejected entry is corrected by a new entry linked to it, its history
kept; preceptors see the entries naming them and only the named preceptor or a course Admin decides
an entry naming a supervising AU; the summary carries the learner's full name; the page's summary
sentences are plural-aware. Through the real handlers on XBlock's TestRuntime."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.db import IntegrityError, transaction
from lxml import etree
from test_tracker_block import DIDACTIC, Tracker, call, case, fields_of
from webob import Request
from marking_translation import Marking


@pytest.fixture
def tracker(runtime):
    return Tracker(runtime)


def review(staff, learner, entry, decision, comment="", **extra):
    return call(staff, "review_entry", {"learner": learner, "entry": entry, "decision": decision, "comment": comment,
                                        **extra})


def queued(state):
    return [(p["learner"], e["id"]) for p in state["review"]["pending"] for e in p["entries"]]


def rejected_case(tracker, preceptor="pat"):
    """learner-1's case e1 naming `preceptor`, rejected by them (a course Staff member)."""
    call(tracker.as_user("learner-1"), "add_entry", case(preceptor=preceptor))
    status, _state = review(tracker.as_user(preceptor, staff=True, role="staff"), "learner-1", "e1", "rejected",
                            "Wrong date")
    assert status == 200


def test_a_rejected_entry_is_corrected_by_a_new_linked_entry_and_its_history_stays(tracker):
    rejected_case(tracker)
    learner = tracker.as_user("learner-1")
    status, state = call(learner, "add_entry", {**case(preceptor="pat", date="2026-10-02"), "corrects": "e1"})
    assert status == 200
    first, correction = state["entries"]
    assert (first["status"], first["corrected_by"], first["fields"]["date"]) == ("rejected", "e2", "2026-10-01")
    assert (correction["status"], correction["corrects"]) == ("pending", "e1")
    assert [(e["action"], e.get("entry")) for e in state["audit"]] == [("added", "e1"), ("rejected", "e1"),
                                                                       ("added", "e2")]
    assert state["summary"]["rejected_open"] == 0 and state["summary"]["awaiting"] == 1

    _status, state = call(tracker.as_user("pat", staff=True, role="staff"), "state", {})
    (pending,) = state["review"]["pending"]
    (entry,) = pending["entries"]
    assert (entry["id"], entry["corrects"], entry["may_decide"]) == ("e2", "e1", True), "the correction awaits"
    status, state = review(tracker.as_user("pat", staff=True, role="staff"), "learner-1", "e2", "verified")
    assert status == 200 and state["review"]["pending"] == []
    _status, state = call(tracker.as_user("learner-1"), "state", {})
    assert [(e["id"], e["status"]) for e in state["entries"]] == [("e1", "rejected"), ("e2", "verified")]


@pytest.mark.parametrize("payload, status", [
    ({**case(preceptor="pat"), "corrects": "e2"}, 409),          # e2 is pending, not rejected
    ({**case(preceptor="pat"), "corrects": "e9"}, 409),          # no such entry
    ({**DIDACTIC, "corrects": "e1"}, 409),                        # a correction keeps the kind
    ({**case(preceptor="pat"), "corrects": "1"}, 400),
    ({**case(preceptor="pat"), "corrects": ["e1"]}, 400),
])
def test_only_a_live_rejected_entry_can_be_corrected_and_a_refusal_writes_nothing(tracker, payload, status):
    rejected_case(tracker)
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case(reference="LU-2026-002"))
    before = fields_of(learner)
    answer, reply = call(learner, "add_entry", payload)
    assert answer == status and reply["error"]
    assert fields_of(learner) == before


def test_a_rejected_entry_is_corrected_once_and_a_deleted_one_not_at_all(tracker):
    rejected_case(tracker)
    learner = tracker.as_user("learner-1")
    assert call(learner, "add_entry", {**case(preceptor="pat"), "corrects": "e1"})[0] == 200
    before = fields_of(learner)
    status, reply = call(learner, "add_entry", {**case(preceptor="pat", reference="LU-2026-009"), "corrects": "e1"})
    assert status == 409 and "corrected already" in reply["error"] and fields_of(learner) == before
    call(learner, "add_entry", case(preceptor="pat", reference="LU-2026-003"))
    review(tracker.as_user("pat", staff=True, role="staff"), "learner-1", "e3", "rejected", "No")
    learner = tracker.as_user("learner-1")
    call(learner, "delete_entry", {"entry": "e3"})
    assert call(learner, "add_entry", {**case(preceptor="pat"), "corrects": "e3"})[0] == 409


def test_the_database_refuses_a_second_correction_and_a_correction_of_an_entry_not_rejected(tracker):
    from rpt_xblocks.records.models import EntryDecision, TrackerEntry

    rejected_case(tracker)
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", {**case(preceptor="pat"), "corrects": "e1"})
    call(learner, "add_entry", case(reference="LU-2026-003"))
    e1, e2, e3 = TrackerEntry.objects.order_by("number")
    assert e2.corrects_id == e1.pk and EntryDecision.objects.get(entry=e1).rejected_entry == e1.pk

    def another(**link):
        number = TrackerEntry.objects.count() + 1
        return TrackerEntry(block=e1.block, owner=e1.owner, number=number, seq=100 + number, by="x",
                            client_id=f"direct-{number:04d}", kind="case", fields={}, created=e1.created, **link)

    for link in ({"corrects_id": e1.pk},    # a second correction of e1
                 {"corrects_id": e3.pk},    # e3 has no decision
                 {"corrects_id": e2.pk}):   # e2 is pending
        with pytest.raises(IntegrityError), transaction.atomic():
            another(**link).save(force_insert=True)
    review(tracker.as_user("pat", staff=True, role="staff"), "learner-1", "e2", "verified")
    with pytest.raises(IntegrityError), transaction.atomic():
        another(corrects_id=e2.pk).save(force_insert=True)    # e2 is verified
    now = datetime.now(timezone.utc)
    for wrong in ({"decision": "verified", "rejected_entry": e3.pk}, {"decision": "rejected", "rejected_entry": None},
                  {"decision": "rejected", "rejected_entry": e1.pk}):
        with pytest.raises(IntegrityError), transaction.atomic():
            EntryDecision.objects.create(entry=e3, learner="learner-1", preceptor="q", at=now, **wrong)


def test_a_preceptor_sees_the_entries_naming_them_and_course_staff_see_all(tracker):
    call(tracker.as_user("learner-1"), "add_entry", case(preceptor="Pat"))
    call(tracker.as_user("learner-2"), "add_entry", case(preceptor="sam"))
    call(tracker.as_user("learner-2"), "add_entry", DIDACTIC)
    pat = tracker.as_user("pat", staff=True, role="staff")
    _status, state = call(pat, "state", {})
    assert state["review"]["queue"] == "mine" and queued(state) == [("learner-1", "e1")]
    assert state["review"]["total_text"] == "Page 1 of 1: 1 entry waiting"
    _status, state = call(pat, "state", {"queue": "all"})
    assert queued(state) == [("learner-1", "e1"), ("learner-2", "e1"), ("learner-2", "e2")]
    assert [e["may_decide"] for p in state["review"]["pending"] for e in p["entries"]] == [True, False, True]
    assert state["review"]["total_text"] == "Page 1 of 1: 3 entries waiting"
    _status, state = call(tracker.as_user("dana", staff=True), "state", {})
    assert state["review"]["queue"] == "all" and len(queued(state)) == 3, "a course Admin starts on every entry"
    assert call(pat, "state", {"queue": "others"})[0] == 400
    assert call(tracker.as_user("learner-1"), "state", {"queue": "all"})[1].get("review") is None


def test_only_the_named_preceptor_or_a_course_admin_decides_an_entry_naming_an_au(tracker):
    call(tracker.as_user("learner-1"), "add_entry", case(preceptor="pat"))
    call(tracker.as_user("learner-1"), "add_entry", case(reference="LU-2026-002"))      # names no username
    call(tracker.as_user("learner-1"), "add_entry", DIDACTIC)                          # names no AU at all
    sam = tracker.as_user("sam", staff=True, role="staff")
    before = fields_of(sam)
    for entry in ("e1", "e2"):
        status, reply = review(sam, "learner-1", entry, "verified")
        assert status == 403 and "names another supervising Authorized User" in reply["error"]
    assert fields_of(sam) == before, "a refused decision writes nothing"
    assert review(sam, "learner-1", "e3", "verified")[0] == 200, "classroom training: any course-team member"
    assert review(tracker.as_user("pat", staff=True, role="staff"), "learner-1", "e1", "verified")[0] == 200
    status, _state = review(tracker.as_user("dana", staff=True), "learner-1", "e2", "rejected", "Which AU?")
    assert status == 200, "a course Admin may decide any entry"
    _status, state = call(tracker.as_user("learner-1"), "state", {})
    assert [bool((e["review"] or {}).get("override")) for e in state["entries"]] == [False, True, False]
    assert [e.get("override") for e in state["audit"] if e["action"] in ("verified", "rejected")] == [None, None, True]
    not_staff = tracker.as_user("pat")  # the named username without the course-team role
    call(tracker.as_user("learner-2"), "add_entry", case(preceptor="pat"))
    assert review(tracker.as_user("pat"), "learner-2", "e1", "verified")[0] == 403
    assert not_staff.is_staff() is False


def test_a_named_preceptor_who_is_global_staff_or_admin_is_not_marked_as_an_override(tracker):
    call(tracker.as_user("learner-1"), "add_entry", case(preceptor="dana"))
    assert review(tracker.as_user("dana", staff=True), "learner-1", "e1", "verified")[0] == 200
    _status, state = call(tracker.as_user("learner-1"), "state", {})
    assert "override" not in state["entries"][0]["review"]


def test_a_bad_preceptor_username_is_refused_at_its_field(tracker):
    learner = tracker.as_user("learner-1")
    status, reply = call(learner, "add_entry", case(preceptor="Dr Pat Jones"))
    assert status == 400 and reply["field"] == "preceptor"
    status, state = call(learner, "add_entry", case(preceptor="  "))
    assert status == 200 and "preceptor" not in state["entries"][0]["fields"]


def test_the_summary_and_the_queue_show_the_learners_full_name(tracker):
    learner = tracker.as_user("learner-1", full_name="Jane  Q. Roe")
    call(learner, "add_entry", DIDACTIC)
    page = learner.handle("printable_summary", Request.blank("/")).body.decode("utf-8")
    tree = etree.fromstring(page.split("\n", 1)[1], etree.HTMLParser())
    facts = dict(zip([d.text for d in tree.iter("dt")], [d.text for d in tree.iter("dd")]))
    assert facts["Learner"] == "Jane Q. Roe" and "learner-1" not in page
    _status, state = call(tracker.as_user("dana", staff=True), "state", {})
    assert state["review"]["pending"][0]["name"] == "Jane Q. Roe (learner-1)"

    nameless = tracker.as_user("learner-2", full_name="")
    page = nameless.handle("printable_summary", Request.blank("/")).body.decode("utf-8")
    assert "learner-2 (username: your profile has no full name; add it in your account settings)" in page


def test_the_progress_summary_counts_in_sentences(tracker):
    learner = tracker.as_user("learner-1")
    _status, state = call(learner, "add_entry", case())
    summary = state["summary"]
    assert summary["sentences"][1] == "1 entry is awaiting verification."
    assert summary["sentences"][0] == f"{summary['met']} of {summary['applicable']} requirements met."
    _status, state = call(learner, "add_entry", case(reference="LU-2026-002"))
    assert state["summary"]["sentences"][1] == "2 entries are awaiting verification."
    review(tracker.as_user("dana", staff=True), "learner-1", "e1", "rejected", "No")
    _status, state = call(tracker.as_user("learner-1"), "state", {})
    assert state["summary"]["sentences"][1:] == ["1 entry is awaiting verification.",
                                                 "1 rejected entry can be corrected and sent again."]


def test_the_new_texts_go_through_the_i18n_service(runtime, tracker):
    runtime._services["i18n"] = Marking()  # TestRuntime keeps its services in this mapping
    learner = tracker.as_user("learner-1")
    _status, state = call(learner, "add_entry", case())
    assert all(s.startswith("«") for s in state["summary"]["sentences"])
    _status, state = call(tracker.as_user("dana", staff=True), "state", {})
    assert state["review"]["total_text"].startswith("«Page 1 of 1: 1 entry waiting")
    status, reply = call(tracker.as_user("learner-1"), "add_entry", {**case(), "corrects": "e1"})
    assert status == 409 and reply["error"].startswith("«Only a rejected entry")
    page = tracker.as_user("learner-1").render("student_view", {}).content
    assert "u00abCorrect {entry}" in page and "u00abYour progress" in page  # « as JSON escapes it
    body = tracker.as_user("learner-1").handle("records_csv", Request.blank("/")).body.decode("utf-8")
    assert body.startswith("«Section»,«Entry»") and "«Clinical case»" in body
