"""How far a learner's entries go toward the chosen requirement sets: pure computation, no XBlock.

Contract: `progress(sets, entries, statuses, plan, today)` -> `Progress` (frozen; `to_data()` is
JSON-ready). Inputs:
- `entries`: the live (not deleted) entries, `{"id", "kind", "fields"}` as records.py stores them;
  a didactic entry is dated by its "end", the others by their "date".
- `statuses`: entry id -> "verified" | "rejected" | "pending"; a missing or unknown status is pending.
  Rejected entries count for nothing; pending ones count only toward `have_total`.
- `plan`: {"application_date": "YYYY-MM-DD" or None, "categories": [sought category ids]}.

Each requirement gets a status: "met" when the verified entries alone meet it, "awaiting_verification"
when verified and pending entries together would, "not_met" otherwise, and "not_sought" for a `cases`
requirement whose category the plan does not seek (it is then left out of `fraction`, and its cases
count toward no other requirement either). Meanings of the kinds: see requirements.py.

Recentness. The reference date is the planned application date, or `today` when the plan has none.
The cutoff is the reference date moved back `years` calendar years; an entry dated on or after the
cutoff is recent, so an entry dated exactly `years` years before the reference date is recent and
one a day older is not. When the reference date is 29 February and the cutoff year is not a leap
year, the cutoff is 1 March: no day of that year is exactly `years` years before, and 28 February
is already more than `years` years before. The entries checked are the "counted" ones: not
rejected, of kind didactic, work or case, and counting toward at least one training-and-experience
requirement (didactic_hours, total_hours, work_item, or cases in a sought category) of the chosen
sets. Every counted entry older than the cutoff gets a warning. The requirement is "met" (scoring 1
in `fraction`) when at least one verified counted entry is recent and no verified one is too old;
"not_met" when a verified one is too old or nothing is logged; else "awaiting_verification".

`fraction` is the mean, over the requirements that are not "not_sought", of min(have_verified / need,
1); for didactic_hours that ratio is multiplied by the share of listed topics with verified hours
(so 200 h in four of five topics scores 0.8, never 1); recentness scores 1 or 0 as above; a
declaration needs 1. With no applicable requirement the fraction is 0. So the fraction is 1 exactly
when every applicable requirement is met.

Hours are added as decimals (each number through its shortest repr), so 199.9 + 0.1 is exactly 200
and the boundaries are exact. Learner-facing strings are English templates passed through
`rpt_xblocks.translation._` before formatting.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import isfinite, nextafter
from typing import Callable, Mapping, NamedTuple, Sequence

from rpt_xblocks.tracker.requirements import Requirement, RequirementSet
from rpt_xblocks.tracker.vocabulary import ENTRY_KINDS, TOPICS, WORK_ITEMS
from rpt_xblocks.translation import _

STATUSES = ("met", "awaiting_verification", "not_met", "not_sought")
_TRAINING_KINDS = ("didactic_hours", "total_hours", "work_item", "cases")


@dataclass(frozen=True)
class RequirementProgress:
    set_id: str
    requirement_id: str
    title: str
    citation: str
    kind: str
    need: float | None          # hours or count; 1 for a declaration; None for recentness
    unit: str
    have_verified: float        # from verified entries (recentness: verified counted entries that are recent)
    have_total: float           # from verified and pending entries
    status: str                 # one of STATUSES
    missing: tuple[str, ...] = ()   # short learner-facing notes: topics with no hours, entries too old

    def to_data(self) -> dict:
        return {"set_id": self.set_id, "requirement_id": self.requirement_id, "title": self.title,
                "citation": self.citation, "kind": self.kind, "need": self.need, "unit": self.unit,
                "have_verified": self.have_verified, "have_total": self.have_total, "status": self.status,
                "missing": list(self.missing)}


class EntryWarning(NamedTuple):
    entry: str      # entry id
    message: str

    def to_data(self) -> dict:
        return {"entry": self.entry, "message": self.message}


@dataclass(frozen=True)
class Progress:
    requirements: tuple[RequirementProgress, ...]
    warnings: tuple[EntryWarning, ...]
    next_steps: tuple[str, ...]
    fraction: float

    def to_data(self) -> dict:
        return {"requirements": [r.to_data() for r in self.requirements],
                "warnings": [w.to_data() for w in self.warnings],
                "next_steps": list(self.next_steps), "fraction": self.fraction}


# ---- small helpers -------------------------------------------------------------------------------

def recentness_cutoff(reference: date, years: int) -> date:
    """The earliest date still within `years` years before `reference` (see the module docstring)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:  # 29 February, and the cutoff year is not a leap year
        return date(reference.year - years, 3, 1)


def _parse_date(text) -> date | None:
    if not isinstance(text, str) or len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decimal(value) -> Decimal | None:
    """A finite, non-negative number as an exact decimal (floats through their shortest repr)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if value >= 0 else None
    if isinstance(value, float) and isfinite(value) and value >= 0:
        return Decimal(repr(value))
    return None


def _amount(value: Decimal) -> str:
    """`value` without trailing zeros or exponent: 120, 0.5."""
    return format(value.normalize(), "f")


def _fields(entry) -> dict:
    fields = entry.get("fields") if isinstance(entry, dict) else None
    return fields if isinstance(fields, dict) else {}


def _entry_date(entry) -> date | None:
    fields = _fields(entry)
    return _parse_date(fields.get("end") if entry.get("kind") == "didactic" else fields.get("date"))


def _topic_hours(entry, topic) -> Decimal:
    hours = _fields(entry).get("hours")
    return (_decimal(hours.get(topic)) or Decimal(0)) if isinstance(hours, dict) else Decimal(0)


def _all_didactic_hours(entry) -> Decimal:
    hours = _fields(entry).get("hours")
    if not isinstance(hours, dict):
        return Decimal(0)
    return sum((_decimal(value) or Decimal(0) for topic, value in hours.items() if topic in TOPICS), Decimal(0))


# ---- one requirement -----------------------------------------------------------------------------

@dataclass
class _Measure:
    have_verified: Decimal
    have_total: Decimal
    met_verified: bool
    met_total: bool
    score: float                      # this requirement's share of `fraction`
    counted: list                     # entries counting toward it (not rejected)
    missing: tuple[str, ...] = ()
    shortfall: Decimal = Decimal(0)   # what is still to log, counting pending entries
    empty_topics: tuple[str, ...] = ()


_BELOW_ONE = nextafter(1.0, 0.0)


def _ratio(have: Decimal, need: Decimal) -> float:
    """min(have / need, 1), and below 1 whenever have < need (rounding never makes a shortfall whole)."""
    return 1.0 if have >= need else min(float(have / need), _BELOW_ONE)


def _measure(requirement: Requirement, verified: list, counting: list) -> _Measure:
    """`verified`: verified entries; `counting`: verified and pending ones."""
    kind = requirement.kind
    need = _decimal(requirement.quantity) if requirement.quantity is not None else Decimal(1)

    def amount(entries, value_of):
        return sum((value_of(e) for e in entries), Decimal(0))

    if kind == "didactic_hours":
        topics = requirement.topics
        by_topic_v = {t: amount([e for e in verified if e["kind"] == "didactic"], lambda e, t=t: _topic_hours(e, t))
                      for t in topics}
        by_topic_t = {t: amount([e for e in counting if e["kind"] == "didactic"], lambda e, t=t: _topic_hours(e, t))
                      for t in topics}
        have_v, have_t = sum(by_topic_v.values(), Decimal(0)), sum(by_topic_t.values(), Decimal(0))
        empty = tuple(t for t in topics if by_topic_t[t] == 0)
        covered = sum(1 for t in topics if by_topic_v[t] > 0) / len(topics)
        counted = [e for e in counting if e["kind"] == "didactic" and any(_topic_hours(e, t) > 0 for t in topics)]
        return _Measure(have_v, have_t, have_v >= need and all(by_topic_v[t] > 0 for t in topics),
                        have_t >= need and not empty, _ratio(have_v, need) * covered, counted,
                        missing=tuple(_("no hours in {topic}").format(topic=_(TOPICS[t])) for t in empty),
                        shortfall=max(need - have_t, Decimal(0)), empty_topics=empty)

    if kind == "total_hours":
        def hours(entry):
            if entry["kind"] == "didactic":
                return _all_didactic_hours(entry)
            if entry["kind"] == "work":
                return _decimal(_fields(entry).get("hours")) or Decimal(0)
            return Decimal(0)
        have_v, have_t = amount(verified, hours), amount(counting, hours)
        counted = [e for e in counting if hours(e) > 0]
    else:
        def matches(entry):
            fields = _fields(entry)
            if kind == "work_item":
                return entry["kind"] == "work" and fields.get("item") == requirement.item
            if kind == "cases":
                return entry["kind"] == "case" and fields.get("category") == requirement.category
            return entry["kind"] == "declaration" and fields.get("requirement") == requirement.id
        counted = [e for e in counting if matches(e)]
        have_v, have_t = Decimal(sum(1 for e in verified if matches(e))), Decimal(len(counted))
    return _Measure(have_v, have_t, have_v >= need, have_t >= need, _ratio(have_v, need), counted,
                    shortfall=max(need - have_t, Decimal(0)))


# ---- next steps ----------------------------------------------------------------------------------

def _shortfall_step(requirement: Requirement, measure: _Measure) -> tuple[tuple, Decimal, Callable[[Decimal], str]] | None:
    """(key for merging, amount, message maker) for what is still to log, or None."""
    if measure.shortfall <= 0:
        return None
    kind = requirement.kind
    if kind == "didactic_hours":
        if set(requirement.topics) == set(TOPICS):
            return (kind, frozenset(requirement.topics)), measure.shortfall, lambda n: (
                _("Log 1 more hour of classroom and laboratory training.") if n == 1 else
                _("Log {hours} more hours of classroom and laboratory training.").format(hours=_amount(n)))
        names = "; ".join(_(TOPICS[t]) for t in requirement.topics)
        return (kind, frozenset(requirement.topics)), measure.shortfall, lambda n: (
            _("Log 1 more hour of classroom and laboratory training in: {topics}.").format(topics=names) if n == 1
            else _("Log {hours} more hours of classroom and laboratory training in: {topics}.").format(
                hours=_amount(n), topics=names))
    if kind == "total_hours":
        return (kind,), measure.shortfall, lambda n: (
            _("Log 1 more hour of training or supervised work experience.") if n == 1 else
            _("Log {hours} more hours of training or supervised work experience.").format(hours=_amount(n)))
    if kind == "work_item":
        item, label = requirement.item, _(WORK_ITEMS[requirement.item])
        return (kind, item), measure.shortfall, lambda n: (
            _("Log supervised work experience for item {item}: {label}.").format(item=item, label=label) if n == 1
            else _("Log {count} more supervised work-experience entries for item {item}: {label}.").format(
                count=_amount(n), item=item, label=label))
    if kind == "cases":
        category = requirement.category
        return (kind, category), measure.shortfall, lambda n: (
            _("Log 1 more {category} case.").format(category=category) if n == 1
            else _("Log {count} more {category} cases.").format(count=_amount(n), category=category))
    if kind == "declaration":
        return (kind, requirement.id), measure.shortfall, lambda n: _(
            "Add the declaration: {title}.").format(title=_(requirement.title))
    return None


def _ids(entries) -> str:
    return ", ".join(e["id"] for e in entries)


# ---- the whole computation -----------------------------------------------------------------------

def progress(sets: Sequence[RequirementSet], entries: Sequence[dict], statuses: Mapping[str, str],
             plan: Mapping, today: date) -> Progress:
    """See the module docstring."""
    plan = plan if isinstance(plan, Mapping) else {}
    sought = set(plan.get("categories") or ())
    planned = _parse_date(plan.get("application_date"))
    reference = planned or today
    live = [e for e in entries if isinstance(e, dict) and not e.get("deleted") and isinstance(e.get("id"), str)
            and e.get("kind") in ENTRY_KINDS]

    def status_of(entry) -> str:
        status = statuses.get(entry["id"], "pending")
        return status if status in ("verified", "rejected") else "pending"

    verified = [e for e in live if status_of(e) == "verified"]
    counting = [e for e in live if status_of(e) != "rejected"]

    pairs = [(s, r) for s in sets for r in s.requirements]
    measures: dict[int, _Measure] = {}
    counted_ids: set[str] = set()
    for index, (_set, requirement) in enumerate(pairs):
        if requirement.kind == "recentness":
            continue
        measure = _measure(requirement, verified, counting)
        measures[index] = measure
        sought_here = requirement.kind != "cases" or requirement.category in sought
        if requirement.kind in _TRAINING_KINDS and sought_here:
            counted_ids.update(e["id"] for e in measure.counted if e["kind"] in ("didactic", "work", "case"))
    counted = [e for e in counting if e["id"] in counted_ids]

    rows: list[RequirementProgress] = []
    scores: list[float] = []
    warnings: list[EntryWarning] = []
    merged: dict[tuple, tuple] = {}  # what to log, merged across sets: key -> (largest amount, message maker)
    empty_topics: list[str] = []
    recentness_steps: list[str] = []
    for index, (requirement_set, requirement) in enumerate(pairs):
        common = {"set_id": requirement_set.id, "requirement_id": requirement.id, "title": _(requirement.title),
                  "citation": requirement.citation, "kind": requirement.kind, "unit": requirement.unit}
        if requirement.kind == "recentness":
            cutoff = recentness_cutoff(reference, requirement.years)
            dated = [(e, _entry_date(e)) for e in counted]
            old = [(e, d) for e, d in dated if d is not None and d < cutoff]
            for entry, day in dated:
                if day is None:
                    warnings.append(EntryWarning(entry["id"], _("This entry has no valid date: delete it and log it "
                                                                "again with its date.")))
            when = (_("your planned application date ({date})") if planned else
                    _("today ({date})")).format(
                date=reference.isoformat())
            for entry, day in old:
                message = _("Dated {date}: more than {years} years before {when}; see {citation}.").format(
                    date=day.isoformat(), years=requirement.years, when=when, citation=requirement.citation)
                if requirement.description:
                    message += " " + _(requirement.description)
                warnings.append(EntryWarning(entry["id"], message))
            old_verified = [(e, d) for e, d in old if status_of(e) == "verified"]
            old_ids = {e["id"] for e, _d in old}
            recent_verified = sum(1 for e in counted if status_of(e) == "verified" and e["id"] not in old_ids)
            recent_total = sum(1 for e in counted if e["id"] not in old_ids)
            met = recent_verified > 0 and not old_verified  # nothing logged yet is not "recent training"
            rows.append(RequirementProgress(
                **common, need=None, have_verified=float(recent_verified), have_total=float(recent_total),
                status="met" if met else "awaiting_verification" if recent_total and not old_verified else "not_met",
                missing=tuple(_("{entry} dated {date}").format(entry=e["id"], date=d.isoformat())
                              for e, d in old_verified)))
            scores.append(1.0 if met else 0.0)
            if old_verified:
                recentness_steps.append(_(
                    "Ask your preceptor about {entries}: dated before {cutoff}, more than {years} years before "
                    "{reference} ({citation}).").format(entries=_ids(e for e, _d in old_verified),
                                                        cutoff=cutoff.isoformat(), years=requirement.years,
                                                        reference=reference.isoformat(),
                                                        citation=requirement.citation))
            continue
        measure = measures[index]
        if requirement.kind == "cases" and requirement.category not in sought:
            status = "not_sought"
        else:
            status = ("met" if measure.met_verified else
                      "awaiting_verification" if measure.met_total else "not_met")
            scores.append(measure.score)
        rows.append(RequirementProgress(
            **common, need=float(requirement.quantity) if requirement.quantity is not None else 1.0,
            have_verified=float(measure.have_verified), have_total=float(measure.have_total), status=status,
            missing=measure.missing))
        if status == "not_met":
            step = _shortfall_step(requirement, measure)
            if step is not None:
                key, amount, make = step
                if key not in merged or merged[key][0] < amount:
                    merged[key] = (amount, make)
            empty_topics += [t for t in measure.empty_topics if t not in empty_topics]

    steps: list[str] = []
    if any(r.kind == "cases" for _s, r in pairs) and not sought:
        steps.append(_("Choose the case categories you seek in your plan."))
    if any(r.kind == "recentness" for _s, r in pairs) and planned is None:
        steps.append(_("Set your planned application date in your plan, so that recentness is checked against it."))
    for key, (amount, make) in merged.items():
        if amount > 0:
            steps.append(make(amount))
    steps += [_("Log classroom and laboratory hours in {topic}.").format(topic=_(TOPICS[t])) for t in empty_topics]
    steps += recentness_steps
    pending = [e for e in live if status_of(e) == "pending"]
    if len(pending) == 1:
        steps.append(_("Ask your preceptor to verify 1 entry ({entries}).").format(entries=_ids(pending)))
    elif pending:
        steps.append(_("Ask your preceptor to verify {count} entries ({entries}).").format(
            count=len(pending), entries=_ids(pending)))
    rejected = [e for e in live if status_of(e) == "rejected"]
    if len(rejected) == 1:
        steps.append(_("Read the preceptor's comment on the rejected entry {entries}, then delete it or log it "
                       "again corrected.").format(entries=_ids(rejected)))
    elif rejected:
        steps.append(_("Read the preceptors' comments on the {count} rejected entries ({entries}), then delete "
                       "them or log them again corrected.").format(count=len(rejected), entries=_ids(rejected)))
    applicable = [r for r in rows if r.status != "not_sought"]
    if not steps and applicable and all(r.status == "met" for r in applicable):
        steps.append(_("Every requirement shown is met and verified: print the summary for your preceptor."))
    fraction = sum(scores) / len(scores) if scores else 0.0
    if any(r.status != "met" for r in applicable):
        fraction = min(fraction, _BELOW_ONE)  # a mean of near-ones must not round up to "complete"
    return Progress(tuple(rows), tuple(warnings), tuple(steps), fraction)
