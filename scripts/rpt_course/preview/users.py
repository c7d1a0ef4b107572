"""The preview's user service: the workbench's, plus the Open edX attributes our blocks read.

Contract: `PreviewUserService` (named in settings.WORKBENCH["services"]["user"]; the workbench
builds it without arguments and then sets `.runtime`) describes the preview's current user — the
`?student=` id of the request — with `edx-platform.username` set to that id and
`edx-platform.user_is_staff` true only for the ids in `$RPT_PREVIEW_STAFF` (comma-separated,
default "staff") and `$RPT_PREVIEW_PRECEPTORS` (default "preceptor,preceptor2"), and
`edx-platform.user_role` as the LMS sets it: "instructor" (the course Admin) for the first,
"staff" (course Staff) for the second, "student" for everyone else. So `?student=staff` previews a
unit as the course's Admin (who may decide any tracker entry), `?student=preceptor` as a course
Staff member acting as a preceptor (who decides the entries naming their username), and every
other id as a learner, as in the LMS.
"""
from __future__ import annotations

import os

from xblock.reference.user_service import UserService, XBlockUser

DEFAULT_STAFF = "staff"
DEFAULT_PRECEPTORS = "preceptor,preceptor2"


def _ids(variable: str, default: str) -> frozenset:
    return frozenset(i.strip() for i in os.environ.get(variable, default).split(",") if i.strip())


def staff_ids() -> frozenset:
    """The course Admins (and course staff) of the preview."""
    return _ids("RPT_PREVIEW_STAFF", DEFAULT_STAFF)


def preceptor_ids() -> frozenset:
    """Course Staff members who are not Admins: the preview's preceptors."""
    return _ids("RPT_PREVIEW_PRECEPTORS", DEFAULT_PRECEPTORS) - staff_ids()


class PreviewUserService(UserService):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.runtime = None

    def get_current_user(self):
        uid = str(getattr(self.runtime, "user_id", None) or "")
        user = XBlockUser(is_current_user=True, emails=[], full_name=uid)
        user.opt_attrs["xblock-workbench.user_id"] = uid
        user.opt_attrs["edx-platform.username"] = uid
        admin, preceptor = uid in staff_ids(), uid in preceptor_ids()
        user.opt_attrs["edx-platform.user_is_staff"] = admin or preceptor
        user.opt_attrs["edx-platform.user_role"] = "instructor" if admin else "staff" if preceptor else "student"
        return user
