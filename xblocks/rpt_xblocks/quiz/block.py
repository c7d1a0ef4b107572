"""The rpt_quiz XBlock: a radiation-safety quiz graded on the server.

A thin shell: fields hold the bank (`bank.py`) and settings; the learner's submissions, drafts and
checks are rows (`submissions.py`, `drafts.py`, `checks.py`: the only quiz code that touches the
database); drafts and Check are handled in `answering.py`, the staff's reports in `staff_reports.py`; grading (`grading.py`), draws
(`pool.py`), policies (`policy.py`), item analysis (`item_totals.py`, `analysis.py`) and what the
browser may see (`learner_view.py`) and its words (`wording.py`) are plain functions. A submission claims its attempt by
inserting its row before it is graded, so concurrent requests cannot both use one attempt; every
handler validates its input and stores nothing before it has accepted it. "Review the lesson" links
(`teaches_url`) come from the runtime (`course_links.lesson_url`), as do the links in the questions'
text (`LearnerBlockMixin.runtime_links`): in the view, the mobile data and handler replies alike.

Unanswered questions (grading.is_unanswered: the same rule for every type) are submitted only when
the request confirms it (`"unanswered": "confirmed"`; the page asks the learner first, listing them):
each scores 0 with the status "unanswered". Without the confirmation the reply is 400 naming them.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from rpt_xblocks.content_fields import ContentList
from rpt_xblocks.course_links import lesson_url
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.learner_block import LearnerBlockMixin, learner_fragment
from rpt_xblocks.quiz import bank, checks, drafts, grading, learner_view, policy, studio, submissions, wording
from rpt_xblocks.quiz.answering import AnsweringMixin
from rpt_xblocks.quiz.staff_reports import StaffReportsMixin
from rpt_xblocks.quiz.numeric import numeric_answer_matches
from rpt_xblocks.olx_block import OlxBlockMixin
from rpt_xblocks.sanitizing import sanitize
from rpt_xblocks.translation import translated_by

_ = lambda text: text  # noqa: E731  marks field help for extraction; the i18n service translates at run time


def _resource(name: str) -> str:
    return resources.files("rpt_xblocks.quiz").joinpath(name).read_text("utf-8")


@XBlock.wants("user", "studio_user_permissions", "replace_urls")  # olx_block.may_edit; course_links
@XBlock.needs("i18n")
class QuizBlock(AnsweringMixin, StaffReportsMixin, OlxBlockMixin, LearnerBlockMixin, ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A pool of cited questions with attempts, policies and server-side grading."""

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Radiation safety quiz",
                          help=_("The quiz's heading, shown to learners."))
    max_attempts = Integer(display_name=_("Maximum attempts"), scope=Scope.settings, default=1,
                           help=_("How many times a learner may submit; 0 for unlimited."))
    show_answer = String(display_name=_("Show answer"), scope=Scope.settings, default="finished",
                         values=list(bank.SHOW_ANSWER),
                         help=_("When learners may see the answers: never, finished (after a correct submission or "
                                "the last attempt), always, or past_due."))
    show_correctness = String(display_name=_("Show correctness"), scope=Scope.settings, default="always",
                              values=list(bank.SHOW_CORRECTNESS), help=_("When learners see right and wrong."))
    grading_method = String(display_name=_("Grading method"), scope=Scope.settings, default="best",
                            values=list(bank.GRADING_METHODS), help=_("Which attempt counts: best or last."))
    weight = Float(display_name=_("Problem weight"), scope=Scope.settings, default=1.0,
                   help=_("The quiz's weight in its assignment type."))
    draw = Integer(display_name=_("Questions per learner"), scope=Scope.settings, default=0,
                   help=_("How many questions each learner draws from the bank; 0 for all."))
    shuffle_choices = Boolean(display_name=_("Shuffle choices"), scope=Scope.settings, default=True,
                              help=_("Show choices in a different order to each learner (pinned ones stay put)."))
    allow_check = Boolean(display_name=_("Allow Check"), scope=Scope.settings, default=False,
                          help=_("Let learners check one question before submitting (ungraded; uses no attempt)."))
    max_checks = Integer(display_name=_("Checks per question"), scope=Scope.settings, default=3,
                         help=_("How many times each learner may check each question, when Check is allowed."))
    questions = ContentList(display_name=_("Questions"), scope=Scope.content, default=[],
                            help=_("The question bank (edit the OLX or the course_content YAML)."))

    has_custom_completion = True
    icon_class = "problem"
    OLX_TAG = bank.TAG
    STUDIO_PREFIX = "quiz"
    STUDIO_SETTINGS = studio.SETTINGS
    STUDIO_CONTENT_LABEL = studio.CONTENT_LABEL
    STUDIO_NOT_SAVED = _("The quiz was not saved: fix these problems.")
    show_in_read_only_mode = True

    # ---- the model -----------------------------------------------------------------------------

    def bank_questions(self) -> list[bank.Question]:
        return [bank.Question.from_dict(data) for data in self.questions]

    def settings(self) -> bank.QuizSettings:
        return bank.QuizSettings(display_name=self.display_name, max_attempts=self.max_attempts,
                                 show_answer=self.show_answer, show_correctness=self.show_correctness,
                                 grading_method=self.grading_method, weight=self.weight, draw=self.draw,
                                 shuffle_choices=self.shuffle_choices, allow_check=self.allow_check,
                                 max_checks=self.max_checks)

    def _drawn(self) -> list[bank.Question]:
        return learner_view.drawn_questions(self.bank_questions(), self.draw, self.seed_key())

    def _past_due(self) -> bool:
        due = getattr(self, "due", None)
        if due is None:
            return False
        if due.tzinfo is None:
            due = due.replace(tzinfo=timezone.utc)
        return datetime.now(timezone.utc) > due

    @staticmethod
    def _all_correct(results: dict) -> bool:
        """Whether `results` (a submission's) hold answers to every question, all correct."""
        return bool(results) and all(r["status"] == grading.CORRECT for r in results.values())

    def _standing(self) -> submissions.Standing:
        return submissions.standing(self.record_block_key(), self.learner_key(), self.grading_method)

    def _situation(self, seed_key: str, drawn: list[bank.Question],
                   standing: submissions.Standing | None = None) -> learner_view.Situation:
        standing = standing or self._standing()
        shown = standing.shown
        answers, results = (shown.answers, shown.results) if shown is not None else ({}, {})
        left = policy.attempts_left(self.max_attempts, standing.attempts)
        past_due = self._past_due()
        is_open = not answers and left != 0
        block, learner, draft, previous, checks_left, checked = self.record_block_key(), self.learner_key(), None, None, None, frozenset()
        stand_in_key = self.stand_in_key(seed_key)
        if is_open:
            draft = drafts.open_draft(block, learner, standing.attempts)
            if draft is not None:
                draft = learner_view.valid_draft(drawn, draft, stand_in_key)
            previous = standing.latest.answers if standing.latest is not None else None
            if self.allow_check:
                used = checks.checks_used(block, learner)
                checks_left = {q.id: max(0, self.max_checks - used.get(q.id, 0)) for q in drawn}
                checked = frozenset(checks.correct_in(block, learner, standing.attempts + 1))
        return learner_view.Situation(
            seed_key=seed_key, stand_in_key=stand_in_key, attempts=standing.attempts, attempts_left=left, answers=answers, results=results,
            correctness_visible=policy.correctness_visible(self.show_correctness, past_due),
            answer_visible=policy.answer_visible(self.show_answer, all_correct=self._all_correct(results),
                                                 out_of_attempts=left == 0, past_due=past_due),
            score=standing.score, open=is_open, draft=draft, previous=previous, checks_left=checks_left,
            checked_correct=checked)

    def _learner_state(self, drawn: list[bank.Question] | None = None, seed_key: str | None = None,
                       standing: submissions.Standing | None = None) -> dict:
        """The learner's public state; `drawn` is `_drawn()`, `seed_key` is `seed_key()` and `standing`
        `_standing()`, when the caller has them already (the draw costs a field read, a service call and
        a seeded shuffle; the standing a query)."""
        seed_key = seed_key or self.seed_key()
        if drawn is None:
            drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)
        situation = self._situation(seed_key, drawn, standing)
        with translated_by(self.translator()):
            state = learner_view.learner_state(
                drawn, title=self.display_name, shuffle=self.shuffle_choices, situation=situation,
                jump_url=lambda url_name: lesson_url(self, url_name), ngettext=self.ngettext)
        state["can_reset"] = (bool(situation.answers) and state["attempts_left"] != 0
                              and not self._all_correct(situation.results))
        state["can_submit"] = situation.open
        state["can_check"] = situation.open and self.allow_check and situation.correctness_visible
        return state

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The i18n service's plural-aware translation ("1 point", "2 points")."""
        return self.runtime.service(self, "i18n").ungettext(singular, plural, count)

    def _labels(self, total: int) -> dict:
        return wording.labels(self.translator(), self.ngettext, total)

    # ---- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The quiz: a labelled region that quiz.js fills from the learner's public state."""
        state = self._learner_state()
        script = "".join(_resource(f"static/{name}") for name in ("quiz_progress.js", "quiz_staff.js", "quiz.js"))
        return learner_fragment("quiz", self.display_name, _resource("static/quiz.css"), script,
                                "RptQuizBlock", {"state": state, "labels": self._labels(len(state["questions"])),
                                                 "staff": self.is_staff()}, links=self.runtime_links)

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: the learner's questions without answers or feedback (see learner_view)."""
        state = self._learner_state()
        return self.with_runtime_links({
            "title": state["title"], "max_attempts": self.max_attempts, "weight": self.weight,
            "questions": [{k: v for k, v in q.items() if k in ("id", "type", "prompt", "choices", "items", "unit_hint",
                                                                 "hint_count")} for q in state["questions"]]})

    # ---- handlers ------------------------------------------------------------------------------

    @json_handler()
    def state(self, data):  # pylint: disable=unused-argument
        """The learner's public state (for the mobile app and reloads)."""
        return self._learner_state()

    @json_handler()
    def submit(self, data):
        """Grade the learner's answers. The attempt is claimed (its row inserted) before grading and
        the grade stored with it in one transaction: answers that cannot be graded use no attempt."""
        seed_key = self.seed_key()  # once per request, as the draw: see _learner_state
        drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)

        def grade():
            try:  # the browser names choices and steps by the learner's stand-ins (learner_view.py)
                answers = learner_view.answers_from_browser(drawn, data.get("answers"), self.stand_in_key(seed_key))
            except learner_view.NotOffered as refusal:
                message = self.ugettext("These answers do not belong to your questions; reload the page.")
                named = {q: message for q in refusal.questions if q}
                raise HandlerError(400, message, **({"questions": named} if named else {})) from None
            return self._graded(drawn, answers, confirmed=data.get("unanswered") == "confirmed")

        try:
            submission, standing = submissions.submit(self.record_block_key(), self.learner_key(), self._username(),
                                                      self.max_attempts, self.grading_method, grade)
        except submissions.Refused as refusal:
            raise HandlerError(*self._refusal(refusal.reason)) from None
        self._publish_grade(self._score_of(standing), only_if_higher=self.grading_method == "best")
        self.emit_completion(1.0)
        self.runtime.publish(self, "edx.rpt_quiz.submitted", {
            "attempt": submission.attempt, "earned": submission.earned, "possible": submission.possible,
            "results": {qid: r["status"] for qid, r in submission.results.items()}})
        return self._learner_state(drawn, seed_key, standing)

    def _graded(self, drawn: list[bank.Question], answers: dict, confirmed: bool) -> tuple[dict, dict, float, float]:
        """(answers kept, results, earned, possible) of `answers` to the `drawn` questions; HandlerError
        400 when an answer cannot be graded, or when questions are unanswered and `confirmed` is not set
        (the reply's `unanswered` lists them). Unanswered questions score 0 and are not stored as answers."""
        results, refused = {}, {}
        translate = self.translator()
        answers = {qid: answer for qid, answer in answers.items() if not grading.is_unanswered(answer)}
        unanswered = [q.id for q in drawn if q.id not in answers]
        for question in drawn:
            if question.id not in answers:
                results[question.id] = {"earned": 0.0, "status": grading.UNANSWERED}
                continue
            try:
                with translated_by(translate):
                    result = grading.grade(question, answers[question.id], numeric_answer_matches)
                results[question.id] = {"earned": result.earned, "status": result.status}
            except grading.AnswerRejected as rejection:
                refused[question.id] = str(rejection)
        if refused:
            raise HandlerError(400, self.ugettext("Some answers could not be graded; nothing was recorded."),
                               questions=refused)
        if unanswered and not confirmed:
            message = self.ngettext("{n} question is not answered: answer it, or confirm that it should score 0.",
                                    "{n} questions are not answered: answer them, or confirm that they should score 0.",
                                    len(unanswered)).format(n=len(unanswered))
            raise HandlerError(400, message, unanswered=unanswered,
                               questions={qid: translate("Not answered yet.") for qid in unanswered})
        return answers, results, sum(r["earned"] for r in results.values()), float(len(drawn))

    def _refusal(self, reason: str) -> tuple[int, str]:
        if reason == submissions.USED_UP:
            return 403, self.ugettext("You have used all your attempts.")
        if reason == submissions.NOT_RESET:
            return 409, self.ugettext("Choose Try again before submitting new answers.")
        return 409, self.ugettext("Your answers were already being submitted; reload the page.")

    def _username(self) -> str:
        return str(self._current_user_attribute("edx-platform.username") or "")

    @json_handler()
    def reset(self, data):  # pylint: disable=unused-argument
        standing = self._standing()
        shown = standing.shown
        if shown is None:
            raise HandlerError(409, self.ugettext("There is nothing to reset yet."))
        if self._all_correct(shown.results):
            raise HandlerError(409, self.ugettext("Your answers are all correct; there is nothing to try again."))
        if policy.attempts_left(self.max_attempts, standing.attempts) == 0:
            raise HandlerError(403, self.ugettext("You have used all your attempts."))
        if not submissions.reset(self.record_block_key(), self.learner_key(), shown.attempt):
            raise HandlerError(409, self.ugettext("There is nothing to reset yet."))
        return self._learner_state()

    @json_handler()
    def hint(self, data):
        question_id, index = data.get("question"), data.get("index")
        question = next((q for q in self._drawn() if q.id == question_id), None)
        if question is None or not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(question.hints):
            raise HandlerError(400, self.ugettext("There is no such hint."))
        if self._answered_correctly(question.id):
            raise HandlerError(409, self.ugettext("You have answered this question correctly; it needs no hint."))
        return {"question": question.id, "index": index, "hint": sanitize(question.hints[index]),
                "hint_count": len(question.hints)}

    def _answered_correctly(self, question_id: str) -> bool:
        """Whether the shown submission, or a Check in the open attempt, found the question correct."""
        standing = self._standing()
        shown = standing.shown
        if shown is not None:
            return shown.results.get(question_id, {}).get("status") == grading.CORRECT
        return question_id in checks.correct_in(self.record_block_key(), self.learner_key(), standing.attempts + 1)

    # ---- scoring -------------------------------------------------------------------------------

    def max_score(self):
        return float(len(self._drawn())) if self.questions else 0.0

    def has_submitted_answer(self):
        return self._standing().attempts > 0

    def get_score(self):
        """The graded score (best or last submission), or the one the platform set since the last."""
        return self._score_of(self._standing())

    def _score_of(self, standing: submissions.Standing) -> Score:
        score = standing.score
        if score is None:
            return Score(raw_earned=0.0, raw_possible=self.max_score())
        return Score(raw_earned=score[0], raw_possible=score[1])

    def set_score(self, score):
        submissions.set_score(self.record_block_key(), self.learner_key(), float(score.raw_earned),
                              float(score.raw_possible))

    def calculate_score(self):
        """The score of the answers behind the graded score against the current bank (for Open edX rescoring)."""
        graded = self._standing().graded
        graded_answers = graded.answers if graded is not None else {}
        earned = 0.0
        drawn = self._drawn()
        for question in drawn:
            answer = graded_answers.get(question.id)
            try:
                earned += grading.grade(question, answer, numeric_answer_matches).earned
            except grading.AnswerRejected:
                pass  # an answer the bank no longer accepts earns nothing
        return Score(raw_earned=earned, raw_possible=float(len(drawn)))

    # ---- OLX and Studio (OlxBlockMixin) ------------------------------------------------------------

    fields_from_olx = staticmethod(studio.fields_from_olx)

    def olx_element(self):
        return bank.quiz_to_xml(self.settings(), self.bank_questions())

    def studio_saved(self) -> dict:
        return {"questions": len(self.questions)}

    @staticmethod
    def workbench_scenarios():
        return [("rpt_quiz: a two-question example", _resource("scenarios/example.xml"))]
