"""Who may verify or reject a tracker entry: the preceptor the learner named, or a course Admin.

The decision (issue 17). A learner names, on each supervised-work and case entry, the supervising
Authorized User as on their licence (`supervising_au`, for the 313A worksheet) and, optionally, that
person's username on this site (`preceptor`). The username is what maps the entry to a platform user:
- A preceptor is a member of the course team (the LMS's course "Staff" or "Admin" role, which the
  course's Admin grants on the Instructor dashboard's Membership tab): only the course team has
  `user_is_staff`, so only the team sees the review queue, and a learner cannot make a fellow learner
  their verifier by typing that learner's username.
- Their review view lists the entries that name their username (`queue` "mine"); every member of
  the course team may also list every entry waiting (`queue` "all"), to see the whole class.
- An entry that names a supervising AU (kinds in `NAMES_AN_AU`) may be decided by the course-team
  member whose username it names, or, as an override recorded on the decision and in the learner's
  audit trail, by a course Admin (the LMS's `user_role` "instructor", which global staff also get)
  or a global staff user. A course-team member who is neither named nor an Admin is refused (403),
  even when the entry names no username (then only an Admin can decide it). Open edX's course team
  expects Staff to grade and Admins to override; the regulation expects the supervising AU to
  attest, so the named AU decides and an Admin override stays visible.
- Classroom training and declarations name no supervising AU: any course-team member may decide
  them, as before.
- Nobody decides their own entries (also a database constraint).
The check runs on the server in `review_entry`, from the runtime's user service (`Reviewer.of`), and
again in `store.decide` against the entry row read under the learner's lock.
"""
from __future__ import annotations

import re
from typing import NamedTuple

NAMES_AN_AU = ("work", "case")
USERNAME = re.compile(r"[\w.@+-]{1,150}")  # Django's username characters (Open edX allows Unicode \w)
OVERRIDE_ROLES = ("instructor",)


def username_key(username: object) -> str:
    """How a username is stored and compared: stripped, lower case (Open edX usernames are unique
    whatever their case); '' for anything that is not a username."""
    text = username.strip() if isinstance(username, str) else ""
    return text.lower() if USERNAME.fullmatch(text) else ""


class Reviewer(NamedTuple):
    """The current user as a reviewer: course team (`staff`), `username` key ('' when the runtime
    gives none) and whether they hold the Admin override."""

    staff: bool
    username: str
    override: bool

    @classmethod
    def of(cls, attributes: dict, staff: bool) -> "Reviewer":
        """From the user service's `opt_attrs` (`edx-platform.username`, `.user_role`,
        `.user_is_global_staff`) and the block's staff flag (`is_staff()`)."""
        role = attributes.get("edx-platform.user_role")
        override = staff and (role in OVERRIDE_ROLES or bool(attributes.get("edx-platform.user_is_global_staff")))
        return cls(staff, username_key(attributes.get("edx-platform.username")), override)


def may_decide(reviewer: Reviewer, kind: str, preceptor: str) -> tuple[bool, bool]:
    """(whether `reviewer` may decide an entry of `kind` naming `preceptor` (a `username_key`, ''
    for none), whether doing so is an override). Own entries are refused elsewhere."""
    if not reviewer.staff:
        return False, False
    if kind not in NAMES_AN_AU:
        return True, False
    if preceptor and reviewer.username == preceptor:
        return True, False
    return reviewer.override, reviewer.override
