"""The preview's `replace_urls` service: the links blocks make, pointed into the preview.

Contract: `PreviewReplaceURLService` (named in settings.WORKBENCH["services"]["replace_urls"]; the
workbench builds it without arguments and then sets `.runtime`) offers what the LMS's service of that
name offers blocks: `replace_urls(text, static_replace_only=False)` returns `text` with every URL
in quotes (an HTML attribute, a JSON string, or one quoted path) that starts with `/static/` or
`/jump_to_id/` pointed into the preview (`scenarios.preview_url`): `/static/NAME` to the course's
static route and, unless `static_replace_only`, `/jump_to_id/URL_NAME` to the scenario page of the
unit holding URL_NAME. A url_name the course does not hold is left as it is. Our blocks call it
through `rpt_xblocks.course_links` for their views, mobile data and handler replies.

The url_name -> scenario map is made once per previewed course (`course_files()` mapping) and kept.
"""
from __future__ import annotations

import re

from rpt_course.preview import per_course
from rpt_course.preview.scenarios import jump_targets, preview_url

_QUOTED_URL = re.compile(r"""(?P<quote>\\?['"])(?P<url>/(?:static|jump_to_id)/.*?)(?P=quote)""")
_JUMP = "/jump_to_id/"

course_jump_targets = per_course(jump_targets)
"""`scenarios.jump_targets` of the previewed course, made once per course mapping."""


class PreviewReplaceURLService:
    """The preview's counterpart of the LMS's `replace_urls` service (see the module)."""

    def __init__(self):
        self.runtime = None

    def replace_urls(self, text: str, static_replace_only: bool = False) -> str:
        targets = course_jump_targets()

        def pointed(match: re.Match) -> str:
            url = match["url"]
            if static_replace_only and url.startswith(_JUMP):
                return match[0]
            return match["quote"] + preview_url(url, targets) + match["quote"]
        return _QUOTED_URL.sub(pointed, text)
