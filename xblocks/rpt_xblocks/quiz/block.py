"""The rpt_quiz XBlock: a radiation-safety quiz graded on the server.

A thin shell: fields hold the bank (`bank.py`) and the learner's state; grading (`grading.py`),
draws (`pool.py`), policies (`policy.py`) and what the browser may see (`learner_view.py`) are
plain functions. Every handler validates its input and changes no field before it has accepted it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from importlib import resources

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from rpt_xblocks.content_fields import ContentList, LearnerRecordDict, SavedWithoutCopyMixin, SharedRecordDict
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.learner_block import LearnerBlockMixin, learner_fragment
from rpt_xblocks.quiz import analysis, bank, grading, item_totals, learner_view, policy, studio
from rpt_xblocks.quiz.numeric import numeric_answer_matches
from rpt_xblocks.olx_block import OlxBlockMixin
from rpt_xblocks.sanitizing import sanitize
from rpt_xblocks.translation import translated_by

_ = lambda text: text  # noqa: E731  marks field help for extraction; the i18n service translates at run time


def _resource(name: str) -> str:
    return resources.files("rpt_xblocks.quiz").joinpath(name).read_text("utf-8")


@XBlock.wants("user", "studio_user_permissions")  # olx_block.may_edit
@XBlock.needs("i18n")
class QuizBlock(SavedWithoutCopyMixin, OlxBlockMixin, LearnerBlockMixin, ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
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
    questions = ContentList(display_name=_("Questions"), scope=Scope.content, default=[],
                            help=_("The question bank (edit the OLX or the course_content YAML)."))

    attempts = Integer(scope=Scope.user_state, default=0, help="Submissions made.")
    # The learner's records below are replaced whole, never changed in place: no deep copy on read or save.
    answers = LearnerRecordDict(scope=Scope.user_state, default={}, help="The learner's last submitted answers.")
    results = LearnerRecordDict(scope=Scope.user_state, default={},
                                help="Question id -> earned and status of the last answers.")
    graded_answers = LearnerRecordDict(scope=Scope.user_state, default={}, help="The answers behind the graded score.")
    raw_earned = Float(scope=Scope.user_state, default=None, help="The graded raw score (best or last).")
    raw_possible = Float(scope=Scope.user_state, default=None, help="The raw score possible when graded.")
    item_contribution = LearnerRecordDict(scope=Scope.user_state, default={},
                                          help="What the learner's latest graded submission adds to item_totals (item_totals.py).")
    # Block-wide rows, never changed in place (item_totals.py builds new values): no deep copy on read or save.
    item_totals = SharedRecordDict(scope=Scope.user_state_summary, default={},
                                   help="Every learner's latest graded submission added up, per question and per score, for item "
                                        "analysis: its size does not grow with the class (item_totals.py).")
    item_records = SharedRecordDict(scope=Scope.user_state_summary, default={},
                                    help="Kept by earlier versions: per learner (hashed key) the latest graded submission. Read "
                                         "with item_totals; a learner's record leaves it when they next submit, so it only shrinks.")

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
                                 shuffle_choices=self.shuffle_choices)

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
        """Whether `results` (the field's value) hold answers to every question, all correct."""
        return bool(results) and all(r["status"] == grading.CORRECT for r in results.values())

    def _situation(self, seed_key: str) -> learner_view.Situation:
        attempts, results, raw_earned = self.attempts, self.results, self.raw_earned
        left = policy.attempts_left(self.max_attempts, attempts)
        past_due = self._past_due()
        return learner_view.Situation(
            seed_key=seed_key, attempts=attempts, attempts_left=left, answers=self.answers, results=results,
            correctness_visible=policy.correctness_visible(self.show_correctness, past_due),
            answer_visible=policy.answer_visible(self.show_answer, all_correct=self._all_correct(results),
                                                 out_of_attempts=left == 0, past_due=past_due),
            score=(raw_earned, self.raw_possible) if raw_earned is not None else None)

    def _learner_state(self, drawn: list[bank.Question] | None = None, seed_key: str | None = None) -> dict:
        """The learner's public state; `drawn` is `_drawn()` and `seed_key` is `seed_key()`, when the
        caller has them already (the draw costs a field read, a service call and a seeded shuffle)."""
        seed_key = seed_key or self.seed_key()
        if drawn is None:
            drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)
        situation = self._situation(seed_key)
        state = learner_view.learner_state(
            drawn, title=self.display_name, shuffle=self.shuffle_choices, situation=situation,
            jump_url=lambda url_name: f"/jump_to_id/{url_name}")
        state["can_reset"] = (bool(situation.answers) and state["attempts_left"] != 0
                              and not self._all_correct(situation.results))
        state["can_submit"] = not situation.answers and state["attempts_left"] != 0
        return state

    def _labels(self) -> dict:
        t = self.ugettext
        return {
            "submit": t("Submit"), "reset": t("Try again"), "hint": t("Hint"),
            "attempts": t("Attempts used: {used} of {max}"), "attempts_unlimited": t("Attempts used: {used}"),
            "score": t("Score: {earned} of {possible}"), "correct": t("Correct"), "incorrect": t("Incorrect"),
            "partially_correct": t("Partially correct"), "true": t("True"), "false": t("False"),
            "answer": t("Answer"), "explanation": t("Explanation"), "source": t("Source"),
            "review": t("Review the lesson"), "move_up": t("Move up"), "move_down": t("Move down"),
            "position": t("Step {n}"), "numeric_label": t("Your answer, with its unit (e.g. {unit})"),
            "numeric_label_plain": t("Your answer"), "error": t("Something went wrong: {message}"),
            "submitted": t("Your answers were submitted."), "order_help": t("Use the buttons to put the steps in order."),
            "question": t("Question {n} of {total}"),
            "analysis": t("Item analysis"), "analysis_learners": t("{n} learners have submitted."),
            "analysis_question": t("Question"), "analysis_responses": t("Responses"),
            "analysis_correct": t("Percent correct"), "analysis_discrimination": t("Discrimination index"),
            "analysis_distribution": t("Choices (learners)"),
        }

    # ---- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        """The quiz: a labelled region that quiz.js fills from the learner's public state."""
        return learner_fragment("quiz", self.display_name, _resource("static/quiz.css"), _resource("static/quiz.js"),
                                "RptQuizBlock", {"state": self._learner_state(), "labels": self._labels(),
                                                 "staff": self.is_staff()})

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: the learner's questions without answers or feedback (see learner_view)."""
        state = self._learner_state()
        return {"title": state["title"], "max_attempts": self.max_attempts, "weight": self.weight,
                "questions": [{k: v for k, v in q.items() if k in ("id", "type", "prompt", "choices",
                                                                     "items", "unit_hint", "hint_count")}
                              for q in state["questions"]]}

    # ---- handlers ------------------------------------------------------------------------------

    @json_handler()
    def state(self, data):  # pylint: disable=unused-argument
        """The learner's public state (for the mobile app and reloads)."""
        return self._learner_state()

    @json_handler()
    def submit(self, data):
        attempts = self.attempts
        left = policy.attempts_left(self.max_attempts, attempts)
        if left == 0:
            raise HandlerError(403, self.ugettext("You have used all your attempts."))
        if self.answers:
            raise HandlerError(409, self.ugettext("Choose Try again before submitting new answers."))
        answers = data.get("answers")
        seed_key = self.seed_key()  # once per request, as the draw: see _learner_state
        drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)
        try:  # the browser names choices and steps by the learner's stand-ins (learner_view.py)
            answers = learner_view.answers_from_browser(drawn, answers, seed_key)
        except learner_view.NotOffered as refusal:
            message = self.ugettext("These answers do not belong to your questions; reload the page.")
            named = {q: message for q in refusal.questions if q}
            raise HandlerError(400, message, **({"questions": named} if named else {})) from None
        results, refused = {}, {}
        translate = self.translator()
        for question in drawn:
            if question.id not in answers:
                refused[question.id] = translate("Answer this question.")
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
        earned = sum(r["earned"] for r in results.values())
        score = Score(raw_earned=earned, raw_possible=float(len(drawn)))
        self.attempts = attempts + 1
        self.answers = answers  # the request's own object, shared with graded_answers: neither is changed in place
        self.results = results
        raw_earned, grading_method = self.raw_earned, self.grading_method
        if grading_method == "last" or raw_earned is None or earned >= raw_earned:
            self.graded_answers = answers
            self.set_score(score)
        self._record_for_item_analysis(drawn, answers, results, seed_key, submitted_before=attempts > 0)
        self._publish_grade(self.get_score(), only_if_higher=grading_method == "best")
        self.emit_completion(1.0)
        self.runtime.publish(self, "edx.rpt_quiz.submitted", {
            "attempt": attempts + 1, "earned": earned, "possible": score.raw_possible,
            "results": {qid: r["status"] for qid, r in results.items()}})
        return self._learner_state(drawn, seed_key)

    @json_handler()
    def reset(self, data):  # pylint: disable=unused-argument
        if not self.answers:
            raise HandlerError(409, self.ugettext("There is nothing to reset yet."))
        if self._all_correct(self.results):
            raise HandlerError(409, self.ugettext("Your answers are all correct; there is nothing to try again."))
        if policy.attempts_left(self.max_attempts, self.attempts) == 0:
            raise HandlerError(403, self.ugettext("You have used all your attempts."))
        self.answers = {}
        self.results = {}
        return self._learner_state()

    @json_handler()
    def hint(self, data):
        question_id, index = data.get("question"), data.get("index")
        question = next((q for q in self._drawn() if q.id == question_id), None)
        if question is None or not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(question.hints):
            raise HandlerError(400, self.ugettext("There is no such hint."))
        return {"question": question.id, "index": index, "hint": sanitize(question.hints[index]),
                "hint_count": len(question.hints)}

    @json_handler()
    def item_analysis(self, data):  # pylint: disable=unused-argument
        """Staff only: per-question statistics over all learners (counts and rates, no names)."""
        if not self.is_staff():
            raise HandlerError(403, self.ugettext("Only course staff can see the item analysis."))
        totals = item_totals.with_records(self.item_totals, self.item_records)
        return {"learners": totals["learners"], "questions": analysis.item_analysis(totals, self.bank_questions())}

    def _record_for_item_analysis(self, drawn, answers, results, seed_key: str, submitted_before: bool) -> None:
        """Replace the learner's contribution to `item_totals` by this graded submission's. A learner
        who submitted before the block kept totals has no contribution yet: their latest submission is
        a record in `item_records` (not in the totals), which is taken out of it instead."""
        new, old = item_totals.contribution(drawn, answers, results), self.item_contribution or None
        if old is None and submitted_before:
            records, key = self.item_records, analysis.learner_key(seed_key)
            if key in records:
                self.item_records = {k: record for k, record in records.items() if k != key}
        self.item_totals = item_totals.with_contribution(self.item_totals, old, new)
        self.item_contribution = new

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """Rows for Open edX's problem response report: one per learner and answered question."""
        questions = {q.id: q for q in self.bank_questions()}
        count = 0
        for user_state in user_state_iterator:
            state = user_state.state or {}
            for question_id, answer in sorted((state.get("answers") or {}).items()):
                question = questions.get(question_id)
                if question is None:
                    continue
                if limit_responses is not None and count >= limit_responses:
                    return
                count += 1
                yield user_state.username, {
                    "Question": learner_view.plain_text(question.prompt),
                    "Answer": learner_view.answer_text(question, answer),
                    "Correctness": (state.get("results") or {}).get(question_id, {}).get("status", ""),
                    "Attempts": state.get("attempts", 0),
                }

    # ---- scoring -------------------------------------------------------------------------------

    def max_score(self):
        return float(len(self._drawn())) if self.questions else 0.0

    def has_submitted_answer(self):
        return self.attempts > 0

    def get_score(self):
        if self.raw_earned is None:
            return Score(raw_earned=0.0, raw_possible=self.max_score())
        return Score(raw_earned=self.raw_earned, raw_possible=self.raw_possible)

    def set_score(self, score):
        self.raw_earned = float(score.raw_earned)
        self.raw_possible = float(score.raw_possible)

    def calculate_score(self):
        """The score of the graded answers against the current bank (for Open edX rescoring)."""
        earned = 0.0
        drawn = self._drawn()
        for question in drawn:
            answer = self.graded_answers.get(question.id)
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
