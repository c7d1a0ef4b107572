"""Preceptor review: the shared, append-only log of verification decisions and the queue staff read.

Why shared storage: in the LMS a staff member cannot write a learner's own state (while viewing as
a specific learner, writes go to the staff member's session, not the learner's record). So each
learner's block copies their live entries into a block-wide queue (`Scope.user_state_summary`),
staff decide from their own view, and decisions go to a block-wide log the learner's view reads.

Contract (plain data, no XBlock import; the caller stores what these return). No function here
changes its arguments: the queue and the log are stored in fields that are never changed in place
(`content_fields.SharedRecordDict`/`SharedRecordList`), so a new queue or log shares everything it
leaves unchanged with the old one (a shallow copy, not a deep one).
- `queue_with(queue, learner, name, entries, plan, met)` -> a new queue where `learner`'s snapshot
  holds their live entries (copies), display name, plan (a copy) and the ids of requirements they
  meet; the other learners' snapshots are the old queue's own. `queue` itself when nothing changed.
- `decisions_for(log, learner)` -> entry id -> the latest decision record about that learner's entry.
- `history_for(log, learner)` -> every decision about that learner's entries, oldest first.
- `with_decision(log, record)` -> a new log: the old records unchanged, `record` appended with the next
  sequence number. No function here removes or changes a record.
- `pending_reviews(queue, log)` -> per learner, their entries with no decision yet.
- `requirement_counts(queue)` -> requirement id -> number of learners who meet it (counts only).
"""
from __future__ import annotations

import copy
from collections import Counter


def queue_with(queue: dict, learner: str, name: str, entries: list, plan: dict, met: list) -> dict:
    snapshot = {"name": name, "entries": [copy.deepcopy(e) for e in entries if not e.get("deleted")],
                "plan": copy.deepcopy(plan), "met": sorted(met)}
    if queue.get(learner) == snapshot:
        return queue
    return {**queue, learner: snapshot}


def decisions_for(log: list, learner: str) -> dict:
    latest = {}
    for record in log:
        if record.get("learner") == learner:
            latest[record["entry"]] = record
    return latest


def history_for(log: list, learner: str) -> list:
    """Every decision about `learner`'s entries, oldest first (the trail shows all, not only the latest)."""
    return [record for record in log if record.get("learner") == learner]


def with_decision(log: list, record: dict) -> list:
    return [*log, {**record, "seq": len(log) + 1}]


def pending_reviews(queue: dict, log: list) -> list[dict]:
    pending = []
    for learner, snapshot in sorted(queue.items(), key=lambda item: item[1].get("name", "")):
        decided = decisions_for(log, learner)
        waiting = [e for e in snapshot.get("entries", []) if e["id"] not in decided]
        if waiting:
            pending.append({"learner": learner, "name": snapshot.get("name", ""), "entries": waiting})
    return pending


def requirement_counts(queue: dict) -> dict:
    return dict(Counter(requirement for snapshot in queue.values() for requirement in snapshot.get("met", [])))
