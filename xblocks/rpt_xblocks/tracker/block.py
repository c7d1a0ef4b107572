"""The rpt_prereq_tracker XBlock: the Authorized User prerequisite and case-log tracker.

A thin shell over plain modules: `records.py` checks what a learner logs (and refuses patient
identifiers, `phi.py`), `requirements.py` holds the requirement sets, `progress.py` measures the
learner against them, `review.py` keeps the preceptors' decisions, `export.py` writes the CSV and
the printable summary. Every handler checks its whole input before changing a field; a refusal is
a 4xx with a message and leaves every field as it was.

Where things live: the learner's entries, plan, own audit trail and the preceptors' decisions about
their entries are `Scope.user_state`. Staff cannot write into a learner's state from the LMS, so they
decide from a block-wide queue (`Scope.user_state_summary`, `review.py`) that holds only learners with
entries awaiting a decision or decisions not yet moved to them; the learner's next request moves
those decisions into their own state. A block-wide table counts the learners meeting each requirement.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Float, Integer, Scope, String

from rpt_xblocks.content_fields import (ContentList, LearnerRecordDict, LearnerRecordList, SavedWithoutCopyMixin,
                                        SharedRecordDict, SharedRecordList)
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.learner_block import LearnerBlockMixin, learner_fragment
from rpt_xblocks.tracker import export, review
from rpt_xblocks.tracker.plan import PlanError, plan_from_request
from rpt_xblocks.tracker.progress import progress
from rpt_xblocks.tracker.records import EntryError, entry_fields
from rpt_xblocks.tracker.requirements import shipped_sets, stored_requirement_set
from rpt_xblocks.tracker.tracker_olx import TAG, tracker_from_xml, tracker_to_xml
from rpt_xblocks.tracker.view_labels import labels, vocabulary
from rpt_xblocks.tracker.vocabulary import ENTRY_KINDS, REVIEW_DECISIONS
from rpt_xblocks.olx_block import OlxBlockMixin
from rpt_xblocks.sanitizing import plain_text
from rpt_xblocks.translation import translated_by

_ = lambda text: text  # noqa: E731  marks field help for extraction; the i18n service translates at run time

MAX_ENTRIES = 500
MAX_COMMENT = 500
DEFAULT_SETS = ["nrc-35-390", "nrc-35-396", "astro-au-training-center", "nrc-35-59-recentness"]


def _resource(name: str) -> str:
    return resources.files("rpt_xblocks.tracker").joinpath(name).read_text("utf-8")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@XBlock.wants("user", "studio_user_permissions")  # olx_block.may_edit
@XBlock.needs("i18n")
class TrackerBlock(SavedWithoutCopyMixin, OlxBlockMixin, LearnerBlockMixin, CompletableXBlockMixin, XBlock):
    """Training, supervised work and cases logged against 10 CFR Part 35; preceptors verify."""

    display_name = String(display_name=_("Display name"), scope=Scope.settings,
                          default="Authorized User prerequisite tracker", help=_("The tracker's heading."))
    sets = String(display_name=_("Requirement sets"), scope=Scope.settings, default=" ".join(DEFAULT_SETS),
                  help=_("Ids of the shipped requirement sets this tracker shows, separated by spaces: "
                         "nrc-35-390, nrc-35-392, nrc-35-394, nrc-35-396, astro-au-training-center, nrc-35-59-recentness."))
    custom_sets = ContentList(scope=Scope.content, default=[], help=_("The institution's own requirement sets (edit the OLX)."))

    entries = LearnerRecordList(scope=Scope.user_state, default=[], help="The learner's entries; deleting only marks them.")
    audit = LearnerRecordList(scope=Scope.user_state, default=[], help="The learner's own changes, append-only.")
    plan = LearnerRecordDict(scope=Scope.user_state, default={}, help="Planned application date and categories sought.")
    next_entry = Integer(scope=Scope.user_state, default=1, help="The number of the next entry id.")
    completion_sent = Float(scope=Scope.user_state, default=None, help="The completion last reported.")

    decisions = LearnerRecordList(scope=Scope.user_state, default=[],
                                  help="Preceptors' decisions about the learner's entries, moved here from the queue; append-only.")
    counted_met = LearnerRecordList(scope=Scope.user_state, default=None,
                                    help="The requirements the counts hold the learner as meeting while the learner "
                                         "is not in the queue (None: not counted, nothing logged).")

    # Block-wide rows, never changed in place: each change assigns a new value, so XBlock does not
    # deep-copy them on read nor, with `SavedWithoutCopyMixin`, after saving them.
    review_queue = SharedRecordDict(
        scope=Scope.user_state_summary, default={},
        help="Learner -> snapshot, only for learners with entries awaiting a decision or decisions to deliver.")
    review_counts = SharedRecordDict(
        scope=Scope.user_state_summary, default={},
        help="How many learners logged, and how many meet each requirement (empty until first used).")
    review_log = SharedRecordList(
        scope=Scope.user_state_summary, default=[],
        help="Every decision, as versions before the bounded queue kept them; moved into the queue on first use.")

    has_custom_completion = True
    icon_class = "other"
    OLX_TAG = TAG
    STUDIO_PREFIX = "tracker"
    STUDIO_SETTINGS = ("display_name", "sets")
    STUDIO_CONTENT_LABEL = _("Your institution's own requirement sets (OLX <requirement_set> elements; may be empty)")
    STUDIO_NOT_SAVED = _("The tracker was not saved: fix these problems.")

    # ---- who -----------------------------------------------------------------------------------

    def learner_key(self) -> str:
        return str(self._current_user_attribute("edx-platform.anonymous_user_id") or self.scope_ids.user_id)

    def learner_name(self) -> str:
        name = self._current_user_attribute("edx-platform.username")
        if not name:
            user_service = self.runtime.service(self, "user")
            name = user_service.get_current_user().full_name if user_service else None
        return str(name or self.scope_ids.user_id)

    # ---- the model -----------------------------------------------------------------------------

    def requirement_sets(self) -> list:
        """The sets shown: the shipped ones named in `sets`, then the institution's own (checked as
        `requirement_set_from_data` checks them, once per process for each content)."""
        known = shipped_sets()
        chosen = [known[i] for i in self.sets.split() if i in known]
        return chosen + [stored_requirement_set(data) for data in self.custom_sets]

    def _measure(self, entries: list, plan: dict, statuses: dict):
        """The `Progress` of live `entries` under `plan`, given entry id -> decision `statuses`."""
        live = [e for e in entries if not e.get("deleted")]
        with translated_by(self.translator()):
            return progress(self.requirement_sets(), live, statuses, plan, _now().date())

    @staticmethod
    def _met(measured) -> list:
        """The requirements ("set:requirement") `measured` meets, sorted as the queue and counts keep them."""
        return sorted(f"{r.set_id}:{r.requirement_id}" for r in measured.requirements if r.status == "met")

    def _review_rows(self) -> tuple[dict, dict, bool]:
        """(queue, counts, stored): the block-wide rows as stored, or, when they hold what earlier
        versions stored (a queue of every learner and a decision log), converted and not yet stored
        (`stored` False; `_store_review_rows` stores them). Reading changes no field."""
        queue, counts = self.review_queue, self.review_counts
        if counts:
            return queue, counts, True
        log = self.review_log
        if not queue and not log:
            return queue, review.EMPTY_COUNTS, True
        return (*review.from_earlier_version(queue, log), False)

    def _store_review_rows(self, read: tuple[dict, dict, bool], queue: dict, counts: dict) -> None:
        """Assign the rows that differ from `read` (what `_review_rows` gave); all of them, and an
        emptied log, when `read` was converted from an earlier version."""
        read_queue, read_counts, stored = read
        if queue is not read_queue or not stored:
            self.review_queue = queue
        if counts is not read_counts or not stored:
            self.review_counts = counts
        if not stored:
            self.review_log = []

    def _state(self, learner: str | None = None, measured=None, rows: tuple | None = None) -> dict:
        """The learner's state; `learner` is `learner_key()`, `measured` this learner's `Progress` and
        `rows` what `_review_rows()` gives (or the rows just stored), when the caller has them."""
        learner = learner or self.learner_key()
        queue, counts, _stored = rows or self._review_rows()
        undelivered = queue.get(learner, {}).get("undelivered", [])
        decisions, entries, plan = [*self.decisions, *undelivered], self.entries, self.plan
        records = review.latest_records(decisions)
        if measured is None:
            measured = self._measure(entries, plan, review.latest_statuses(decisions))
        shown = []
        for entry in entries:
            record = records.get(entry["id"])
            shown.append({**entry, "status": record["decision"] if record else "pending",
                          "review": ({"by": record["by"], "at": record["at"], "comment": record["comment"]}
                                     if record else None)})
        trail = sorted([*self.audit, *({"at": r["at"], "by": r["by"], "action": r["decision"], "entry": r["entry"],
                                        "comment": r["comment"]} for r in decisions)],
                       key=lambda event: event["at"])
        state = {"entries": shown, "plan": plan, "progress": measured.to_data(), "audit": trail,
                 "staff": self.is_staff(),
                 "stale": measured.fraction != self.completion_sent or bool(undelivered)}
        if state["staff"]:
            state["review"] = {"pending": review.pending_reviews(queue), "counts": dict(counts.get("met", {})),
                               "learners": counts.get("learners", 0)}
        return state

    def _after_change(self, audit_event: dict | None) -> dict:
        """Record an accepted change: the audit event; the decisions waiting in the queue, moved into
        the learner's state; the learner's snapshot (kept only while entries await a decision); the
        counts; completion. Returns the state. Each field is read once here (a read of the learner's
        list or dict fields costs XBlock a deep copy the first time; the block-wide ones are not copied)."""
        learner, name = self.learner_key(), self.learner_name()
        if audit_event is not None:
            audit = self.audit
            self.audit = [*audit, {"seq": len(audit) + 1, "at": _now().isoformat(), "by": name, **audit_event}]
        read = self._review_rows()
        queue, counts, _stored = read
        snapshot = queue.get(learner)
        decisions = self.decisions
        if snapshot and snapshot.get("undelivered"):
            decisions = [*decisions, *snapshot["undelivered"]]
            self.decisions = decisions
        entries, plan = self.entries, self.plan
        statuses = review.latest_statuses(decisions)
        measured = self._measure(entries, plan, statuses)
        counted_before = snapshot["met"] if snapshot else self.counted_met
        counted = self._met(measured) if entries or counted_before is not None else None  # visitors who log nothing are not counted
        counts = review.counts_with(counts, counted_before, counted)
        waiting = review.awaiting(entries, statuses)
        queue = review.queue_with(queue, learner, review.learner_snapshot(name, entries, plan, statuses, counted)
                                  if waiting else None)
        self._store_review_rows(read, queue, counts)
        if self.counted_met != counted:
            self.counted_met = counted
        if self.completion_sent != measured.fraction:
            self.completion_sent = measured.fraction
            self.emit_completion(measured.fraction)
        return self._state(learner, measured, (queue, counts, True))

    # ---- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The page; it changes no field. When a preceptor's decision has changed the learner's
        progress since it was last reported (`stale`), the script asks the `state` handler, which
        reports completion and refreshes the review queue."""
        return learner_fragment("tracker", self.display_name, _resource("static/tracker.css"),
                                _resource("static/tracker.js"), "RptTrackerBlock",
                                {"state": self._state(), "labels": labels(self.ugettext),
                                 "vocabulary": vocabulary(self.ugettext, self.requirement_sets())})

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: this learner's entries, progress and trail (and, for staff, the queue)."""
        return {**self._state(), "vocabulary": vocabulary(self.ugettext, self.requirement_sets())}

    # ---- learner handlers ----------------------------------------------------------------------

    @json_handler()
    def state(self, data):  # pylint: disable=unused-argument
        return self._after_change(None)

    @json_handler()
    def add_entry(self, data):
        kind = data.get("kind")
        if kind not in ENTRY_KINDS:
            raise HandlerError(400, self.ugettext("Choose what kind of entry this is."), field="kind")
        entries = self.entries
        if len(entries) >= MAX_ENTRIES:
            raise HandlerError(400, self.ugettext("This tracker holds at most {n} entries.").format(n=MAX_ENTRIES))
        try:
            with translated_by(self.translator()):
                fields = entry_fields(kind, data.get("fields"), _now().date())
        except EntryError as error:
            raise HandlerError(400, error.message, field=error.field) from None
        number = self.next_entry
        entry = {"id": f"e{number}", "kind": kind, "fields": fields, "created": _now().isoformat(), "deleted": False}
        self.next_entry = number + 1
        self.entries = [*entries, entry]
        return self._after_change({"action": "added", "entry": entry["id"], "kind": kind})

    @json_handler()
    def delete_entry(self, data):
        entry_id = data.get("entry")
        index = next((i for i, e in enumerate(self.entries) if e["id"] == entry_id and not e.get("deleted")), None)
        if index is None:
            raise HandlerError(404, self.ugettext("There is no such entry to delete."))
        entries = list(self.entries)
        entries[index] = {**entries[index], "deleted": True, "deleted_at": _now().isoformat()}
        self.entries = entries
        return self._after_change({"action": "deleted", "entry": entry_id})

    @json_handler()
    def set_plan(self, data):
        try:
            with translated_by(self.ugettext):
                plan = plan_from_request(data, _now().date())
        except PlanError as error:
            raise HandlerError(400, error.message, field=error.field) from None
        self.plan = plan
        return self._after_change({"action": "plan", "plan": plan})

    # ---- staff ---------------------------------------------------------------------------------

    @json_handler()
    def review_entry(self, data):
        """Staff verify or reject one learner's entry, with a comment (required to reject)."""
        t = self.ugettext
        if not self.is_staff():
            raise HandlerError(403, t("Only course staff acting as preceptors can verify entries."))
        learner, entry_id, decision = data.get("learner"), data.get("entry"), data.get("decision")
        comment = data.get("comment", "")
        if learner == self.learner_key():
            raise HandlerError(403, t("You cannot verify your own entries: another preceptor must."))
        read = self._review_rows()
        queue, counts, _stored = read
        snapshot = queue.get(learner) if isinstance(learner, str) else None
        if snapshot is None or not any(e["id"] == entry_id for e in review.awaiting(snapshot.get("entries", []),
                                                                                    snapshot.get("statuses", {}))):
            raise HandlerError(404, t("There is no such entry waiting for review; reload the page."))
        if decision not in REVIEW_DECISIONS:
            raise HandlerError(400, t("Choose to verify or to reject the entry."), field="decision")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise HandlerError(400, t("Write a comment of at most {n} characters.").format(n=MAX_COMMENT),
                               field="comment")
        comment = plain_text(comment)
        if decision == "rejected" and not comment:
            raise HandlerError(400, t("Say why the entry is rejected, so the learner can correct it."), field="comment")
        record = {"entry": entry_id, "decision": decision, "comment": comment, "by": self.learner_name(),
                  "at": _now().isoformat()}
        statuses = {**snapshot.get("statuses", {}), entry_id: decision}
        met = self._met(self._measure(snapshot["entries"], snapshot.get("plan", {}), statuses))
        self._store_review_rows(read, review.queue_with(queue, learner, review.decided(snapshot, record, met)),
                                review.counts_with(counts, snapshot["met"], met))
        self.runtime.publish(self, "edx.rpt_prereq_tracker.entry_reviewed", {"entry": entry_id, "decision": decision})
        return self._state()

    # ---- exports -------------------------------------------------------------------------------

    @XBlock.handler
    def case_log_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """The learner's case log as CSV (GET)."""
        if request.method != "GET":
            return Response(status=405)
        state = self._state()
        body = export.case_log_csv(state["entries"], self.ugettext)
        return Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="case-log.csv"')

    @XBlock.handler
    def printable_summary(self, request, suffix=""):  # pylint: disable=unused-argument
        """A printable page laid out like the training sections of NRC Form 313A(AUT) (GET)."""
        if request.method != "GET":
            return Response(status=405)
        state = self._state()
        with translated_by(self.ugettext):
            page = export.printable_summary(self.learner_name(), state, self.requirement_sets(), self.ugettext)
        return Response(body=page.encode("utf-8"), content_type="text/html", charset="utf-8",
                        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})

    # ---- OLX and Studio (OlxBlockMixin) ------------------------------------------------------------

    fields_from_olx = staticmethod(tracker_from_xml)

    def olx_element(self):
        return tracker_to_xml(self.display_name, self.sets.split(), list(self.custom_sets))

    def studio_saved(self) -> dict:
        return {"sets": len(self.requirement_sets())}

    @staticmethod
    def workbench_scenarios():
        return [("rpt_prereq_tracker: the AU prerequisite tracker", _resource("scenarios/example.xml"))]

