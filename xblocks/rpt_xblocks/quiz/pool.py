"""Per-learner draws and shuffles that are stable across reloads and differ between learners.

Contract: every function takes a `seed_key` (text naming the learner and the block); the same key
always gives the same result, and the result depends on nothing else but the arguments. No state
is stored: the key is derived from the learner's anonymous id and the block's usage id.
"""
from __future__ import annotations

from typing import Sequence, TypeVar

from rpt_xblocks.learner_seed import seeded_random

T = TypeVar("T")


def draw(question_ids: Sequence[str], count: int, seed_key: str) -> list[str]:
    """`count` ids (all when count is 0 or covers the bank), in a learner-specific order."""
    ids = list(question_ids)
    if count <= 0 or count >= len(ids):
        count = len(ids)
    return seeded_random(seed_key, "draw").sample(ids, count)


def shuffle_keeping_pinned(items: Sequence[T], pinned: Sequence[bool], seed_key: str, purpose: str) -> list[T]:
    """Shuffle the unpinned items among their own positions; pinned items keep their positions
    (so "all of the above", written last, stays last)."""
    free = [index for index, is_pinned in enumerate(pinned) if not is_pinned]
    order = free[:]
    seeded_random(seed_key, purpose).shuffle(order)
    result = list(items)
    for slot, source in zip(free, order):
        result[slot] = items[source]
    return result
