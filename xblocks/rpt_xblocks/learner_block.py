"""What our learner-facing blocks share about the runtime: translation, the learner, staff.

Contract: `LearnerBlockMixin` (for XBlocks that declare `@XBlock.wants("user")` and
`@XBlock.needs("i18n")`) gives `ugettext(text)` through the runtime's i18n service (and
`translator()`, that service's own `ugettext`, looked up once for the many messages of one request),
`seed_key()` — the learner's anonymous id (or the runtime's user id where there is none) joined
with the block's usage id, the key of `learner_seed.seeded_random` — and `is_staff()`, the
runtime's staff flag for the current user (the user service's `edx-platform.user_is_staff`, else
the runtime's `user_is_staff`), and the keys of the block's database rows (`records/`):
`learner_key()` and `record_block_key()`; `stand_in_key()`, the secret key of the learner's stand-in ids. `fallback_handler` answers a request for a handler the
block does not have (XBlock's `Runtime.handle` calls it then) with 404 and `{"error": ...}`, whatever
the method or body. `runtime_links(text)` gives the `/jump_to_id/` and `/static/` links in `text` as
the runtime serves them (`course_links.runtime_links`; declare `@XBlock.wants("replace_urls")`):
`json_handler` applies it to every reply and `learner_fragment` to the view's data;
`with_runtime_links(data)` to a JSON-ready dict (the mobile app's `student_view_data`).
`SHARED_JAVASCRIPT` is the browser side they share.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from importlib import resources

from markupsafe import escape
from web_fragments.fragment import Fragment
from xblock.core import XBlock

from rpt_xblocks import course_links
from rpt_xblocks.json_handlers import json_reply

SHARED_JAVASCRIPT = resources.files("rpt_xblocks").joinpath("static/block_kit.js").read_text("utf-8")
"""static/block_kit.js: the browser helpers our blocks share; add it before a block's own script."""


class LearnerBlockMixin:
    def ugettext(self, text: str) -> str:
        return self.runtime.service(self, "i18n").ugettext(text)

    def translator(self):
        """The i18n service's `ugettext`: what `ugettext` calls, without a service lookup per message."""
        return self.runtime.service(self, "i18n").ugettext

    def _current_user_attribute(self, name: str):
        user_service = self.runtime.service(self, "user")
        if user_service is None:
            return None
        return user_service.get_current_user().opt_attrs.get(name)

    def seed_key(self) -> str:
        learner = self._current_user_attribute("edx-platform.anonymous_user_id")
        return f"{learner or self.scope_ids.user_id}|{self.scope_ids.usage_id}"

    def stand_in_key(self, seed_key: str | None = None) -> str:
        """The key of the learner's stand-in ids (quiz/opaque_ids.py): `seed_key` (default
        `seed_key()`) signed with the site's secret (Django's SECRET_KEY, which every Open edX site
        and the preview set), so that knowing a learner's id and the course does not give them."""
        from django.conf import settings

        secret = settings.SECRET_KEY.encode("utf-8")
        return hmac.new(secret, (seed_key or self.seed_key()).encode("utf-8"), hashlib.sha256).hexdigest()

    def learner_key(self) -> str:
        """Whose rows these are: the learner's anonymous id for the course, else the runtime's user id."""
        return str(self._current_user_attribute("edx-platform.anonymous_user_id") or self.scope_ids.user_id)

    def record_block_key(self) -> str:
        """Which block rows belong to: the usage id as text (course-scoped in the LMS)."""
        return str(self.scope_ids.usage_id)

    def runtime_links(self, text: str) -> str:
        return course_links.runtime_links(self, text)

    def with_runtime_links(self, data: dict) -> dict:
        """JSON-ready `data` with its links as the runtime serves them (for `student_view_data`)."""
        return json.loads(self.runtime_links(json.dumps(data)))

    def is_staff(self) -> bool:
        flag = self._current_user_attribute("edx-platform.user_is_staff")
        if flag is not None:
            return bool(flag)
        return bool(getattr(self.runtime, "user_is_staff", False))

    @XBlock.handler
    def fallback_handler(self, handler_name, request=None, suffix=""):  # pylint: disable=unused-argument
        """404 for a handler name the block does not have (also when "fallback_handler" itself is asked for)."""
        return json_reply(404, {"error": self.ugettext("There is no such action here.")})


def learner_fragment(kind: str, label: str, css: str, javascript: str, init_function: str, arguments: dict,
                     links=None) -> Fragment:
    """A block's learner view: a region labelled `label` holding `.rpt-KIND-body` (filled by the
    block's script) and `.rpt-KIND-status`, a polite live region for announcements; the shared
    browser helpers load before the block's own script. `arguments` travel as script-safe JSON text
    (`script_safe_json`), passed through `links` (the block's `runtime_links`) when given; the script
    gets them back with `RptBlockKit.unpack(init)`."""
    fragment = Fragment(
        f'<div class="rpt-{kind}" role="region" aria-label="{escape(label)}"><div class="rpt-{kind}-body"></div>'
        f'<div class="rpt-{kind}-status" role="status" aria-live="polite"></div></div>')
    fragment.add_css(css)
    fragment.add_javascript(SHARED_JAVASCRIPT)
    fragment.add_javascript(javascript)
    text = script_safe_json(arguments)
    fragment.initialize_js(init_function, {"rpt": links(text) if links else text})
    return fragment


def script_safe_json(data) -> str:
    """`data` as JSON text with <, > and & written as \\u escapes: the runtime embeds a block's
    initial data in a <script> element, where a "</script>" or "<!--" in author or learner text
    would otherwise end or change it. The browser side reads it with RptBlockKit.unpack."""
    return json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
