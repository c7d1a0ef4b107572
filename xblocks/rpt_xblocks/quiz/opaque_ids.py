"""Per-learner stand-ins for the ids authors give choices and ordering steps. Pure functions.

Authors name choices `a`, `b`, … and steps `step1`, `step2`, …: sent as they are, the names alone
answer questions (the correct choice is often `a`; the steps' names spell their order). The browser
gets stand-ins instead.

Contract: `opaque_ids(key, question_id, author_ids)` maps each author id to `c` followed by 12
hex characters, the HMAC-SHA256 of (question id, author id) keyed by the learner's `key`
(`LearnerBlockMixin.stand_in_key()`: the learner and the block, signed with the site's secret). The same arguments always
give the same map, so nothing is stored; another learner, block or question gives other ids. Within
one question the stand-ins are distinct: a stand-in already given (a 48-bit collision) is replaced
by the digest of the same text with a counter appended, deterministically. The map says nothing
about the author ids' order, letters or position beyond what the shuffled list already shows.

The stand-ins are as secret as the site's SECRET_KEY: knowing the code, the author ids and a
learner's id does not give that learner's stand-ins.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Iterable

PREFIX = "c"
HEX_CHARACTERS = 12


def _digest(seed_key: str, question_id: str, author_id: str, counter: int, length: int) -> str:
    message = f"{question_id}\x1f{author_id}" + (f"\x1f{counter}" if counter else "")
    mac = hmac.new(seed_key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256)
    return PREFIX + mac.hexdigest()[:length]


def opaque_ids(seed_key: str, question_id: str, author_ids: Iterable[str],
               hex_characters: int = HEX_CHARACTERS) -> dict[str, str]:
    """Author id -> the learner's stand-in for it, distinct within the question (see the module).
    `hex_characters` is for tests, which shorten the digest to make collisions happen."""
    given: dict[str, str] = {}
    taken: set[str] = set()
    for author_id in author_ids:
        counter = 0
        stand_in = _digest(seed_key, question_id, author_id, counter, hex_characters)
        while stand_in in taken:
            counter += 1
            stand_in = _digest(seed_key, question_id, author_id, counter, hex_characters)
        given[author_id] = stand_in
        taken.add(stand_in)
    return given
