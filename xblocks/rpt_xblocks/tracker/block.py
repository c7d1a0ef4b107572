"""The rpt_prereq_tracker XBlock: the Authorized User prerequisite and case-log tracker.

A thin shell over plain modules: `records.py` checks what a learner logs (and refuses patient
identifiers, `phi.py`), `requirements.py` holds the requirement sets, `progress.py` measures the
learner against them, `store.py` keeps the records (`queue.py` reads the preceptors' queue),
`preceptors.py` says who may decide an entry, `view_state.py` shapes what the page shows, `export.py`
writes the CSV and the printable summary. Every handler checks its whole input before anything is written; a refusal is a 4xx with a
message and writes nothing.

Where things live: every entry, audit event, preceptor decision and plan is a database row (the
records app, `store.py`), changed one learner at a time under a lock on that learner's row; the
block's XBlock fields hold only the author's settings and content. Staff decide from their own view
of the unit: the queue is a paginated query over the entries awaiting a decision (filterable by the
supervising AU a learner named), and the counts are a GROUP BY over the requirements learners meet.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from webob import Response
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Scope, String

from rpt_xblocks.content_fields import ContentList
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.learner_block import LearnerBlockMixin, learner_fragment
from rpt_xblocks.tracker import export, queue, store, view_state
from rpt_xblocks.tracker.plan import PlanError, plan_from_request
from rpt_xblocks.tracker.preceptors import Reviewer
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
MAX_FILTER = 200
QUEUE_PAGE = 25
DEFAULT_SETS = ["nrc-35-390", "nrc-35-396", "astro-au-training-center", "nrc-35-59-recentness"]


def _resource(name: str) -> str:
    return resources.files("rpt_xblocks.tracker").joinpath(name).read_text("utf-8")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


@XBlock.wants("user", "studio_user_permissions", "replace_urls")  # olx_block.may_edit; course_links
@XBlock.needs("i18n")
class TrackerBlock(OlxBlockMixin, LearnerBlockMixin, CompletableXBlockMixin, XBlock):
    """Training, supervised work and cases logged against 10 CFR Part 35; preceptors verify."""

    display_name = String(display_name=_("Display name"), scope=Scope.settings,
                          default="Authorized User prerequisite tracker", help=_("The tracker's heading."))
    sets = String(display_name=_("Requirement sets"), scope=Scope.settings, default=" ".join(DEFAULT_SETS),
                  help=_("Ids of the shipped requirement sets this tracker shows, separated by spaces: "
                         "nrc-35-390, nrc-35-392, nrc-35-394, nrc-35-396, astro-au-training-center, nrc-35-59-recentness."))
    custom_sets = ContentList(scope=Scope.content, default=[], help=_("The institution's own requirement sets (edit the OLX)."))

    has_custom_completion = True
    icon_class = "other"
    OLX_TAG = TAG
    STUDIO_PREFIX = "tracker"
    STUDIO_SETTINGS = ("display_name", "sets")
    STUDIO_CONTENT_LABEL = _("Your institution's own requirement sets (OLX <requirement_set> elements; may be empty)")
    STUDIO_NOT_SAVED = _("The tracker was not saved: fix these problems.")

    # ---- who -----------------------------------------------------------------------------------

    def learner_name(self) -> str:
        """Who acts, in the audit trail: the username (else the full name, else the runtime's user id)."""
        name = self._current_user_attribute("edx-platform.username")
        return str(name or self.full_name() or self.scope_ids.user_id)

    def full_name(self) -> str:
        """The current user's full name from the runtime's user service (the LMS profile name); '' if none."""
        user_service = self.runtime.service(self, "user")
        name = user_service.get_current_user().full_name if user_service else None
        return " ".join(str(name).split()) if name else ""

    def name_for_preceptors(self) -> str:
        """How preceptors see the learner in their queue: "Full Name (username)", or what there is."""
        full, username = self.full_name(), self._current_user_attribute("edx-platform.username")
        if full and username and full != username:
            return f"{full} ({username})"
        return full or self.learner_name()

    def reviewer(self) -> Reviewer:
        """The current user as a reviewer (preceptors.py), from the runtime's user service."""
        user_service = self.runtime.service(self, "user")
        attributes = user_service.get_current_user().opt_attrs if user_service else {}
        return Reviewer.of(attributes, self.is_staff())

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.runtime.service(self, "i18n").ngettext(singular, plural, count)

    # ---- the model -----------------------------------------------------------------------------

    def requirement_sets(self) -> list:
        """The sets shown: the shipped ones named in `sets`, then the institution's own (checked as
        `requirement_set_from_data` checks them, once per process for each content)."""
        known = shipped_sets()
        chosen = [known[i] for i in self.sets.split() if i in known]
        return chosen + [stored_requirement_set(data) for data in self.custom_sets]

    def _measurer(self):
        """`measure(entries, plan, statuses)`: the `Progress` of the live `entries` under `plan`, given
        entry id -> decision `statuses` (what `store` calls under the learner's lock)."""
        sets, translate, today = self.requirement_sets(), self.translator(), _now().date()

        def measure(entries: list, plan: dict, statuses: dict):
            live = [e for e in entries if not e.get("deleted")]
            with translated_by(translate):
                return progress(sets, live, statuses, plan, today)
        return measure

    def _state(self, review: dict | None = None, measured=None, records: store.Records | None = None) -> dict:
        """The learner's state from their `records` (read when not given; `measured` is their
        `Progress`, when the caller has it); for staff also one page of the review queue (`review`:
        {"page", "supervising_au", "queue"} asked for) and the counts. The queue is the entries naming
        the reviewer ("mine": the default, except for a course Admin) or every entry waiting ("all")."""
        block, learner = self.record_block_key(), self.learner_key()
        owner, entries, audit, decisions = records or store.learner_records(block, learner)
        statuses = store.statuses_of(decisions)
        if measured is None:
            measured = self._measurer()(entries, owner.plan if owner else {}, statuses)
        shown = view_state.shown_entries(entries, decisions)
        progress_data = measured.to_data()
        reported = owner.completion_reported if owner else None
        state = {"entries": shown, "plan": owner.plan if owner else {}, "progress": progress_data,
                 "summary": view_state.summary(progress_data, shown, self.ngettext),
                 "audit": audit, "staff": self.is_staff(),
                 "stale": bool(owner) and measured.fraction != reported}
        if state["staff"]:
            review, reviewer = review or {}, self.reviewer()
            chosen = review.get("queue") or ("all" if reviewer.override or not reviewer.username else "mine")
            page = queue.review_page(block, learner, review.get("page", 1), QUEUE_PAGE, review.get("supervising_au"),
                                     reviewer.username if chosen == "mine" else None)
            state["review"] = {**view_state.review_view(page, reviewer, chosen, self.ngettext),
                               **dict(zip(("learners", "counts"), queue.counts(block)))}
        return state

    def _review_request(self, data: dict) -> dict:
        """The queue page, filter and queue ("mine", "all"; "" for the default) asked for in `data` (staff), checked."""
        page, au, chosen = data.get("page", 1), data.get("supervising_au", ""), data.get("queue", "")
        if chosen not in ("", "mine", "all"):
            raise HandlerError(400, self.ugettext("Choose the entries naming you or all entries."), field="queue")
        if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= 10**6:
            raise HandlerError(400, self.ugettext("Ask for a page number from 1."), field="page")
        if not isinstance(au, str) or len(au) > MAX_FILTER:
            raise HandlerError(400, self.ugettext("Filter by a supervising Authorized User's name."),
                               field="supervising_au")
        return {"page": page, "supervising_au": au, "queue": chosen}

    def _changed(self, edit, review: dict | None = None) -> dict:
        """Apply one learner `edit` under the learner's lock (`store.change`), report completion when it
        changed, and return the state. A `store.Refused` becomes the matching 4xx; nothing is written."""
        t = self.ugettext
        try:
            records, measured, reported = store.change(self.record_block_key(), self.learner_key(),
                                                       self.name_for_preceptors(), edit, self._measurer())
        except store.Refused as refusal:
            message = {"full": t("This tracker holds at most {n} entries.").format(n=MAX_ENTRIES),
                       "no_entry": t("There is no such entry to delete."),
                       "not_rejected": t("Only a rejected entry can be corrected: reload the page."),
                       "other_kind": t("A correction is an entry of the same kind as the rejected one."),
                       "corrected": t("This entry has been corrected already: see its correction.")}[refusal.reason]
            raise HandlerError(refusal.status, message) from None
        if reported:
            self.emit_completion(measured.fraction)
        return self._state(review, measured, records)

    # ---- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The page; it writes nothing. When a preceptor's decision has changed the learner's progress
        since it was last reported (`stale`), the script asks the `state` handler, which reports it."""
        script = "\n".join(_resource(f"static/{name}.js") for name in ("tracker_entries", "tracker_review", "tracker"))
        return learner_fragment("tracker", self.display_name, _resource("static/tracker.css"), script, "RptTrackerBlock",
                                {"state": self._state(), "labels": labels(self.ugettext),
                                 "vocabulary": vocabulary(self.ugettext, self.requirement_sets())},
                                links=self.runtime_links)

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: this learner's entries, progress and trail (and, for staff, the queue)."""
        return self.with_runtime_links({**self._state(),
                                        "vocabulary": vocabulary(self.ugettext, self.requirement_sets())})

    # ---- learner handlers ----------------------------------------------------------------------

    @json_handler()
    def state(self, data):
        """The state (staff: `page` and `supervising_au` choose the queue page); reports completion
        when a decision changed it since it was last reported."""
        review = self._review_request(data)
        records = store.learner_records(self.record_block_key(), self.learner_key())
        owner = records[0]
        measured = self._measurer()(records[1], owner.plan if owner else {}, store.statuses_of(records[3]))
        if owner is not None and store.report_completion(owner, measured.fraction):
            self.emit_completion(measured.fraction)
            owner.completion_reported = measured.fraction
        return self._state(review, measured, records)

    @json_handler()
    def add_entry(self, data):
        """Add one entry. `client_id` (8-64 of A-Z a-z 0-9 _ -), made by the page for each new entry,
        makes a resend harmless: the same id again adds nothing and answers as the first did.
        `corrects` (an entry id) makes it the correction of that rejected entry (409 when it cannot be)."""
        kind, client_id, corrects = data.get("kind"), data.get("client_id"), data.get("corrects")
        if corrects is not None and not (isinstance(corrects, str) and store.ENTRY_ID.fullmatch(corrects)):
            raise HandlerError(400, self.ugettext("Choose a rejected entry to correct."), field="corrects")
        if kind not in ENTRY_KINDS:
            raise HandlerError(400, self.ugettext("Choose what kind of entry this is."), field="kind")
        if client_id is not None and not (isinstance(client_id, str) and store.CLIENT_ID.fullmatch(client_id)):
            raise HandlerError(400, self.ugettext("The entry's id from the page is not valid; reload the page."),
                               field="client_id")
        try:
            with translated_by(self.translator()):
                fields = entry_fields(kind, data.get("fields"), _now().date())
        except EntryError as error:
            raise HandlerError(400, error.message, field=error.field) from None
        return self._changed(store.add_entry(client_id, kind, fields, self.learner_name(), MAX_ENTRIES, corrects))

    @json_handler()
    def delete_entry(self, data):
        return self._changed(store.delete_entry(data.get("entry"), self.learner_name()))

    @json_handler()
    def set_plan(self, data):
        try:
            with translated_by(self.ugettext):
                plan = plan_from_request(data, _now().date())
        except PlanError as error:
            raise HandlerError(400, error.message, field=error.field) from None
        return self._changed(store.set_plan(plan, self.learner_name()))

    # ---- staff ---------------------------------------------------------------------------------

    @json_handler()
    def review_entry(self, data):
        """Staff verify or reject one learner's entry, with a comment (required to reject); the reply
        is the preceptor's state with the queue page (`page`, `supervising_au`, `queue`) they were on.
        Only the preceptor the entry names, or a course Admin, may decide an entry naming a supervising
        AU (preceptors.py): 403 otherwise, checked here and under the learner's lock."""
        t = self.ugettext
        if not self.is_staff():
            raise HandlerError(403, t("Only course staff acting as preceptors can verify entries."))
        learner, entry_id, decision = data.get("learner"), data.get("entry"), data.get("decision")
        comment = data.get("comment", "")
        if learner == self.learner_key():
            raise HandlerError(403, t("You cannot verify your own entries: another preceptor must."))
        if decision not in REVIEW_DECISIONS:
            raise HandlerError(400, t("Choose to verify or to reject the entry."), field="decision")
        if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
            raise HandlerError(400, t("Write a comment of at most {n} characters.").format(n=MAX_COMMENT),
                               field="comment")
        comment = plain_text(comment)
        if decision == "rejected" and not comment:
            raise HandlerError(400, t("Say why the entry is rejected, so the learner can correct it."), field="comment")
        review = self._review_request(data)
        try:
            store.decide(self.record_block_key(), self.reviewer(), self.learner_key(), self.learner_name(), learner,
                         entry_id, decision, comment, self._measurer())
        except store.Refused as refusal:
            if refusal.reason == "own_entry":
                raise HandlerError(403, t("You cannot verify your own entries: another preceptor must.")) from None
            if refusal.reason == "not_named":
                raise HandlerError(403, t("This entry names another supervising Authorized User: only the preceptor "
                                          "it names, or a course Admin, can decide it.")) from None
            raise HandlerError(404, t("There is no such entry waiting for review; reload the page.")) from None
        self.runtime.publish(self, "edx.rpt_prereq_tracker.entry_reviewed", {"entry": entry_id, "decision": decision})
        return self._state(review)

    # ---- exports -------------------------------------------------------------------------------

    @XBlock.handler
    def records_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """Everything the current user logged, as one CSV file (GET): their own records only."""
        if request.method != "GET":
            return Response(status=405)
        declarations = {d["id"]: d["label"] for d in vocabulary(self.ugettext, self.requirement_sets())["declarations"]}
        body = export.records_csv(self._state()["entries"], declarations, self.ugettext)
        return Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="training-records.csv"')

    @XBlock.handler
    def printable_summary(self, request, suffix=""):  # pylint: disable=unused-argument
        """A printable page laid out like the training sections of NRC Form 313A(AUT) (GET), headed by
        the learner's full name (their profile name), else their username with a note saying so."""
        if request.method != "GET":
            return Response(status=405)
        state = self._state()
        name, note = self.full_name(), ""
        if not name:
            name = self.learner_name()
            note = self.ugettext("username: your profile has no full name; add it in your account settings")
        with translated_by(self.ugettext):
            page = export.printable_summary(name, state, self.requirement_sets(), self.ugettext, note)
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

