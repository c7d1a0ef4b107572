"""Issue 14, handler hardening, on XBlock's TestRuntime through `block.handle` (as the LMS calls it):
- every handler of the three blocks answers a JSON body nested 30,000 levels deep (and one just past
  the limit) with 400 and a JSON error, never a 500 or a RecursionError, and changes nothing;
- a handler name a block does not have gets a 404 JSON reply, whatever the method;
- `studio_submit` saves only for course staff or a Studio author (the `studio_user_permissions`
  service's `can_write`); a learner gets 403 and every field stays as it was;
- the walkthrough serves hints only for steps that are open (done, or the current one).
"""
from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree
from webob import Request
from xblock.fields import Scope
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from rpt_course.build import build_files
from rpt_xblocks.json_handlers import MAX_NESTING
from rpt_xblocks.studio_form import CONTENT_KEY

GOOD_COURSE = Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "good"
HINT = "<hint><p>Multiply the activity at calibration by the fraction.</p></hint>"


def _scenario(package: str) -> str:
    return resources.files(f"rpt_xblocks.{package}").joinpath("scenarios/example.xml").read_text("utf-8")


def _quiz() -> str:
    _course, files = build_files(GOOD_COURSE)
    return etree.tostring(etree.fromstring(files["course/vertical/check_unit.xml"]).find("rpt_quiz"), encoding="unicode")


OLX = {
    "rpt_quiz": _quiz(),
    # the example walkthrough, with a hint on its second step too
    "rpt_dosimetry": _scenario("dosimetry").replace("<prompt><p>What activity remains now?</p></prompt>",
                                                    "<prompt><p>What activity remains now?</p></prompt>" + HINT),
    "rpt_prereq_tracker": etree.tostring(etree.fromstring(_scenario("tracker")).find("rpt_prereq_tracker"),
                                         encoding="unicode"),
}
WATCHED = (Scope.user_state, Scope.user_state_summary, Scope.content, Scope.settings)


class Blocks:
    """The three blocks in one runtime; `as_user` gives a fresh instance for a user, as a request does."""

    def __init__(self):
        self.runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
        self.runtime.publish = lambda block, event_type, data: None
        self.usages = {tag: self.runtime.parse_xml_string(olx) for tag, olx in OLX.items()}

    def as_user(self, tag: str, user: str = "learner-1", staff: bool = False):
        self.runtime.user_id, self.runtime.user_is_staff = user, staff
        return self.runtime.get_block(self.usages[tag])


def fields_of(block) -> dict:
    return {name: copy.deepcopy(field.read_from(block)) for name, field in block.fields.items() if field.scope in WATCHED}


def handlers(block) -> list[str]:
    return sorted(name for name in dir(type(block)) if name != "fallback_handler"
                  and getattr(getattr(type(block), name), "_is_xblock_handler", False))


def send(block, handler: str, body: bytes, method: str = "POST"):
    response = block.handle(handler, Request.blank("/", method=method, body=body, content_type="application/json"))
    return response.status_code, response


@pytest.fixture
def blocks():
    return Blocks()


# ---- deep JSON --------------------------------------------------------------------------------------

DEEP = {
    "array, 30,000 levels": b"[" * 30_000 + b"]" * 30_000,
    "object, 12,000 levels": b'{"":' * 12_000 + b"1" + b"}" * 12_000,  # deeper is over 64 KB: 413 before any parsing
    "unclosed, 30,000 levels": b"[" * 30_000,
    "inside a valid request": b'{"answers": {"public_limit": ' + b"[" * 30_000 + b"]" * 30_000 + b"}}",
    "one past the limit": b'{"a": ' + b"[" * MAX_NESTING + b"]" * MAX_NESTING + b"}",
}


@pytest.mark.parametrize("body", list(DEEP.values()), ids=list(DEEP))
@pytest.mark.parametrize("tag", list(OLX))
def test_deep_json_gets_400_from_every_handler_and_changes_nothing(blocks, tag, body):
    for staff in (False, True):
        block = blocks.as_user(tag, "preceptor" if staff else "learner-1", staff)
        for handler in handlers(block):
            before = fields_of(block)
            status, response = send(block, handler, body)
            if status == 405:  # a download (GET) handler: the body is never read
                continue
            assert status == 400, f"{tag}.{handler}: {status}"
            assert response.content_type == "application/json"
            assert "too deeply" in json.loads(response.body)["error"]
            assert fields_of(block) == before


def test_the_limit_itself_is_allowed(blocks):
    """Exactly MAX_NESTING levels parse (and are refused by the handler for what they hold, not their depth)."""
    block = blocks.as_user("rpt_quiz")
    body = b'{"answers": ' + b"[" * (MAX_NESTING - 1) + b"]" * (MAX_NESTING - 1) + b"}"
    status, response = send(block, "submit", body)
    assert status == 400 and "too deeply" not in json.loads(response.body)["error"]


def test_brackets_inside_strings_do_not_count(blocks):
    block = blocks.as_user("rpt_quiz")
    status, _ = send(block, "state", json.dumps({"note": "[{" * 5_000}).encode())
    assert status == 200


# ---- unknown handler names ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["no_such_handler", "save", "student_view", "fallback_handler", "__init__", ""])
@pytest.mark.parametrize("method", ["POST", "GET"])
@pytest.mark.parametrize("tag", list(OLX))
def test_a_handler_name_the_block_lacks_gets_a_404_json_reply(blocks, tag, name, method):
    block = blocks.as_user(tag)
    before = fields_of(block)
    status, response = send(block, name, b"{}", method)
    assert status == 404
    assert response.content_type == "application/json" and json.loads(response.body)["error"]
    assert fields_of(block) == before


# ---- studio_submit checks who asks ---------------------------------------------------------------------

def _studio_body(block, display_name: str) -> bytes:
    content = "\n".join(etree.tostring(child, encoding="unicode") for child in block.olx_element())
    settings = {name: getattr(block, name) for name in block.STUDIO_SETTINGS}
    return json.dumps({**settings, "display_name": display_name, CONTENT_KEY: content}).encode()


@pytest.mark.parametrize("tag", list(OLX))
def test_a_learner_cannot_save_from_studio(blocks, tag):
    block = blocks.as_user(tag, "learner-1", staff=False)
    before = fields_of(block)
    status, response = send(block, "studio_submit", _studio_body(block, "Taken over"))
    assert status == 403 and json.loads(response.body)["error"]
    assert fields_of(blocks.as_user(tag, "learner-1")) == before


@pytest.mark.parametrize("tag", list(OLX))
def test_staff_can_save_from_studio(blocks, tag):
    block = blocks.as_user(tag, "preceptor", staff=True)
    status, response = send(block, "studio_submit", _studio_body(block, "Edited by staff"))
    assert status == 200 and json.loads(response.body)["saved"] is True
    assert blocks.as_user(tag, "learner-1").display_name == "Edited by staff"


class StudioPermissions:
    """Studio's `studio_user_permissions` service (StudioPermissionsService): write access per course."""

    def __init__(self, writable):
        self.writable, self.asked = writable, []

    def can_write(self, course_key):
        self.asked.append(course_key)
        return course_key in self.writable


class CourseUsage(str):
    """A usage id with a course key, as edx-platform's usage keys have."""

    course_key = "course-v1:RPT+AU+2027"


@pytest.mark.parametrize("writable,expected", [({"course-v1:RPT+AU+2027"}, 200), (set(), 403)])
def test_in_studio_the_write_permission_decides_for_authors_without_the_staff_flag(writable, expected):
    """In Studio the user service carries no staff flag (load_services_for_studio builds
    DjangoXBlockUserService(user)): the author's write access to the course decides."""
    permissions = StudioPermissions(writable)
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore()),
                                    "studio_user_permissions": permissions})
    runtime.user_is_staff = False
    block = runtime.get_block(runtime.parse_xml_string(OLX["rpt_quiz"]))
    block.scope_ids = block.scope_ids._replace(usage_id=CourseUsage(block.scope_ids.usage_id))
    before = block.display_name
    status, _ = send(block, "studio_submit", _studio_body(block, "Edited in Studio"))
    assert status == expected and permissions.asked == ["course-v1:RPT+AU+2027"]
    assert block.display_name == ("Edited in Studio" if expected == 200 else before)


# ---- walkthrough hints only for open steps --------------------------------------------------------------

def test_a_hint_for_a_step_not_open_yet_is_refused_and_served_once_it_is(blocks):
    block = blocks.as_user("rpt_dosimetry")
    status, response = send(block, "hint", json.dumps({"step": "activity", "index": 0}).encode())
    assert status == 409 and "not open" in json.loads(response.body)["error"]
    assert send(block, "hint", json.dumps({"step": "remaining", "index": 0}).encode())[0] == 200
    for wrong in ("5", "6"):  # two wrong answers use the step's attempts: the first step is done
        assert send(block, "check_step", json.dumps({"step": "remaining", "answer": wrong}).encode())[0] == 200
    block = blocks.as_user("rpt_dosimetry")
    assert block._record().progress["remaining"]["done"]  # pylint: disable=protected-access
    status, response = send(block, "hint", json.dumps({"step": "activity", "index": 0}).encode())
    assert status == 200 and "Multiply" in json.loads(response.body)["hint"]
    assert send(block, "hint", json.dumps({"step": "remaining", "index": 0}).encode())[0] == 200, "done steps stay open"
