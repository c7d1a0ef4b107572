"""The fields never changed in place (`rpt_xblocks.content_fields`): XBlock does not track reads of
them, so no view or handler may change their values in place.

- Author content the blocks only read: each block here is served every view and handler (successful
  requests and refusals, as a learner and as staff) on a runtime whose stored content is the very
  object the fields hand out; afterwards it must equal a copy taken before, in the store and as the
  block reads it.
- The quiz and the walkthrough keep no learner records in fields at all (their learners' work is
  rows: quiz/submissions.py, dosimetry/attempts.py), nor does the tracker (tracker/store.py).
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

from quiz_fixture import browser_payload
from rpt_course.build import build_files
from rpt_xblocks.content_fields import ContentDict, ContentList

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
GET_HANDLERS = {"rpt_prereq_tracker": ["records_csv", "printable_summary"]}


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
            block.handle(handler, Request.blank("/", method="POST",
                                                body=json.dumps(browser_payload(block, handler, payload)).encode(),
                                                content_type="application/json"))
        for handler in GET_HANDLERS.get(tag, []):
            runtime.get_block(usage).handle(handler, Request.blank("/"))
    block = runtime.get_block(usage)
    assert {name: getattr(block, name) for name in content} == before
    stored = {key.field_name: value for key, value in store.items() if key.field_name in content}
    assert stored == before


