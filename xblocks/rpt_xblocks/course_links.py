"""Links from a block to other course content, made by the runtime that hosts the block.

Contract: `lesson_url(block, url_name)` is the URL of the courseware holding the block or unit
named `url_name` (a `teaches` target), for the current runtime. The block must declare
`@XBlock.wants("replace_urls")`. It is, first that found:

1. what the runtime's `replace_urls` service makes of the path `/jump_to_id/<url_name>` — the
   service the LMS gives every block (it rewrites that path to
   `/courses/<course key>/jump_to_id/<url_name>`, its courseware view that redirects to the unit)
   and the preview gives too (`rpt_course/preview/links.py`: the workbench page of the unit);
   the service rewrites paths in quotes (as in HTML attributes and JSON), so the path goes in quoted;
2. when the service is missing or leaves the path as it is (Studio's preview has no jump base),
   and the block's usage id is an opaque-keys UsageKey in a course, the LMS's course-scoped path
   `/courses/<course key>/jump_to_id/<url_name>`;
3. otherwise (usage ids that are plain strings, as in XBlock's TestRuntime) the bare
   `/jump_to_id/<url_name>`, the link as course authors write it in OLX.

The LMS rewrites `/jump_to_id/` links itself only in the HTML a view renders, never in handler
replies: a block that sends links in JSON must make them here. `url_name` is percent-encoded.
"""
from __future__ import annotations

from urllib.parse import quote

from opaque_keys.edx.keys import CourseKey, UsageKey

JUMP_PREFIX = "/jump_to_id/"


def lesson_url(block, url_name: str) -> str:
    """The runtime's URL of the courseware named `url_name` (see the module)."""
    path = JUMP_PREFIX + quote(url_name, safe="")
    service = block.runtime.service(block, "replace_urls")
    if service is not None:
        replaced = service.replace_urls(f'"{path}"')
        if isinstance(replaced, str) and len(replaced) > 2 and replaced[0] == replaced[-1] == '"' \
                and replaced[1:-1] != path:
            return replaced[1:-1]
    course_key = course_key_of(block.scope_ids.usage_id)
    if course_key is not None:
        return f"/courses/{course_key}{path}"
    return path


def course_key_of(usage_id) -> CourseKey | None:
    """The course of an opaque-keys usage id (`context_key`, when it is a course); None for a usage
    id that is a plain string or belongs to another context (a content library)."""
    if not isinstance(usage_id, UsageKey):
        return None
    context = usage_id.context_key
    return context if isinstance(context, CourseKey) else None
