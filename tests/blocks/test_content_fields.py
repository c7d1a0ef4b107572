"""The fields never changed in place (`rpt_xblocks.content_fields`): XBlock does not track reads of
them, so no view or handler may change their values in place.

- Author content the blocks only read: each block here is served every view and handler (successful
  requests and refusals, as a learner and as staff) on a runtime whose stored content is the very
  object the fields hand out; afterwards it must equal a copy taken before, in the store and as the
  block reads it.
- The tracker's block-wide learner records (review queue and log), which handlers replace: before
  each view or request, the values the block reads (the stored objects themselves) are copied; after
  it, those same objects must still equal their copies, whatever new values were stored.
- The quiz and the walkthrough keep no learner records in fields at all (their learners' work is
  rows: quiz/submissions.py, dosimetry/attempts.py).
"""
from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree
from webob import Request
from xblock.fields import Scope
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from rpt_course.build import build_files
from rpt_xblocks.content_fields import (ContentDict, ContentList, LearnerRecordDict, LearnerRecordList, SharedRecordDict,
                                        SharedRecordList)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ANSWERS = json.loads((FIXTURES / "quiz_answers.json").read_text("utf-8"))
CASE = {"date": "2026-02-20", "category": "G3", "radiopharmaceutical": "Lu-177 dotatate", "activity": "7.4 GBq",
        "supervising_au": "Dr A. Jones", "case_reference": "LU-2026-014", "notes": "cycle 2"}
CALLS = {
    "rpt_quiz": [("state", {}), ("hint", {"question": "public_limit", "index": 0}), ("submit", {"answers": {}}),
                 ("submit", {"answers": ANSWERS["wrong"]}), ("reset", {}), ("submit", {"answers": ANSWERS["right"]}),
                 ("item_analysis", {})],
    "rpt_dosimetry": [("state", {}), ("hint", {"step": "remaining", "index": 0}),
                      ("check_step", {"step": "remaining", "answer": "5 GBq"}),
                      ("check_step", {"step": "remaining", "answer": "0.5"}),
                      ("check_step", {"step": "remaining", "answer": "0.5"}),
                      ("check_step", {"step": "activity", "answer": "3 GBq"}),
                      ("check_step", {"step": "activity", "answer": "3 GBq"})],
    "rpt_prereq_tracker": [("state", {}), ("add_entry", {"kind": "case", "fields": CASE}),
                           ("add_entry", {"kind": "case", "fields": {**CASE, "activity": "7 Gy"}}),
                           ("add_entry", {"kind": "case", "fields": CASE}),
                           ("set_plan", {"application_date": (date.today() + timedelta(days=200)).isoformat(),
                                         "categories": ["G3"]}),
                           ("review_entry", {"learner": "learner", "entry": "e1", "decision": "verified",
                                             "comment": "ok"}),
                           ("delete_entry", {"entry": "e2"})],
}
GET_HANDLERS = {"rpt_prereq_tracker": ["case_log_csv", "printable_summary"]}


def _olx(tag: str) -> str:
    """The fixture course's quiz and tracker as rpt-course builds them (the tracker has its own set), and
    the walkthrough's example."""
    if tag == "rpt_dosimetry":
        example = resources.files("rpt_xblocks.dosimetry").joinpath("scenarios/example.xml").read_text("utf-8")
        return etree.tostring(next(etree.fromstring(example.encode()).iter(tag)), encoding="unicode")
    _course, files = build_files(FIXTURES / "courses" / "good")
    for name, data in sorted(files.items()):
        if name.startswith("course/vertical/"):
            found = next(etree.fromstring(data).iter(tag), None)
            if found is not None:
                return etree.tostring(found, encoding="unicode")
    raise AssertionError(f"the fixture course has no <{tag}>")


def _served(tag: str):
    """(the key-value store, a TestRuntime on it that drops events, the usage of the block `tag`)."""
    store: dict = {}
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore(store))})
    runtime.publish = lambda block, event_type, data: None
    return store, runtime, runtime.parse_xml_string(_olx(tag))


@pytest.mark.parametrize("tag", list(CALLS))
def test_serving_every_view_and_handler_leaves_the_content_fields_as_they_were(tag):
    store, runtime, usage = _served(tag)
    block = runtime.get_block(usage)
    content = {name: field for name, field in block.fields.items() if isinstance(field, (ContentList, ContentDict))}
    assert content and all(field.scope == Scope.content for field in content.values())
    before = {name: copy.deepcopy(getattr(block, name)) for name in content}
    assert all(before.values()), "the OLX fills every content field, so that the handlers have content to read"
    for user, staff in (("learner", False), ("preceptor", True)):
        runtime.user_id, runtime.user_is_staff = user, staff
        block = runtime.get_block(usage)
        for view in ("student_view", "studio_view"):
            block.render(view, {})
        for handler, payload in CALLS[tag]:
            block = runtime.get_block(usage)  # a fresh instance per request, as in the LMS
            block.handle(handler, Request.blank("/", method="POST", body=json.dumps(payload).encode(),
                                                content_type="application/json"))
        for handler in GET_HANDLERS.get(tag, []):
            runtime.get_block(usage).handle(handler, Request.blank("/"))
    block = runtime.get_block(usage)
    assert {name: getattr(block, name) for name in content} == before
    stored = {key.field_name: value for key, value in store.items() if key.field_name in content}
    assert stored == before


# Every tracker view and handler, accepted and refused: (user, staff, name, method, payload, expected status);
# a view has status None. "learner" logs first, the preceptor logs too (so the queue holds two learners),
# decides on the learner's entries, then the learner reads the decisions.
PLAN = {"application_date": (date.today() + timedelta(days=200)).isoformat(), "categories": ["G3"]}
LEARNER_REQUESTS = [
    ("student_view", None, None, None), ("studio_view", None, None, None),
    ("state", "POST", {}, 200),
    ("add_entry", "POST", {"kind": "case", "fields": CASE}, 200),
    ("add_entry", "POST", {"kind": "case", "fields": {**CASE, "case_reference": "LU-2026-015"}}, 200),
    ("add_entry", "POST", {"kind": "case", "fields": {**CASE, "activity": "7 Gy"}}, 400),
    ("add_entry", "POST", {"kind": "nonsense"}, 400),
    ("add_entry", "POST", {"kind": "case", "fields": CASE}, 200),
    ("set_plan", "POST", PLAN, 200),
    ("set_plan", "POST", {**PLAN, "categories": ["nonsense"]}, 400),
    ("delete_entry", "POST", {"entry": "e3"}, 200),
    ("delete_entry", "POST", {"entry": "e3"}, 404),
    ("review_entry", "POST", {"learner": "preceptor", "entry": "e1", "decision": "verified", "comment": ""}, 403),
    ("case_log_csv", "GET", None, 200), ("printable_summary", "GET", None, 200),
    ("case_log_csv", "POST", None, 405),
]
STAFF_REQUESTS = [
    ("review_entry", "POST", {"learner": "learner", "entry": "e1", "decision": "verified", "comment": "ok"}, 200),
    ("review_entry", "POST", {"learner": "learner", "entry": "e2", "decision": "rejected", "comment": ""}, 400),
    ("review_entry", "POST", {"learner": "learner", "entry": "e2", "decision": "maybe", "comment": "?"}, 400),
    ("review_entry", "POST", {"learner": "learner", "entry": "e2", "decision": "rejected", "comment": "no"}, 200),
    ("review_entry", "POST", {"learner": "learner", "entry": "e2", "decision": "verified", "comment": ""}, 404),
    ("review_entry", "POST", {"learner": "learner", "entry": "e3", "decision": "verified", "comment": ""}, 404),
    ("review_entry", "POST", {"learner": "preceptor", "entry": "e1", "decision": "verified", "comment": ""}, 403),
    ("student_view", None, None, None), ("state", "POST", {}, 200), ("printable_summary", "GET", None, 200),
]
TRACKER_REQUESTS = ([("learner", False, *request) for request in LEARNER_REQUESTS]
                    + [("preceptor", True, *request) for request in LEARNER_REQUESTS[:10] + STAFF_REQUESTS]
                    + [("learner", False, *request) for request in LEARNER_REQUESTS[:3]])


def test_tracker_views_and_handlers_leave_the_shared_records_they_read_as_they_were():
    store: dict = {}
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore(store))})
    runtime.publish = lambda block, event_type, data: None
    usage = runtime.parse_xml_string(_olx("rpt_prereq_tracker"))
    shared = {name: field for name, field in runtime.get_block(usage).fields.items()
              if isinstance(field, (SharedRecordList, SharedRecordDict))}
    assert set(shared) == {"review_queue", "review_counts", "review_log"}
    assert all(field.scope == Scope.user_state_summary for field in shared.values())
    own = [name for name, field in runtime.get_block(usage).fields.items()
           if isinstance(field, (LearnerRecordList, LearnerRecordDict))]
    assert set(own) == {"entries", "audit", "plan", "decisions", "counted_met"}
    replaced = set()
    for user, staff, name, method, payload, status in TRACKER_REQUESTS:
        runtime.user_id, runtime.user_is_staff = user, staff
        block = runtime.get_block(usage)  # a fresh instance per request, as in the LMS
        read = {field: getattr(block, field) for field in shared}
        stored = {key.field_name: value for key, value in store.items() if key.field_name in shared}
        assert all(read[field] is value for field, value in stored.items()), "reads hand out the stored object"
        read_own = {field: getattr(block, field) for field in own}
        before, before_own = copy.deepcopy(read), copy.deepcopy(read_own)
        if status is None:
            block.render(name, {})
        else:
            body = b"" if payload is None else json.dumps(payload).encode()
            reply = block.handle(name, Request.blank("/", method=method, body=body, content_type="application/json"))
            assert reply.status_code == status, (user, name, payload, reply.body)
        assert read == before, f"{name} as {user} changed a shared record it read, in place"
        assert read_own == before_own, f"{name} as {user} changed one of the learner's own records in place"
        replaced |= {key.field_name for key, value in store.items()
                     if key.field_name in shared and value is not read[key.field_name]}
    assert replaced == {"review_queue", "review_counts"}, \
        "the requests stored new values of the queue and the counts (the log is written only when converted)"


@pytest.mark.parametrize("tag", ["rpt_quiz", "rpt_dosimetry"])
def test_the_quiz_and_walkthrough_keep_no_learner_state_in_fields(tag):
    _store, runtime, usage = _served(tag)
    block = runtime.get_block(usage)
    scopes = {field.scope for field in block.fields.values()}
    assert not scopes & {Scope.user_state, Scope.user_state_summary, Scope.preferences, Scope.user_info}
    assert not any(isinstance(field, (SharedRecordList, SharedRecordDict, LearnerRecordList, LearnerRecordDict))
                   for field in block.fields.values())


def test_a_saved_shared_record_is_forgotten_not_copied_and_a_later_assignment_is_saved():
    store: dict = {}
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore(store))})
    block = runtime.get_block(runtime.parse_xml_string(_olx("rpt_prereq_tracker")))
    stored = lambda name: next(value for key, value in store.items() if key.field_name == name)  # noqa: E731
    queue, log = {"anon-1": {"name": "one", "entries": [], "plan": {}, "met": []}}, [{"seq": 1}]
    block.review_queue, block.review_log, block.entries = queue, log, [{"id": "e1"}]
    block.save()
    assert stored("review_queue") is queue and stored("review_log") is log
    dirty = {field.name for field in block._dirty_fields}  # pylint: disable=protected-access
    assert not dirty & {"review_queue", "review_log", "entries"}, "no baseline copy is kept of a saved record"
    block.save()
    assert stored("review_queue") is queue, "an unassigned shared record is not written again"
    block.review_queue = {**queue, "anon-2": {"name": "two", "entries": [], "plan": {}, "met": []}}
    block.review_log = [*log, {"seq": 2}]
    block.save()
    assert set(stored("review_queue")) == {"anon-1", "anon-2"} and stored("review_log") == [{"seq": 1}, {"seq": 2}]
    assert runtime.get_block(block.scope_ids.usage_id).review_log == [{"seq": 1}, {"seq": 2}]
