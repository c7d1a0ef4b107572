"""The preview's user service: the workbench's, plus the Open edX attributes our blocks read.

Contract: `PreviewUserService` (named in settings.WORKBENCH["services"]["user"]; the workbench
builds it without arguments and then sets `.runtime`) describes the preview's current user — the
`?student=` id of the request — with `edx-platform.username` set to that id and
`edx-platform.user_is_staff` true only for the ids in `$RPT_PREVIEW_STAFF` (comma-separated,
default "staff"). So `?student=staff` previews a unit as course staff (e.g. a preceptor reviewing
tracker entries) and every other id as a learner, as in the LMS.
"""
from __future__ import annotations

import os

from xblock.reference.user_service import UserService, XBlockUser

DEFAULT_STAFF = "staff"


def staff_ids() -> frozenset:
    return frozenset(i.strip() for i in os.environ.get("RPT_PREVIEW_STAFF", DEFAULT_STAFF).split(",") if i.strip())


class PreviewUserService(UserService):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = None

    def get_current_user(self):
        uid = str(getattr(self.runtime, "user_id", None) or "")
        user = XBlockUser(is_current_user=True, emails=[], full_name=uid)
        user.opt_attrs["xblock-workbench.user_id"] = uid
        user.opt_attrs["edx-platform.username"] = uid
        user.opt_attrs["edx-platform.user_is_staff"] = uid in staff_ids()
        return user
