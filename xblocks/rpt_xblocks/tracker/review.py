"""Preceptor review: the block-wide queue staff decide from, and the counts they see.

Why shared storage: in the LMS a staff member cannot write a learner's own state (while viewing as
a specific learner, writes go to the staff member's session, not the learner's record). So staff
decide from their own view on a block-wide queue (`Scope.user_state_summary`), and a decision waits
in the queue until the learner's own next request moves it into the learner's state.

Why the queue is small: one JSON row holds the whole queue, and every tracker request of every
learner reads and writes it. It therefore holds only the learners who have something in it: entries
awaiting a decision, or decisions not yet moved to them. A learner with neither is not in it, so the
row grows with the staff's backlog, not with the class. The counts staff see (how many learners
meet each requirement) are a table kept up to date by differences, the size of the requirement list.

A learner's snapshot (plain JSON):
- `name`: the display name staff see;
- `entries`, `plan`: the learner's live entries and plan, so that a staff decision can recompute
  which requirements the learner meets (empty once nothing awaits a decision);
- `statuses`: entry id -> the latest decision about it (`verified`/`rejected`);
- `undelivered`: the decision records staff made since the learner's last request, oldest first;
- `met`: the requirements ("set:requirement") the learner is counted as meeting in the counts.
While a learner has a snapshot, its `met` is what the counts hold for them; otherwise the learner's
own state holds it.

Contract (plain data, no XBlock import; the caller stores what these return). No function here
changes its arguments: the queue and the counts are stored in fields that are never changed in
place (`content_fields.SharedRecordDict`), so a new queue shares every snapshot it leaves unchanged
with the old one (a shallow copy, not a deep one).
"""
from __future__ import annotations

import copy
from collections import Counter

EMPTY_COUNTS = {"learners": 0, "met": {}}


def latest_statuses(decisions: list) -> dict:
    """Entry id -> the latest decision among `decisions` (records oldest first)."""
    return {record["entry"]: record["decision"] for record in decisions}


def latest_records(decisions: list) -> dict:
    """Entry id -> the latest decision record among `decisions` (records oldest first)."""
    return {record["entry"]: record for record in decisions}


def awaiting(entries: list, statuses: dict) -> list:
    """The live entries among `entries` with no decision in `statuses`."""
    return [e for e in entries if not e.get("deleted") and e["id"] not in statuses]


def learner_snapshot(name: str, entries: list, plan: dict, statuses: dict, met: list) -> dict:
    """The snapshot of a learner who has entries awaiting a decision (copies of what they hold)."""
    return {"name": name, "entries": [copy.deepcopy(e) for e in entries if not e.get("deleted")],
            "plan": copy.deepcopy(plan), "statuses": dict(statuses), "undelivered": [], "met": sorted(met)}


def queue_with(queue: dict, learner: str, snapshot: dict | None) -> dict:
    """`queue` with `learner`'s snapshot replaced by `snapshot` (removed when None); `queue` itself
    when that changes nothing."""
    if queue.get(learner) == snapshot:
        return queue
    changed = {key: value for key, value in queue.items() if key != learner}
    if snapshot is not None:
        changed[learner] = snapshot
    return changed


def decided(snapshot: dict, record: dict, met: list) -> dict:
    """`snapshot` after staff decided `record` (an entry awaiting a decision), leaving the learner
    meeting `met`. When nothing else awaits a decision, the entries and plan are dropped: only the
    name, the statuses, the decisions to deliver and `met` stay until the learner's next request."""
    statuses = {**snapshot.get("statuses", {}), record["entry"]: record["decision"]}
    changed = {**snapshot, "statuses": statuses, "undelivered": [*snapshot.get("undelivered", []), record],
               "met": sorted(met)}
    if not awaiting(snapshot.get("entries", []), statuses):
        changed["entries"], changed["plan"] = [], {}
    return changed


def counts_with(counts: dict, before: list | None, after: list | None) -> dict:
    """`counts` ({"learners": n, "met": {requirement: n}}) after one learner went from meeting
    `before` to meeting `after`; None is a learner not counted at all (nothing logged). `counts`
    itself when that changes nothing."""
    if before == after:
        return counts
    learners = counts.get("learners", 0) + (after is not None) - (before is not None)
    met = Counter(counts.get("met", {}))
    met.subtract(before or [])
    met.update(after or [])
    return {"learners": learners, "met": {requirement: n for requirement, n in sorted(met.items()) if n > 0}}


def pending_reviews(queue: dict) -> list[dict]:
    """Per learner (by name), their entries awaiting a decision; learners with none are left out."""
    pending = []
    for learner, snapshot in sorted(queue.items(), key=lambda item: item[1].get("name", "")):
        waiting = awaiting(snapshot.get("entries", []), snapshot.get("statuses", {}))
        if waiting:
            pending.append({"learner": learner, "name": snapshot.get("name", ""), "entries": waiting})
    return pending


def from_earlier_version(queue: dict, log: list) -> tuple[dict, dict]:
    """(queue, counts) converted once from what versions before the bounded queue stored: a queue
    with every learner who logged (name, live entries, plan, met) and an append-only log of every
    decision ({learner, entry, decision, comment, by, at, seq}). Every learner keeps a snapshot,
    holding their decisions as undelivered, so their next request moves those into their own state
    and the counts stay right; nothing in the log is lost."""
    decisions_by_learner: dict[str, list] = {}
    for record in log:
        if isinstance(record, dict) and isinstance(record.get("learner"), str):
            decisions_by_learner.setdefault(record["learner"], []).append(
                {key: record.get(key) for key in ("entry", "decision", "comment", "by", "at")})
    converted, counts = {}, EMPTY_COUNTS
    for learner in sorted(set(queue) | set(decisions_by_learner)):
        old = queue.get(learner, {})
        decisions = decisions_by_learner.get(learner, [])
        statuses = latest_statuses(decisions)
        entries = old.get("entries", [])
        keep = bool(awaiting(entries, statuses))
        converted[learner] = {"name": old.get("name", ""), "entries": entries if keep else [],
                              "plan": old.get("plan", {}) if keep else {}, "statuses": statuses,
                              "undelivered": decisions, "met": sorted(old.get("met", []))}
        counts = counts_with(counts, None, converted[learner]["met"])
    return converted, counts
