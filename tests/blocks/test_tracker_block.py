"""rpt_prereq_tracker on XBlock's TestRuntime through its real handlers: learners log, staff verify
from their own view, nothing a refused request sends changes any field, the trail only grows."""
from __future__ import annotations

import copy
import csv
import io
import json

import pytest
import records_database
from lxml import etree
from webob import Request
from xblock.reference.user_service import UserService, XBlockUser

OLX = '<rpt_prereq_tracker sets="nrc-35-390 astro-au-training-center nrc-35-59-recentness"/>'
CUSTOM_OLX = """<rpt_prereq_tracker display_name="State tracker" sets="nrc-35-396">
  <requirement_set id="state-extra" title="State extra" citation="State rule 1.2" description="An extra rule">
    <requirement id="g3_five" kind="cases" title="Five G3 cases" citation="State rule 1.2(a)" quantity="5" unit="cases" category="G3"/>
  </requirement_set>
</rpt_prereq_tracker>"""


def case(reference="LU-2026-001", category="G3", activity="7.4 GBq", **extra):
    return {"kind": "case", "fields": {"date": "2026-10-01", "category": category, "radiopharmaceutical": "Lu-177 dotatate",
                                       "activity": activity, "supervising_au": "Preceptor AU", "case_reference": reference,
                                       "notes": "", **extra}}


DIDACTIC = {"kind": "didactic", "fields": {"provider": "Training center", "start": "2026-01-05", "end": "2026-03-27",
                                           "hours": {"physics_instrumentation": 60, "radiation_protection": 50,
                                                     "mathematics": 30, "chemistry": 20, "radiation_biology": 40},
                                           "certificate": "TC-001"}}


class Users(UserService):
    """The LMS's user service as the tracker reads it: username, course-team flag, course role
    (`user_role`: "instructor" is the course Admin) and full name (the profile name)."""

    def __init__(self, runtime):
        super().__init__()
        self.runtime, self.roles, self.names = runtime, {}, {}

    def get_current_user(self):
        uid = self.runtime.user_id
        user = XBlockUser(is_current_user=True, emails=[], full_name=self.names.get(uid))
        user.opt_attrs.update({"edx-platform.username": uid, "edx-platform.user_is_staff": self.runtime.user_is_staff,
                               "edx-platform.user_role": self.roles.get(uid, "student")})
        return user


class Tracker:
    """One tracker usage seen by several users of one runtime (user state per user, summary shared)."""

    def __init__(self, runtime, olx=OLX):
        self.runtime = runtime
        self.usage = runtime.parse_xml_string(olx)
        self.users = runtime._services["user"] = Users(runtime)

    def as_user(self, user_id, staff=False, role=None, full_name=None):
        """`user_id` as the current user; staff are a course Admin ("instructor") unless `role` says
        otherwise ("staff": course Staff)."""
        self.runtime.user_id = user_id
        self.runtime.user_is_staff = staff
        self.users.roles[user_id] = role or ("instructor" if staff else "student")
        if full_name is not None:
            self.users.names[user_id] = full_name
        return self.runtime.get_block(self.usage)


def call(block, handler, payload):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = block.handle(handler, Request.blank("/", method="POST", body=body))
    return response.status_code, json.loads(response.body)


def fields_of(block):
    """The block's fields and every records row: what a refused request must leave as it was."""
    return {"fields": {name: copy.deepcopy(getattr(block, name)) for name in ("display_name", "sets", "custom_sets")},
            "records": records_database.snapshot()}


@pytest.fixture
def tracker(runtime):
    return Tracker(runtime)


def test_a_learner_logs_entries_and_sees_them_awaiting_verification(tracker):
    learner = tracker.as_user("learner-1")
    assert call(learner, "add_entry", DIDACTIC)[0] == 200
    status, state = call(learner, "add_entry", case(activity="200 mCi"))
    assert status == 200
    assert [(e["id"], e["kind"], e["status"]) for e in state["entries"]] == [("e1", "didactic", "pending"), ("e2", "case", "pending")]
    assert state["entries"][1]["fields"]["activity_mbq"] == 7400.0
    classroom = next(r for r in state["progress"]["requirements"] if r["requirement_id"] == "classroom_hours")
    assert (classroom["have_verified"], classroom["have_total"], classroom["status"]) == (0, 200, "awaiting_verification")
    assert [e["action"] for e in state["audit"]] == ["added", "added"]
    assert state["staff"] is False and "review" not in state


@pytest.mark.parametrize("payload, field", [
    (case(reference="John Smith"), "case_reference"),
    (case(reference="MRN 12345678"), "case_reference"),
    (case(notes="DOB 03/14/1961"), "notes"),
    (case(reference="123-45-6789"), "case_reference"),
    (case(activity="5 Gy"), "activity"),
    ({"kind": "case", "fields": []}, None),
    ({"kind": "nonsense", "fields": {}}, "kind"),
    ({"kind": "didactic", "fields": {**DIDACTIC["fields"], "hours": {"physics_instrumentation": True}}}, "hours.physics_instrumentation"),
])
def test_refused_entries_get_a_400_naming_the_field_and_change_nothing(tracker, payload, field):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case())
    before = fields_of(learner)
    status, reply = call(learner, "add_entry", payload)
    assert status == 400 and reply["error"]
    assert reply.get("field") == field
    assert fields_of(learner) == before


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", json.dumps({"kind": "case", "fields": "x" * 70000}).encode()])
def test_malformed_requests_are_refused_before_the_block_runs(tracker, body):
    learner = tracker.as_user("learner-1")
    before = fields_of(learner)
    status, _reply = call(learner, "add_entry", body)
    assert status in (400, 413)
    assert fields_of(learner) == before


def test_a_learner_cannot_verify_and_the_attempt_changes_nothing(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case())
    before = fields_of(learner)
    status, reply = call(learner, "review_entry", {"learner": "learner-1", "entry": "e1", "decision": "verified"})
    assert status == 403 and "staff" in reply["error"]
    assert fields_of(learner) == before


def test_staff_verify_from_their_own_view_and_the_learner_sees_it(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case(preceptor="Preceptor"))
    staff = tracker.as_user("preceptor", staff=True, role="staff")
    status, state = call(staff, "state", {})
    assert status == 200
    (pending,) = state["review"]["pending"]
    assert pending["learner"] == "learner-1" and [e["id"] for e in pending["entries"]] == ["e1"]
    status, state = call(staff, "review_entry", {"learner": "learner-1", "entry": "e1", "decision": "verified",
                                                 "comment": "Seen <b>in clinic</b>"})
    assert status == 200 and state["review"]["pending"] == []

    learner = tracker.as_user("learner-1")
    _status, state = call(learner, "state", {})
    entry = state["entries"][0]
    assert entry["status"] == "verified" and entry["review"] == {"by": "preceptor", "at": entry["review"]["at"],
                                                                 "comment": "Seen in clinic"}
    assert [(e["action"], e["by"]) for e in state["audit"]] == [("added", "learner-1"), ("verified", "preceptor")]
    g3 = next(r for r in state["progress"]["requirements"] if r["requirement_id"] == "cases_g3")
    assert g3["have_verified"] == 1


def test_staff_cannot_verify_their_own_entries(tracker):
    staff = tracker.as_user("preceptor", staff=True)
    call(staff, "add_entry", case())
    before = fields_of(staff)
    status, reply = call(staff, "review_entry", {"learner": "preceptor", "entry": "e1", "decision": "verified"})
    assert status == 403 and "own" in reply["error"]
    assert fields_of(staff) == before


@pytest.mark.parametrize("payload, status", [
    ({"learner": "learner-1", "entry": "e1", "decision": "rejected", "comment": ""}, 400),  # a rejection needs a reason
    ({"learner": "learner-1", "entry": "e1", "decision": "approve"}, 400),
    ({"learner": "learner-1", "entry": "e9", "decision": "verified"}, 404),
    ({"learner": "nobody", "entry": "e1", "decision": "verified"}, 404),
    ({"learner": ["learner-1"], "entry": "e1", "decision": "verified"}, 404),
    ({"learner": "learner-1", "entry": "e1", "decision": "verified", "comment": "x" * 501}, 400),
    ({"learner": "learner-1", "entry": "e1", "decision": "verified", "comment": 5}, 400),
])
def test_bad_reviews_are_refused_and_change_nothing(tracker, payload, status):
    call(tracker.as_user("learner-1"), "add_entry", case())
    staff = tracker.as_user("preceptor", staff=True)
    before = fields_of(staff)
    assert call(staff, "review_entry", payload)[0] == status
    assert fields_of(staff) == before


def test_the_trail_only_grows_and_a_delete_is_soft(tracker):
    learner = tracker.as_user("learner-1")
    trails = []
    for handler, payload in [("add_entry", case()), ("add_entry", case(reference="LU-2026-002")),
                             ("set_plan", {"application_date": "2027-06-01", "categories": ["G3"]}),
                             ("delete_entry", {"entry": "e1"})]:
        status, state = call(learner, handler, payload)
        assert status == 200
        trails.append(state["audit"])
    for shorter, longer in zip(trails, trails[1:]):
        assert longer[:len(shorter)] == shorter and len(longer) == len(shorter) + 1
    assert state["entries"][0]["deleted"] is True and state["entries"][0]["fields"]["case_reference"] == "LU-2026-001"
    assert [e["action"] for e in state["audit"]] == ["added", "added", "plan", "deleted"]
    _status, staff_state = call(tracker.as_user("preceptor", staff=True), "state", {})
    assert [e["id"] for p in staff_state["review"]["pending"] for e in p["entries"]] == ["e2"], \
        "deleted entries leave the queue"
    assert call(learner, "delete_entry", {"entry": "e1"})[0] == 404, "an entry is deleted once"

def test_a_decision_reaches_the_learner_at_once_and_leaves_the_queue(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case())
    call(learner, "add_entry", case(reference="LU-2026-002"))
    staff = tracker.as_user("preceptor", staff=True)
    _status, state = call(staff, "review_entry", {"learner": "learner-1", "entry": "e1", "decision": "rejected",
                                                  "comment": "Wrong date"})
    assert [e["id"] for p in state["review"]["pending"] for e in p["entries"]] == ["e2"]
    _status, state = call(staff, "review_entry", {"learner": "learner-1", "entry": "e2", "decision": "verified"})
    assert state["review"]["pending"] == [] and state["review"]["total"] == 0
    assert call(staff, "review_entry", {"learner": "learner-1", "entry": "e2", "decision": "rejected",
                                        "comment": "again"})[0] == 404, "one decision per entry"

    learner = tracker.as_user("learner-1")
    assert "Wrong date" in learner.render("student_view", {}).content
    _status, state = call(learner, "state", {})
    assert [(e["id"], e["status"]) for e in state["entries"]] == [("e1", "rejected"), ("e2", "verified")]
    assert [(e["action"], e.get("entry"), e["by"]) for e in state["audit"] if e["action"] in ("rejected", "verified")] == \
        [("rejected", "e1", "preceptor"), ("verified", "e2", "preceptor")]

def test_the_queue_is_a_paginated_query_filterable_by_supervising_au(tracker, monkeypatch):
    from rpt_xblocks.tracker import block as tracker_block
    monkeypatch.setattr(tracker_block, "QUEUE_PAGE", 4)
    for n in range(1, 6):
        learner = tracker.as_user(f"learner-{n}")
        for reference in range(2):
            call(learner, "add_entry", case(reference=f"LU-2026-{n}{reference:02d}", supervising_au=f"Dr AU {n % 2}"))
    staff = tracker.as_user("preceptor", staff=True)
    _status, state = call(staff, "state", {})
    review = state["review"]
    assert (review["total"], review["pages"], review["page"]) == (10, 3, 1)
    assert review["supervising_aus"] == ["Dr AU 0", "Dr AU 1"]
    seen = []
    for page in (1, 2, 3):
        _status, state = call(staff, "state", {"page": page})
        seen += [(p["learner"], e["id"]) for p in state["review"]["pending"] for e in p["entries"]]
    assert len(seen) == len(set(seen)) == 10, "every waiting entry on exactly one page"
    _status, state = call(staff, "state", {"supervising_au": "Dr AU 0"})
    assert state["review"]["total"] == 4
    assert {p["learner"] for p in state["review"]["pending"]} == {"learner-2", "learner-4"}
    assert call(staff, "state", {"page": 0})[0] == 400 and call(staff, "state", {"supervising_au": 7})[0] == 400

def test_counts_for_staff_are_numbers_only(tracker):
    for learner_id, cases in (("learner-1", 3), ("learner-2", 2)):
        learner = tracker.as_user(learner_id)
        call(learner, "set_plan", {"application_date": "2027-06-01", "categories": ["G3"]})
        for n in range(cases):
            call(learner, "add_entry", case(reference=f"LU-2026-{learner_id[-1]}{n:02d}"))
    staff = tracker.as_user("preceptor", staff=True)
    for learner_id, cases in (("learner-1", 3), ("learner-2", 2)):
        for n in range(cases):
            assert call(staff, "review_entry", {"learner": learner_id, "entry": f"e{n + 1}", "decision": "verified"})[0] == 200
    _status, state = call(staff, "state", {})
    assert state["review"]["counts"]["nrc-35-390:cases_g3"] == 1 and state["review"]["learners"] == 2
    learner_page = tracker.as_user("learner-2").render("student_view", {}).content
    assert "learner-1" not in learner_page and "LU-2026-1" not in learner_page, "no other learner's details"


def test_one_csv_holds_every_live_entry_with_status_and_defuses_formulas(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", case(reference="LU-2026-001"))
    call(learner, "add_entry", case(reference="LU-2026-002", category="G1", activity="30 mCi",
                                    notes="=HYPERLINK(1)"))
    call(learner, "add_entry", case(reference="LU-2026-003"))
    call(learner, "delete_entry", {"entry": "e3"})
    call(learner, "add_entry", DIDACTIC)
    call(learner, "add_entry", {"kind": "work", "fields": {"item": "C", "date": "2026-09-01", "hours": 8,
                                                          "supervising_au": "@Dr AU", "site": "Clinic", "description": ""}})
    call(learner, "add_entry", {"kind": "declaration", "fields": {"requirement": "astro_membership", "date": "2026-01-05",
                                                                 "reference": "+1 member"}})
    call(tracker.as_user("learner-2"), "add_entry", case(reference="LU-2026-999"))
    learner = tracker.as_user("learner-1")
    response = learner.handle("records_csv", Request.blank("/"))
    assert response.status_code == 200 and response.content_type == "text/csv"
    assert "training-records.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))
    assert [(r["Section"], r["Entry"]) for r in rows] == [
        ("Classroom and laboratory training", "e4"), ("Supervised work experience", "e5"), ("Clinical case", "e1"),
        ("Clinical case", "e2"), ("Declaration", "e6")], "every kind, live entries only, this learner's only"
    didactic, work, _case1, case2, declaration = rows
    assert (didactic["Date"], didactic["Last day"], didactic["Hours"], didactic["Hours: Radiation biology"]) == \
        ("2026-01-05", "2026-03-27", "200", "40")
    assert work["Category, item or requirement"].startswith("C: Calculating") and work["Hours"] == "8"
    assert work["Supervising Authorized User"] == "'@Dr AU"
    assert (case2["Category, item or requirement"][:4], case2["Administered activity"], case2["Activity (MBq)"]) == \
        ("G1: ", "30 mCi", "1110")
    assert case2["Notes"] == "'=HYPERLINK(1)" and case2["Status"] == "Awaiting verification"
    assert declaration["Reference"] == "'+1 member" and declaration["Category, item or requirement"]
    assert "LU-2026-999" not in response.body.decode("utf-8")
    assert learner.handle("records_csv", Request.blank("/", method="POST")).status_code == 405


def test_printable_summary_has_the_313a_training_sections_and_escapes_text(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "add_entry", DIDACTIC)
    call(learner, "add_entry", case(notes="<script>alert(1)</script> cycle 2"))
    call(learner, "add_entry", {"kind": "work", "fields": {"item": "C", "date": "2026-09-01", "hours": 8,
                                                          "supervising_au": "Preceptor <i>AU</i>", "site": "Clinic",
                                                          "description": ""}})
    response = learner.handle("printable_summary", Request.blank("/"))
    page = response.body.decode("utf-8")
    assert response.status_code == 200 and "default-src 'none'" in response.headers["Content-Security-Policy"]
    tree = etree.fromstring(page.split("\n", 1)[1], etree.HTMLParser())
    headings = [h.text for h in tree.iter("h2")]
    assert headings == ["1. Classroom and laboratory training", "2. Supervised work experience",
                        "3. Administrations (clinical cases)", "4. Progress against the requirements",
                        "5. Preceptor attestation"]
    assert not list(tree.iter("script")) and "<i>" not in page
    total_row = [td.text for td in list(next(tree.iter("table")).iter("tr"))[-1].iter("td")]
    assert total_row[:8] == ["Total (not rejected)", None, "60", "50", "30", "20", "40", "200"]
    assert "NRC Form 313A(AUT)" in page


def test_plan_is_checked(tracker):
    learner = tracker.as_user("learner-1")
    before = fields_of(learner)
    for plan in ({"application_date": "2020-01-01"}, {"application_date": "tomorrow"}, {"categories": ["G9"]},
                 {"categories": "G3"}, {"other": 1}):
        status, reply = call(learner, "set_plan", plan)
        assert status == 400 and reply["error"], plan
    assert fields_of(learner) == before


def test_completion_follows_the_verified_fraction(runtime, tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "set_plan", {"application_date": "2027-06-01", "categories": ["G3"]})
    call(learner, "add_entry", case())
    completions = [data["completion"] for event, data in runtime.published if event == "completion"]
    assert completions and all(0 <= c <= 1 for c in completions)
    before = completions[-1]
    staff = tracker.as_user("preceptor", staff=True)
    call(staff, "review_entry", {"learner": "learner-1", "entry": "e1", "decision": "verified"})
    call(tracker.as_user("learner-1"), "state", {})
    completions = [data["completion"] for event, data in runtime.published if event == "completion"]
    assert completions[-1] > before


def test_olx_round_trips_with_an_institution_set(runtime):
    tracker = Tracker(runtime, CUSTOM_OLX)
    block = tracker.as_user("learner-1")
    assert block.sets == "nrc-35-396" and block.custom_sets[0]["id"] == "state-extra"
    node = etree.Element("x")
    block.add_xml_to_node(node)
    again = Tracker(runtime, etree.tostring(node, encoding="unicode")).as_user("learner-1")
    assert (again.sets, again.custom_sets, again.display_name) == (block.sets, block.custom_sets, "State tracker")
    _status, state = call(again, "state", {})
    assert any(r["requirement_id"] == "g3_five" and r["need"] == 5 for r in state["progress"]["requirements"])


@pytest.mark.parametrize("olx, words", [
    ('<rpt_prereq_tracker sets="nrc-99"/>', "not a shipped requirement set"),
    ('<rpt_prereq_tracker sets=""/>', "shows no requirement set"),
    ('<rpt_prereq_tracker sets="nrc-35-390"><script/></rpt_prereq_tracker>', "cannot be inside"),
    ('<rpt_prereq_tracker sets="nrc-35-390"><requirement_set id="x" title="X" citation="c">'
     '<requirement id="r" kind="cases" title="R" citation="c" quantity="3" category="G7"/></requirement_set>'
     '</rpt_prereq_tracker>', "G7"),
])
def test_bad_olx_is_refused_with_the_reason(runtime, olx, words):
    with pytest.raises(ValueError, match=words):
        runtime.parse_xml_string(olx)


def test_studio_edits_sets_and_institution_sets_or_saves_nothing(runtime):
    block = Tracker(runtime, CUSTOM_OLX).as_user("author", staff=True)  # studio_submit: authors and staff only
    form = block.render("studio_view", {}).content
    assert 'name="sets"' in form and 'value="nrc-35-396"' in form and "state-extra" in form
    before = (block.display_name, block.sets, copy.deepcopy(block.custom_sets))
    status, reply = call(block, "studio_submit", {"display_name": "T", "sets": "nrc-35-396 nrc-99",
                                                  "content_xml": "<requirement_set id='x'/>"})
    assert status == 400 and any("nrc-99" in p for p in reply["problems"]) and len(reply["problems"]) >= 2
    assert (block.display_name, block.sets, block.custom_sets) == before
    status, reply = call(block, "studio_submit", {"display_name": "Our tracker", "sets": "nrc-35-390 nrc-35-59-recentness",
                                                  "content_xml": ""})
    assert status == 200 and reply == {"saved": True, "sets": 2}
    assert (block.display_name, block.sets, block.custom_sets) == ("Our tracker", "nrc-35-390 nrc-35-59-recentness", [])


def test_the_same_client_id_makes_one_entry_and_different_ids_make_more(tracker):
    learner = tracker.as_user("learner-1")
    payload = {**case(), "client_id": "page-made-id-0001"}
    first = call(learner, "add_entry", payload)
    again = call(learner, "add_entry", payload)
    assert first[0] == again[0] == 200 and first[1]["entries"] == again[1]["entries"]
    assert [e["id"] for e in again[1]["entries"]] == ["e1"]
    _status, state = call(learner, "add_entry", {**case(reference="LU-2026-002"), "client_id": "page-made-id-0002"})
    assert [e["id"] for e in state["entries"]] == ["e1", "e2"]
    assert [e["action"] for e in state["audit"]] == ["added", "added"], "a resend leaves no trace"
    for bad in ("short", "has space in it", 12345678, "x" * 65):
        assert call(learner, "add_entry", {**case(), "client_id": bad})[0] == 400


def test_the_database_refuses_a_second_decision_a_self_decision_and_a_decision_on_nothing(tracker):
    from datetime import datetime, timezone

    from django.db import IntegrityError, transaction

    from rpt_xblocks.records.models import EntryDecision, TrackerEntry

    call(tracker.as_user("learner-1"), "add_entry", case())
    entry = TrackerEntry.objects.get()
    now = datetime.now(timezone.utc)
    EntryDecision.objects.create(entry=entry, learner="learner-1", preceptor="p", decision="verified", at=now)
    for row in (dict(entry=entry, learner="learner-1", preceptor="q", decision="verified", at=now),
                dict(entry_id=entry.pk + 999, learner="learner-1", preceptor="q", decision="verified", at=now),
                dict(entry=entry, learner="learner-1", preceptor="learner-1", decision="verified", at=now)):
        with pytest.raises(IntegrityError), transaction.atomic():
            EntryDecision.objects.filter(entry=entry).delete() if row.get("preceptor") == "learner-1" else None
            EntryDecision.objects.create(**row)

def test_counts_go_down_when_a_learner_no_longer_meets_a_requirement(tracker):
    learner = tracker.as_user("learner-1")
    call(learner, "set_plan", {"application_date": "2027-06-01", "categories": ["G3"]})
    for n in range(3):
        call(learner, "add_entry", case(reference=f"LU-2026-00{n}"))
    staff = tracker.as_user("preceptor", staff=True)
    for entry in ("e1", "e2", "e3"):
        _status, state = call(staff, "review_entry", {"learner": "learner-1", "entry": entry, "decision": "verified"})
    assert state["review"]["counts"]["nrc-35-390:cases_g3"] == 1
    call(tracker.as_user("learner-1"), "delete_entry", {"entry": "e2"})
    _status, state = call(tracker.as_user("preceptor", staff=True), "state", {})
    assert "nrc-35-390:cases_g3" not in state["review"]["counts"] and state["review"]["learners"] == 1
