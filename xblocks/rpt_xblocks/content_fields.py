"""List and Dict fields of author content that the blocks never change in place: the quiz's bank, the
walkthrough's scenario, the tracker's own requirement sets.

XBlock treats every read of a List or Dict field as a possible change in place: the first read on
each block instance (each request) deep-copies the value, and `save()` compares it with that copy.
For a question bank that copy is the largest single cost of a request. The fields here are the same
fields marked immutable (`MUTABLE = False`), as XBlock's own scalar fields are: reads hand out the
stored value itself, untracked.

Contract: code never changes the value of such a field in place (no append, item assignment or
mutation of anything inside it, nor of the default); Studio and OLX import assign a new value, which
XBlock tracks and saves as for any field. The stored JSON is the same as with List and Dict.
tests/blocks/test_content_fields.py checks that serving every view and handler leaves these values
as they were. (Learners' and preceptors' records are not fields at all: they are rows of the records
app, `rpt_xblocks.records`.)
"""
from __future__ import annotations

from xblock.fields import Dict, List


class ContentList(List):
    """A `List` of author content the blocks only read or replace whole (see the module docstring)."""

    MUTABLE = False


class ContentDict(Dict):
    """A `Dict` of author content the blocks only read or replace whole (see the module docstring)."""

    MUTABLE = False
