"""The tables of learner and preceptor records. Every row names its block (`block`: the usage id as
text) and its learner (`learner`: the learner's anonymous id for the course, or the runtime's user
id where there is none; never a name). Evidence is append-only: submissions, attempts, decisions
and audit events are inserted, never edited (a quiz submission's `reset` flag and an entry's
`deleted_at` mark and `awaiting` flag, each set once by a conditional update, are the only changes).

What the database itself refuses (constraints, so no code path can get around them):
- a second quiz submission, or walkthrough attempt, with the same number (`unique_*_attempt`):
  a request claims its attempt by inserting the row, and the loser of a race gets IntegrityError;
  the same for a quiz question's numbered checks (`unique_quiz_check`); one draft per learner and
  quiz (`unique_quiz_draft`: the draft is the one row that is replaced, by an upsert);
- an attempt number below 1;
- two entries from one learner with the same client-made id (`unique_entry_client_id`): adding is
  idempotent;
- a decision about an entry that does not exist (foreign key), a second decision about one entry
  (one-to-one), and a preceptor deciding their own entry (`decision_not_own_entry`);
- a correction of an entry that was not rejected, and a second correction of one rejected entry.
  How: a rejection names its entry a second time, in `EntryDecision.rejected_entry` (unique; equal
  to `entry_id` exactly when the decision is "rejected", `decision_rejection_names_entry`; a plain
  integer column, so that makemigrations orders the tables without help), and a correction's
  `TrackerEntry.corrects` is a one-to-one foreign key to that column: it can only hold the id of an
  entry that has a rejection, and only one correction can hold it.
"""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q

BLOCK = 255  # usage keys are long: block-v1:Org+Course+Run+type@rpt_quiz+block@url_name
LEARNER = 255


class TrackerLearner(models.Model):
    """One learner of one tracker: the row their changes lock (so the requirements they meet are
    recomputed one change at a time), their display name for preceptors, and their plan."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    name = models.CharField(max_length=255, blank=True)
    plan = models.JSONField(default=dict)
    logged = models.BooleanField(default=False, help_text="Has ever logged an entry (counted in the staff counts).")
    entries_made = models.PositiveIntegerField(default=0, help_text="Entries numbered so far (entry ids are e1, e2, ...).")
    trail_length = models.PositiveIntegerField(default=0, help_text="Events in the learner's audit trail so far: the "
                                                                    "last `seq` given to an entry or an audit event.")
    completion_reported = models.FloatField(null=True, blank=True, help_text="The completion last emitted for the learner.")
    met = models.JSONField(default=list, help_text="The requirements the learner's TrackerRequirementMet rows hold, sorted "
                                                   "(written with them under the learner's lock: read instead of them).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["block", "learner"], name="unique_tracker_learner")]


class TrackerEntry(models.Model):
    """One logged training, work or case entry. `deleted_at` marks a deletion; rows are never removed."""

    block = models.CharField(max_length=BLOCK)
    owner = models.ForeignKey(TrackerLearner, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(help_text="The entry's number for its learner: its id is e<number>.")
    seq = models.PositiveIntegerField(help_text="Its place in the learner's audit trail: the entry is its own 'added' event.")
    by = models.CharField(max_length=255, help_text="Who added it (the learner's name then).")
    client_id = models.CharField(max_length=64, help_text="Made by the page for each new entry: a resend adds nothing.")
    kind = models.CharField(max_length=16)
    fields = models.JSONField()
    supervising_au = models.CharField(max_length=200, blank=True)
    preceptor = models.CharField(max_length=150, blank=True,
                                 help_text="The username on this site the learner gave for the supervising Authorized "
                                           "User (lower case; '' when none): whose review queue the entry is in.")
    corrects = models.OneToOneField("EntryDecision", to_field="rejected_entry", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="correction",
                                    help_text="The rejected entry this one corrects (its id, through its rejection): "
                                              "at most one correction per rejected entry.")
    created = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    awaiting = models.BooleanField(default=True, help_text="Live and undecided: in the preceptors' queue. Cleared once, "
                                                           "with the decision or the deletion, never set again.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "client_id"], name="unique_entry_client_id"),
                       models.UniqueConstraint(fields=["owner", "number"], name="unique_entry_number"),
                       models.UniqueConstraint(fields=["owner", "seq"], name="unique_entry_seq")]
        indexes = [models.Index(fields=["block", "awaiting", "created", "id"], name="rpt_entry_queue"),
                   models.Index(fields=["block", "awaiting", "supervising_au", "created", "id"], name="rpt_entry_queue_by_au"),
                   models.Index(fields=["block", "awaiting", "preceptor", "created", "id"],
                                name="rpt_entry_queue_by_preceptor")]


class EntryDecision(models.Model):
    """A preceptor's decision about one entry: at most one per entry, never changed. `override`: the
    decider was not the preceptor the entry names, and decided as a course Admin (see tracker/preceptors.py)."""

    VERIFIED, REJECTED = "verified", "rejected"

    entry = models.OneToOneField(TrackerEntry, on_delete=models.PROTECT, related_name="decision")
    learner = models.CharField(max_length=LEARNER, help_text="The entry's learner (copied, for the constraint).")
    preceptor = models.CharField(max_length=LEARNER)
    preceptor_name = models.CharField(max_length=255, blank=True)
    decision = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()
    rejected_entry = models.BigIntegerField(unique=True, null=True, blank=True,
                                            help_text="The entry's id again when rejected, else null (a check "
                                                      "constraint): what a correction's `corrects` refers to.")
    override = models.BooleanField(default=False, help_text="Decided by a course Admin who is not the named preceptor.")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(preceptor=F("learner")), name="decision_not_own_entry"),
            models.CheckConstraint(condition=Q(decision__in=["verified", "rejected"]), name="decision_known"),
            models.CheckConstraint(
                condition=(Q(decision="rejected", rejected_entry__isnull=False, rejected_entry=F("entry"))
                           | Q(decision="verified", rejected_entry__isnull=True)),
                name="decision_rejection_names_entry"),
        ]


class TrackerAuditEvent(models.Model):
    """One event of a learner's audit trail other than adding an entry (an entry row is its own
    'added' event): a deletion, a plan, a preceptor's decision; append-only. `seq` orders the trail."""

    owner = models.ForeignKey(TrackerLearner, on_delete=models.PROTECT, related_name="audit")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.CharField(max_length=255)
    action = models.CharField(max_length=16)
    entry = models.ForeignKey(TrackerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    detail = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "seq"], name="unique_audit_seq")]


class TrackerRequirementMet(models.Model):
    """A requirement ("set:requirement") a learner meets, kept with their entries and decisions under
    the learner's lock; the staff counts are a GROUP BY over these rows."""

    block = models.CharField(max_length=BLOCK)
    owner = models.ForeignKey(TrackerLearner, on_delete=models.CASCADE, related_name="met_rows")
    requirement = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "requirement"], name="unique_requirement_met")]
        indexes = [models.Index(fields=["block", "requirement"], name="rpt_met_counts")]


class QuizSubmission(models.Model):
    """One graded quiz submission. The row is inserted (claiming `attempt`) before grading, in the
    same transaction that stores the grade; `reset` is set once, when the learner chooses Try again."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    username = models.CharField(max_length=255, blank=True, help_text="For Open edX's problem response report.")
    attempt = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    earned = models.FloatField(default=0.0)
    possible = models.FloatField(default=0.0)
    created = models.DateTimeField()
    reset = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block", "learner", "attempt"], name="unique_quiz_attempt"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="quiz_attempt_from_one"),
        ]
        indexes = [models.Index(fields=["block", "id"], name="rpt_quiz_by_block")]


class QuizDraft(models.Model):
    """A learner's unsubmitted answers to one quiz, for the attempt numbered `attempt`: one row per
    (block, learner), replaced whole by each save (one upsert; never merged with what was there).
    `answers` holds the learner's stand-in ids (quiz/opaque_ids.py), as the browser sent them, never
    the authors' ids. A draft whose `attempt` is not the learner's open attempt is ignored."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    attempt = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    updated = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["block", "learner"], name="unique_quiz_draft")]


class QuizCheck(models.Model):
    """One ungraded "Check" of one question: the insert claims `number` (the learner's checks of the
    question so far + 1), so concurrent checks cannot exceed the author's limit; append-only."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    question = models.CharField(max_length=100)
    number = models.PositiveIntegerField()
    attempt = models.PositiveIntegerField(help_text="The open attempt the check was made in.")
    status = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block", "learner", "question", "number"], name="unique_quiz_check"),
            models.CheckConstraint(condition=Q(number__gte=1), name="quiz_check_from_one"),
        ]


class StepAttempt(models.Model):
    """One graded answer to one walkthrough step; the insert claims `attempt`."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    step = models.CharField(max_length=100)
    attempt = models.PositiveIntegerField()
    answer = models.CharField(max_length=200)
    correct = models.BooleanField()
    created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block", "learner", "step", "attempt"], name="unique_step_attempt"),
            models.CheckConstraint(condition=Q(attempt__gte=1), name="step_attempt_from_one"),
        ]


class ScoreSet(models.Model):
    """A score the platform set (instructor rescore or score override through ScorableXBlockMixin's
    `set_score`), for the learner's work up to `after` graded submissions; append-only, latest wins."""

    block = models.CharField(max_length=BLOCK)
    learner = models.CharField(max_length=LEARNER)
    earned = models.FloatField()
    possible = models.FloatField()
    after = models.PositiveIntegerField()
    created = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["block", "learner"], name="rpt_score_set")]
