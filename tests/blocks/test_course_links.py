"""The links blocks emit (course_links.lesson_url), on XBlock's TestRuntime with an LMS-shaped usage
key: the runtime's replace_urls service where it rewrites the link, else the course-scoped LMS path;
the bare path only for usage ids that are not course keys."""
from __future__ import annotations

import json
import re

import pytest
from opaque_keys.edx.keys import UsageKey
from webob import Request
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager
from xblock.test.tools import TestRuntime

from quiz_fixture import WRONG, as_browser, quiz_olx
from rpt_xblocks.course_links import course_key_of, lesson_url

QUIZ_KEY = "block-v1:Org+Course+Run+type@rpt_quiz+block@q"
COURSE_LINK = "/courses/course-v1:Org+Course+Run/jump_to_id/decay"


class CourseUsageIds(MemoryIdManager):
    """Usage ids as the LMS has them: opaque-keys usage keys in course-v1:Org+Course+Run."""

    def create_usage(self, def_id):
        usage_id = UsageKey.from_string(QUIZ_KEY.replace("rpt_quiz", self.get_block_type(def_id)))
        self._usages[usage_id] = def_id
        return usage_id


class LmsLikeReplaceUrls:
    """The LMS's replace_urls service as it treats links in quotes: `/jump_to_id/` paths get the
    course's jump base (static_replace.replace_jump_to_id_urls), `/static/` ones the asset base."""

    def __init__(self, base="/courses/course-v1:Org+Course+Run/jump_to_id/"):
        self.base = base

    def replace_urls(self, text, static_replace_only=False):
        text = re.sub(r"""(\\?['"])/static/""", r"\1/asset-v1:Org+Course+Run+type@asset+block/", text)
        return text if static_replace_only or self.base is None else re.sub(r"""(\\?['"])/jump_to_id/""", rf"\1{self.base}", text)


LINKED_TEXT = '<p>See <a href="/jump_to_id/decay">the decay unit</a> and <img src="/static/chart.svg" alt="chart"/></p>'


def course_quiz(olx=None, **services):
    ids = CourseUsageIds()
    runtime = TestRuntime(id_reader=ids, id_generator=ids,
                          services={"field-data": KvsFieldData(DictKeyValueStore()), **services})
    runtime.publish = lambda block, event_type, data: None
    return runtime.get_block(runtime.parse_xml_string(olx or quiz_olx()))


def call(block, handler, payload) -> dict:
    body = json.dumps(payload).encode()
    response = block.handle(handler, Request.blank("/", method="POST", body=body, content_type="application/json"))
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def submit_wrong(block) -> dict:
    return call(block, "submit", {"answers": as_browser(block, WRONG)})


def review_links(state: dict) -> list[str]:
    return [url for q in state["questions"]
            for url in (q.get("teaches_url"), q.get("revealed", {}).get("teaches_url")) if url]


def page_state(block) -> dict:
    init = block.student_view({}).json_init_args
    return json.loads(init["rpt"])["state"]


def test_the_usage_key_is_an_lms_course_key():
    quiz = course_quiz()
    assert str(quiz.scope_ids.usage_id) == QUIZ_KEY
    assert str(course_key_of(quiz.scope_ids.usage_id)) == "course-v1:Org+Course+Run"


@pytest.mark.parametrize("services", [{}, {"replace_urls": LmsLikeReplaceUrls()},
                                      {"replace_urls": LmsLikeReplaceUrls(base=None)}],
                         ids=["no service: the course-scoped path", "the LMS's service", "a service that leaves it (Studio)"])
def test_review_links_in_the_reply_and_the_page_are_course_scoped(services):
    quiz = course_quiz(**services)
    in_reply, on_page = review_links(submit_wrong(quiz)), review_links(page_state(quiz))
    assert in_reply and on_page and set(in_reply + on_page) == {COURSE_LINK}


def test_the_runtime_service_decides_the_link():
    quiz = course_quiz(replace_urls=LmsLikeReplaceUrls(base="/elsewhere/"))
    assert lesson_url(quiz, "decay") == "/elsewhere/decay"


def test_usage_ids_that_are_not_course_keys_keep_the_bare_path(load_olx):
    quiz = load_olx(quiz_olx())  # TestRuntime's own ids are plain strings, as in the workbench
    assert course_key_of(quiz.scope_ids.usage_id) is None
    assert lesson_url(quiz, "decay") == "/jump_to_id/decay"
    assert course_key_of(UsageKey.from_string("lb:Org:lib:rpt_quiz:q")) is None  # a content library: no course


@pytest.mark.parametrize("services, jump, static", [
    ({"replace_urls": LmsLikeReplaceUrls()}, COURSE_LINK, "/asset-v1:Org+Course+Run+type@asset+block/chart.svg"),
    ({}, COURSE_LINK, "/static/chart.svg"),  # no service: the course-scoped jump path; nothing known for files
], ids=["the LMS's service", "no service"])
def test_author_links_in_handler_replies_the_page_and_the_mobile_data_are_the_runtimes(services, jump, static):
    olx = quiz_olx().replace("<hint><p>It is a fiftieth of the occupational limit.</p>", f"<hint>{LINKED_TEXT}", 1)
    quiz = course_quiz(olx.replace("<prompt>", f"<prompt>{LINKED_TEXT}", 1), **services)
    hint = call(quiz, "hint", {"question": "public_limit", "index": 0})["hint"]  # a handler reply
    assert f'href="{jump}"' in hint and f'src="{static}"' in hint
    prompt = next(q["prompt"] for q in page_state(quiz)["questions"] if q["id"] == "public_limit")
    assert f'href="{jump}"' in prompt and f'src="{static}"' in prompt  # the view's data
    mobile = next(q["prompt"] for q in quiz.student_view_data()["questions"] if q["id"] == "public_limit")
    assert mobile == prompt


def test_text_without_links_is_not_given_to_the_runtime():
    class Refusing:
        def replace_urls(self, text, static_replace_only=False):
            raise AssertionError("asked for text without links")
    quiz = course_quiz(replace_urls=Refusing())
    assert quiz.runtime_links('{"hint": "<p>Plain</p>"}') == '{"hint": "<p>Plain</p>"}'
