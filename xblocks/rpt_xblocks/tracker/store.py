"""The tracker's records in the database (`records.models`): the only tracker code that uses the ORM.

Contract. Every change to one learner's records runs in one transaction that first locks that
learner's `TrackerLearner` row, so the changes to one learner happen one at a time, whichever LMS
process serves them, and the requirements the learner meets (`TrackerRequirementMet`, from which
staff counts are a GROUP BY) are recomputed from exactly the entries and decisions just committed.
A learner's request writes only that learner's rows; a preceptor's decision writes the decision row
and, for the learner it concerns, the audit event, the entry's `awaiting` flag and the met rows.
The audit trail is ordered by `seq`, a per-learner counter on the learner's row: each entry row is
its own 'added' event, every other event (deletion, plan, decision) an audit row.

- `change(block, learner, name, edit, measure)`: lock (making the learner's row on first use),
  load their entries, run `edit(pending)` — which queues new rows on the `Pending` change or marks
  existing ones (keeping `pending.rows` in step), or raises to refuse, leaving nothing written — then
  recompute what the learner meets with `measure(entries, plan, statuses)` (a callable that returns
  the block's `Progress`) and write the learner's row, the queued rows and the met rows. One
  transaction, one commit. Returns `(Records, Progress, reported)`.
- `add_entry`, `delete_entry`, `set_plan`: edits for `change`. `add_entry` is idempotent on the
  client-made id: the same id again adds nothing and returns the entry made the first time. With
  `corrects` (an entry id) the new entry is the correction of that entry: a new row linked to it
  (`TrackerEntry.corrects`), the rejected entry and its rejection staying as they are, in the trail;
  refused (409) unless that entry is live, of the same kind, rejected and not corrected yet (the
  database refuses a correction of an entry without a rejection, and a second correction, too).
- `decide(block, reviewer, preceptor, name, learner, entry_id, decision, comment, measure)`: one
  preceptor decision; raises `Refused(status, reason)` for a missing entry, one already decided or
  deleted, the preceptor's own entry (the database refuses these as well), or an entry `reviewer`
  (preceptors.Reviewer) may not decide (`preceptors.may_decide`, on the row read under the lock).
  A rejection fills `EntryDecision.rejected_entry` (what a correction refers to); an Admin override
  is marked on the decision and its audit event.
- `learner_records(block, learner)`: the learner's `Records`, shaped as the page shows them (entry
  id `e<number>`); the audit trail holds the learner's changes and the decisions about their
  entries, in the order they were made.
The preceptors' queue and the staff counts are read-only queries: `queue.py`. `entry_data(row,
numbers)` shapes one entry row as the page shows it, for both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
import uuid
from datetime import datetime, timezone
from typing import Callable, NamedTuple

from django.db import IntegrityError, transaction

from rpt_xblocks.records.models import (EntryDecision, TrackerAuditEvent, TrackerEntry, TrackerLearner,
                                        TrackerRequirementMet)
from rpt_xblocks.records.retried import retried
from rpt_xblocks.tracker.preceptors import Reviewer, may_decide

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
ENTRY_ID = re.compile(r"e([1-9][0-9]{0,8})")


class Records(NamedTuple):
    """One learner's records as the page shows them: the learner's row (None before their first
    change), entries (by number, id `e<number>`), audit trail (in order, decisions included) and
    decision records (oldest first)."""

    owner: TrackerLearner | None
    entries: list
    audit: list
    decisions: list


class Refused(Exception):
    """A change the records do not allow: `status` is the HTTP status to answer, `reason` a key."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def entry_data(row: TrackerEntry, numbers: dict) -> dict:
    """One entry as the page shows it; `numbers` maps entry pks to numbers (for `corrects`: the
    corrected entry is the same learner's)."""
    data = {"id": f"e{row.number}", "kind": row.kind, "fields": row.fields, "created": row.created.isoformat(),
            "deleted": row.deleted_at is not None}
    if row.deleted_at is not None:
        data["deleted_at"] = row.deleted_at.isoformat()
    if row.corrects_id is not None:
        data["corrects"] = f"e{numbers[row.corrects_id]}"
    return data


def _decision_data(row: EntryDecision, entry_id: str) -> dict:
    data = {"entry": entry_id, "decision": row.decision, "comment": row.comment, "by": row.preceptor_name,
            "at": row.at.isoformat()}
    if row.override:
        data["override"] = True
    return data


def _entry_rows(owner: TrackerLearner) -> list[TrackerEntry]:
    """The learner's entry rows, by number, each with `standing` set to its decision row or None."""
    rows = list(TrackerEntry.objects.filter(owner=owner).select_related("decision").order_by("number"))
    for row in rows:
        try:
            row.standing = row.decision  # loaded with the row (select_related): no query
        except EntryDecision.DoesNotExist:
            row.standing = None
    return rows


def _as_data(rows: list[TrackerEntry]) -> tuple[list, list]:
    """(entries as dicts, decision records oldest first) of entry `rows` (`_entry_rows`, or made here)."""
    entries, decisions = [], []
    numbers = {row.pk: row.number for row in rows}
    corrected_by = {row.corrects_id: f"e{row.number}" for row in rows if row.corrects_id is not None}
    for row in rows:
        data = entry_data(row, numbers)
        if row.pk in corrected_by:
            data["corrected_by"] = corrected_by[row.pk]
        entries.append(data)
        if row.standing is not None:
            decisions.append(_decision_data(row.standing, data["id"]))
    decisions.sort(key=lambda record: record["at"])
    return entries, decisions


def _audit_data(owner: TrackerLearner, rows: list[TrackerEntry], events=None) -> list:
    """The learner's audit trail as the page shows it, in `seq` order: each entry row (its own
    'added' event) and the audit events (`events`, else read)."""
    numbers = {row.pk: row.number for row in rows}
    trail = [(row.seq, {"at": row.created.isoformat(), "by": row.by, "action": "added", "entry": f"e{row.number}",
                        "kind": row.kind}) for row in rows]
    for event in TrackerAuditEvent.objects.filter(owner=owner) if events is None else events:
        item = {"at": event.at.isoformat(), "by": event.by, "action": event.action}
        if event.entry_id is not None:
            item["entry"] = f"e{numbers[event.entry_id]}"
        item.update(event.detail)
        trail.append((event.seq, item))
    return [{"seq": seq, **item} for seq, item in sorted(trail, key=lambda pair: pair[0])]


def _next_seq(owner: TrackerLearner) -> int:
    """The next place in the learner's audit trail (the caller holds the learner's lock and saves
    `trail_length`)."""
    owner.trail_length += 1
    return owner.trail_length


def _store_met(owner: TrackerLearner, had: list[str]) -> None:
    """Bring the learner's met rows from `had` to `owner.met` (their copy on the learner's row).
    Called under the learner's lock, so the copy equals the rows."""
    have, wanted = set(had), set(owner.met)
    if have - wanted:
        TrackerRequirementMet.objects.filter(owner=owner, requirement__in=have - wanted).delete()
    if wanted - have:
        TrackerRequirementMet.objects.bulk_create(
            [TrackerRequirementMet(block=owner.block, owner=owner, requirement=r) for r in sorted(wanted - have)])


OWNER_FIELDS = ["name", "plan", "logged", "entries_made", "trail_length", "completion_reported", "met"]


@dataclass
class Pending:
    """One change to one learner's records, in memory until `_save` writes it: the learner's row
    (`made`: not in the database yet), their entry rows (`rows`, new ones appended), the rows to
    insert after the learner's (`new`, in order: an entry before the audit event naming it), the
    audit events among them (`events`), and the requirements the met rows hold now (`had_met`)."""

    owner: TrackerLearner
    made: bool
    rows: list
    new: list = field(default_factory=list)
    events: list = field(default_factory=list)
    had_met: list = field(default_factory=list)


def _save(pending: Pending) -> None:
    """Write `pending`: the learner's row (inserted when `made`: another request that made it first
    raises `_MadeElsewhere`), then the new rows, then the met rows (from `had_met` to `owner.met`)."""
    owner = pending.owner
    if pending.made:
        try:
            owner.save(force_insert=True)
        except IntegrityError:
            raise _MadeElsewhere() from None
    else:
        owner.save(update_fields=OWNER_FIELDS)
    for row in pending.new:
        row.save(force_insert=True)
    if owner.met != pending.had_met:
        _store_met(owner, pending.had_met)


class _MadeElsewhere(Exception):
    """Another request made the learner's row between our look and our insert: run the change again."""


def _locked_owner(block: str, learner: str, name: str) -> tuple[TrackerLearner, bool]:
    """(the learner's row, locked until the end of the current transaction; whether it is new). A new
    row is not inserted yet: `_save` inserts it with the change's values (one statement, not an
    insert and an update). It is looked for first: on MySQL, a duplicate-key error leaves a shared
    lock whose upgrade could deadlock with another request's; when another request made the row in
    between, `_save` raises `_MadeElsewhere`, which ends the transaction, and `retried` runs the
    change again."""
    found = TrackerLearner.objects.select_for_update().filter(block=block, learner=learner).first()
    if found is not None:
        return found, False
    return TrackerLearner(block=block, learner=learner, name=name[:255]), True  # inserted by `_save`


def _remeasure(owner: TrackerLearner, rows: list[TrackerEntry], measure: Callable):
    """The learner's `Progress` over `rows`; `owner.met` set to what they meet (if they logged)."""
    entries, decisions = _as_data(rows)
    measured = measure(entries, owner.plan, statuses_of(decisions))
    if owner.logged:
        owner.met = sorted(f"{r.set_id}:{r.requirement_id}" for r in measured.requirements if r.status == "met")
    return measured, entries, decisions


def change(block: str, learner: str, name: str, edit: Callable, measure: Callable):
    """See the module docstring. Returns `(Records, Progress, reported)`: the learner's records after
    the change, their progress, and whether its fraction differs from the completion last reported
    (then it is recorded as reported: the caller emits it)."""
    return retried(lambda: _change(block, learner, name, edit, measure), also=(_MadeElsewhere,))


def _change(block: str, learner: str, name: str, edit: Callable, measure: Callable):
    with transaction.atomic():
        owner, made = _locked_owner(block, learner, name)
        rows = [] if made else _entry_rows(owner)  # a learner new this moment has no entries yet
        pending = Pending(owner, made, rows, had_met=list(owner.met))
        if name:
            owner.name = name[:255]
        edit(pending)
        measured, entries, decisions = _remeasure(owner, rows, measure)
        reported = owner.completion_reported != measured.fraction
        owner.completion_reported = measured.fraction
        _save(pending)
        audit = _audit_data(owner, rows, pending.events if made else None)
    return Records(owner, entries, audit, decisions), measured, reported


def report_completion(owner: TrackerLearner, fraction: float) -> bool:
    """Record that `fraction` was emitted for the learner; False when it already was (nothing written)."""
    return bool(TrackerLearner.objects.filter(pk=owner.pk).exclude(completion_reported=fraction)
                .update(completion_reported=fraction))


def _audit(pending: Pending, by: str, action: str, entry: TrackerEntry | None = None, **detail) -> None:
    """Queue an audit event (`_save` inserts it, after the rows queued before it)."""
    owner = pending.owner
    event = TrackerAuditEvent(owner=owner, seq=_next_seq(owner), at=_now(), by=by[:255], action=action, entry=entry,
                              detail=detail)
    pending.new.append(event)
    pending.events.append(event)


def add_entry(client_id: str | None, kind: str, fields: dict, by: str, limit: int, corrects: object = None) -> Callable:
    """The edit that adds one entry (see `change`); `client_id` None makes a fresh one (no resend
    safety); `corrects`, an entry id, makes it the correction of that rejected entry."""
    client_id = client_id or uuid.uuid4().hex

    def edit(pending: Pending) -> None:
        owner, rows = pending.owner, pending.rows
        if any(row.client_id == client_id for row in rows):
            return  # the same entry sent again: it is already there
        corrected = None if corrects is None else _correctable(rows, corrects, kind)
        if owner.entries_made >= limit:
            raise Refused(400, "full")
        number = owner.entries_made + 1
        row = TrackerEntry(
            block=owner.block, owner=owner, number=number, seq=_next_seq(owner), by=by[:255], client_id=client_id,
            kind=kind, fields=fields, supervising_au=str(fields.get("supervising_au") or "")[:200],
            preceptor=str(fields.get("preceptor") or "")[:150], corrects_id=corrected.pk if corrected else None,
            created=_now())
        row.standing = None  # no decision yet
        pending.new.append(row)  # `_save` inserts it, after the learner's row
        rows.append(row)
        owner.entries_made, owner.logged = number, True
    return edit


def _correctable(rows: list, entry_id: object, kind: str) -> TrackerEntry:
    """The learner's entry `entry_id` if a new entry of `kind` may correct it (see the module docstring)."""
    number = _number(entry_id)
    row = next((r for r in rows if r.number == number and r.deleted_at is None), None)
    if row is None or row.standing is None or row.standing.decision != EntryDecision.REJECTED:
        raise Refused(409, "not_rejected")
    if row.kind != kind:
        raise Refused(409, "other_kind")
    if any(other.corrects_id == row.pk for other in rows):
        raise Refused(409, "corrected")
    return row


def delete_entry(entry_id: object, by: str) -> Callable:
    """The edit that marks one live entry deleted; Refused(404) when there is none with that id."""
    def edit(pending: Pending) -> None:
        number = _number(entry_id)
        row = next((r for r in pending.rows if r.number == number and r.deleted_at is None), None)
        if row is None:
            raise Refused(404, "no_entry")
        row.deleted_at, row.awaiting = _now(), False
        TrackerEntry.objects.filter(pk=row.pk, deleted_at=None).update(deleted_at=row.deleted_at, awaiting=False)
        _audit(pending, by, "deleted", row)
    return edit


def set_plan(plan: dict, by: str) -> Callable:
    def edit(pending: Pending) -> None:
        pending.owner.plan = plan
        _audit(pending, by, "plan", None, plan=plan)
    return edit


def _number(entry_id: object) -> int | None:
    match = ENTRY_ID.fullmatch(entry_id) if isinstance(entry_id, str) else None
    return int(match.group(1)) if match else None


def decide(block: str, reviewer: Reviewer, preceptor: str, preceptor_name: str, learner: object, entry_id: object,
           decision: str, comment: str, measure: Callable) -> None:
    """See the module docstring."""
    retried(lambda: _decide(block, reviewer, preceptor, preceptor_name, learner, entry_id, decision, comment,
                    measure))


def _decide(block: str, reviewer: Reviewer, preceptor: str, preceptor_name: str, learner: object, entry_id: object,
            decision: str, comment: str, measure: Callable) -> None:
    number = _number(entry_id)
    if not isinstance(learner, str) or number is None:
        raise Refused(404, "no_entry")
    if learner == preceptor:
        raise Refused(403, "own_entry")
    try:
        with transaction.atomic():
            try:
                owner = TrackerLearner.objects.select_for_update().get(block=block, learner=learner)
            except TrackerLearner.DoesNotExist:
                raise Refused(404, "no_entry") from None
            # awaiting: live and undecided (the one-to-one decision is the database's own guard)
            row = TrackerEntry.objects.filter(owner=owner, number=number, awaiting=True).first()
            if row is None:
                raise Refused(404, "no_entry")
            allowed, override = may_decide(reviewer, row.kind, row.preceptor)
            if not allowed:
                raise Refused(403, "not_named")
            rejected = decision == EntryDecision.REJECTED
            EntryDecision.objects.create(entry=row, learner=learner, preceptor=preceptor,
                                         preceptor_name=preceptor_name[:255], decision=decision, comment=comment,
                                         at=_now(), rejected_entry=row.pk if rejected else None, override=override)
            TrackerEntry.objects.filter(pk=row.pk, awaiting=True).update(awaiting=False)
            pending = Pending(owner, False, _entry_rows(owner), had_met=list(owner.met))
            _audit(pending, preceptor_name, decision, row, comment=comment, **({"override": True} if override else {}))
            _remeasure(owner, pending.rows, measure)
            _save(pending)
    except IntegrityError:
        raise Refused(404, "no_entry") from None  # decided by another preceptor at the same moment


def learner_records(block: str, learner: str) -> Records:
    """See the module docstring."""
    owner = TrackerLearner.objects.filter(block=block, learner=learner).first()
    if owner is None:
        return Records(None, [], [], [])
    rows = _entry_rows(owner)
    entries, decisions = _as_data(rows)
    return Records(owner, entries, _audit_data(owner, rows), decisions)


def statuses_of(decisions: list) -> dict:
    return {record["entry"]: record["decision"] for record in decisions}
