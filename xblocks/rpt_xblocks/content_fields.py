"""List and Dict fields whose values the blocks never change in place: author content the blocks only
read (the quiz's bank, the walkthrough's scenario, the tracker's own requirement sets), block-wide
learner records (the tracker's review queue and counts, the quiz's item totals) and a learner's own
records that handlers replace whole (the quiz's answers and results, the walkthrough's progress, the
tracker's entries, plan, audit trail and decisions).

XBlock treats every read of a List or Dict field as a possible change in place: the first read on
each block instance (each request) deep-copies the value, and `save()` compares it with that copy.
For a question bank, or a block-wide record that grows with the class, that copy is the largest
single cost of a request; for a learner's small records it is still a deep copy on the first read
and another after each save, per field and request. The fields here are the same fields marked immutable (`MUTABLE = False`),
as XBlock's own scalar fields are: reads hand out the stored value itself, untracked.

Contract: code never changes the value of such a field in place (no append, item assignment or
mutation of anything inside it, nor of the default); it builds a new value and assigns it, which
XBlock tracks and saves as for any field. A new value may share the parts it leaves unchanged with
the old one (a shallow copy with one item replaced), since neither is ever changed. The stored JSON
is the same as with List and Dict. tests/blocks/test_content_fields.py checks that serving every
view and handler leaves these values as they were.
"""
from __future__ import annotations

from xblock.fields import Dict, List


class ContentList(List):
    """A `List` of author content the blocks only read or replace whole (see the module docstring)."""

    MUTABLE = False


class ContentDict(Dict):
    """A `Dict` of author content the blocks only read or replace whole (see the module docstring)."""

    MUTABLE = False


class SharedRecordList(List):
    """A block-wide (`Scope.user_state_summary`) `List` of learner records, never changed in place:
    code builds a new list and assigns it (see the module docstring)."""

    MUTABLE = False


class SharedRecordDict(Dict):
    """A block-wide (`Scope.user_state_summary`) `Dict` of learner records, never changed in place:
    code builds a new dict and assigns it (see the module docstring)."""

    MUTABLE = False


class LearnerRecordList(List):
    """A learner's own (`Scope.user_state`) `List` that handlers replace whole, never change in place
    (see the module docstring)."""

    MUTABLE = False


class LearnerRecordDict(Dict):
    """A learner's own (`Scope.user_state`) `Dict` that handlers replace whole, never change in place
    (see the module docstring)."""

    MUTABLE = False


NEVER_CHANGED_IN_PLACE = (ContentList, ContentDict, SharedRecordList, SharedRecordDict, LearnerRecordList,
                          LearnerRecordDict)


class SavedWithoutCopyMixin:
    """For a block whose handlers assign the fields above: `save()` keeps no deep copy of them.

    After saving a field, XBlock (6.3.4, `XBlock._reset_dirty_field`) deep-copies its value as the
    baseline against which the next `save()` compares it, to catch changes in place. These fields
    change only by assignment, which XBlock records without a baseline, so after a save this mixin
    forgets them instead: a later save writes them only if they are assigned again. For a block-wide
    record that copy was the largest remaining cost of a request once reads stopped copying.
    tests/blocks/test_content_fields.py checks that a saved field is forgotten, not copied, and that a
    later assignment is still saved.
    """

    def _reset_dirty_field(self, field):
        if isinstance(field, NEVER_CHANGED_IN_PLACE):
            self._dirty_fields.pop(field, None)
        else:
            super()._reset_dirty_field(field)
