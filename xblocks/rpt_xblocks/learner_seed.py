"""Per-learner randomness that needs no stored state (shared by the quiz and the walkthrough).

Contract: `seeded_random(seed_key, purpose)` returns a `random.Random` determined only by its two
arguments: the same learner key and purpose always give the same sequence, other keys give other
sequences. The key names the learner and the block (anonymous user id + usage id), so draws are
stable across reloads and differ between learners and blocks.
"""
from __future__ import annotations

import hashlib
import random


def seeded_random(seed_key: str, purpose: str) -> random.Random:
    digest = hashlib.sha256(f"{seed_key}\x1f{purpose}".encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))
