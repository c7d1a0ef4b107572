"""Links from a block to other course content and to course files, made by the runtime that hosts it.

Contract: `runtime_links(block, text)` returns `text` (HTML, or JSON text such as a handler's reply)
with every link in quotes (an HTML attribute, a JSON string, `\\"` in JSON text) that starts with
`/jump_to_id/` or `/static/` as the current runtime serves it; `lesson_url(block, url_name)` is the
URL of the unit or block named `url_name` (a quiz's `teaches` target), made the same way. Blocks
that call them declare `@XBlock.wants("replace_urls")` (without it, or without the service, step 1
is skipped). The links are, first that applies:

1. what the runtime's `replace_urls` service makes of them — the service the LMS gives every block
   (`/jump_to_id/X` -> `/courses/<course key>/jump_to_id/X`, the courseware view that redirects to
   the unit; `/static/NAME` -> the course's asset URL) and the preview gives too
   (`rpt_course/preview/links.py`: the workbench page of the unit, the preview's static route);
2. for a `/jump_to_id/` link the service left as it is (Studio's service has no jump base) when the
   block's usage id is an opaque-keys UsageKey in a course: the LMS's course-scoped path
   `/courses/<course key>/jump_to_id/X`;
3. otherwise (usage ids that are plain strings, as in XBlock's TestRuntime) unchanged: the links as
   course authors write them in OLX.

The LMS rewrites these links itself only in the HTML a view renders, never in handler replies:
`json_handlers.json_handler` passes every reply of a block that has `runtime_links` through it.
Text holding neither prefix is returned as it is, without asking the runtime.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from opaque_keys.edx.keys import CourseKey, UsageKey
from xblock.exceptions import NoSuchServiceError

JUMP_PREFIX = "/jump_to_id/"
STATIC_PREFIX = "/static/"
_QUOTED_JUMP = re.compile(r"""(?P<quote>\\?['"])/jump_to_id/""")


def runtime_links(block, text: str) -> str:
    """`text` with its quoted `/jump_to_id/` and `/static/` links as the runtime serves them (see the module)."""
    if JUMP_PREFIX not in text and STATIC_PREFIX not in text:
        return text
    try:
        service = block.runtime.service(block, "replace_urls")
    except NoSuchServiceError:  # a block that did not declare it
        service = None
    if service is not None:
        text = service.replace_urls(text)
    course_key = course_key_of(block.scope_ids.usage_id)
    if course_key is not None and JUMP_PREFIX in text:
        text = _QUOTED_JUMP.sub(lambda m: f"{m['quote']}/courses/{course_key}{JUMP_PREFIX}", text)
    return text


def lesson_url(block, url_name: str) -> str:
    """The runtime's URL of the courseware named `url_name` (percent-encoded; see the module)."""
    return runtime_links(block, f'"{JUMP_PREFIX}{quote(url_name, safe="")}"')[1:-1]


def course_key_of(usage_id) -> CourseKey | None:
    """The course of an opaque-keys usage id (`context_key`, when it is a course); None for a usage
    id that is a plain string or belongs to another context (a content library)."""
    if not isinstance(usage_id, UsageKey):
        return None
    context = usage_id.context_key
    return context if isinstance(context, CourseKey) else None
