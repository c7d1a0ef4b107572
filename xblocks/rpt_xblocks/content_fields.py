"""List and Dict fields whose values the blocks never change in place: author content the blocks only
read (the quiz's bank, the walkthrough's scenario, the tracker's own requirement sets) and the
tracker's block-wide learner records (its review queue and decision log).

XBlock treats every read of a List or Dict field as a possible change in place: the first read on
each block instance (each request) deep-copies the value, and `save()` compares it with that copy.
For a question bank, or a block-wide record that grows with the class, that copy is the largest
single cost of a request. The fields here are the same fields marked immutable (`MUTABLE = False`),
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
