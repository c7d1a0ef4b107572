"""What a learner does before submitting: drafts saved as they answer, and the optional Check of
one question. A mixin of QuizBlock (block.py); the rows are drafts.py's and checks.py's.

Contract:
- `save_draft` (JSON handler, bounded as a submission is: json_handler's size and nesting limits): `{"attempt": n, "answers": {question id: answer}}`
  with answers in the learner's stand-in ids, as quiz.js sends them (debounced) while the learner
  answers. The answers are validated like a submission's (learner_view.answers_from_browser and
  grading.check_shape: a question not drawn for the learner, or a choice or step they were not shown,
  gives 400; a value of the wrong shape gives 400 naming the question); unanswered values are left
  out, so what is stored is at most one bounded answer per drawn question (a numeric text of at most
  grading.MAX_NUMERIC_TEXT characters, a list of the question's own choices or steps). The draft replaces the learner's whole draft in one upsert (drafts.save). A draft for an
  attempt that is not open (already submitted, or a number that is not the next) gets 409 and
  changes nothing; no draft write ever touches a submission. Reply: `{"saved": n}` (answers kept).
- `check` (JSON handler): `{"question": id, "answer": answer in stand-ins}`. Only when the author
  allows it (`allow_check`, else 403), correctness is visible, and an attempt is open (else 409).
  It grades that one answer on the server and replies with that question's verdict only: `status`,
  the `feedback` of the options chosen (and the note on a bare number's unit) and `checks_left` —
  never the answer key, the explanation or another question's anything. It uses no graded attempt;
  each check is a QuizCheck row claimed before grading (checks.claim), at most `max_checks` per
  question per learner: beyond that 403. An unanswered or ungradable answer gets 400 and uses no check.
"""
from __future__ import annotations

from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.quiz import checks, drafts, grading, learner_view, policy, wording
from rpt_xblocks.quiz.numeric import numeric_answer_matches
from rpt_xblocks.translation import translated_by


class AnsweringMixin:
    def _open_attempt(self, standing) -> bool:
        return standing.shown is None and policy.attempts_left(self.max_attempts, standing.attempts) != 0

    def _from_browser(self, drawn, answers, stand_in_key) -> dict:
        try:
            return learner_view.answers_from_browser(drawn, answers, stand_in_key)
        except learner_view.NotOffered as refusal:
            message = self.ugettext("These answers do not belong to your questions; reload the page.")
            named = {q: message for q in refusal.questions if q}
            raise HandlerError(400, message, **({"questions": named} if named else {})) from None

    @json_handler()
    def save_draft(self, data):
        attempt, answers = data.get("attempt"), data.get("answers")
        if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
            raise HandlerError(400, self.ugettext("The draft does not say which attempt it is for."))
        seed_key = self.seed_key()
        drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)
        author = self._from_browser(drawn, answers, self.stand_in_key(seed_key))
        by_id, refused = {q.id: q for q in drawn}, {}
        with translated_by(self.translator()):
            for question_id, answer in author.items():
                if grading.is_unanswered(answer):
                    continue
                try:
                    grading.check_shape(by_id[question_id], answer)
                except grading.AnswerRejected as rejection:
                    refused[question_id] = str(rejection)
        if refused:
            raise HandlerError(400, self.ugettext("Some answers could not be saved."), questions=refused)
        kept = {qid: answer for qid, answer in answers.items() if not grading.is_unanswered(author[qid])}
        try:
            drafts.save(self.record_block_key(), self.learner_key(), attempt, kept)
        except drafts.Refused:
            raise HandlerError(409, self.ugettext("These answers were already submitted; reload the page.")) from None
        return {"saved": len(kept)}

    @json_handler()
    def check(self, data):
        if not self.allow_check:
            raise HandlerError(403, self.ugettext("This quiz does not offer Check."))
        seed_key = self.seed_key()
        drawn = learner_view.drawn_questions(self.bank_questions(), self.draw, seed_key)
        question = next((q for q in drawn if q.id == data.get("question")), None)
        if question is None:
            raise HandlerError(400, self.ugettext("There is no such question."))
        standing = self._standing()
        if not self._open_attempt(standing) or not policy.correctness_visible(self.show_correctness, self._past_due()):
            raise HandlerError(409, self.ugettext("Checking is possible only while you are answering."))
        answer = self._from_browser(drawn, {question.id: data.get("answer")}, self.stand_in_key(seed_key))[question.id]
        if grading.is_unanswered(answer):
            raise HandlerError(400, self.ugettext("Answer this question before checking it."))
        translate = self.translator()
        verdict = []

        def grade() -> str:
            try:
                with translated_by(translate):
                    verdict.append(grading.grade(question, answer, numeric_answer_matches).status)
            except grading.AnswerRejected as rejection:
                raise HandlerError(400, str(rejection), questions={question.id: str(rejection)}) from None
            return verdict[0]

        try:
            left = checks.claim(self.record_block_key(), self.learner_key(), question.id, standing.attempts + 1,
                                self.max_checks, grade)
        except checks.Refused as refusal:
            if refusal.reason == checks.USED_UP:
                raise HandlerError(403, self.ugettext("You have used all your checks of this question.")) from None
            raise HandlerError(409, self.ugettext("This question was already being checked; try again.")) from None
        with translated_by(translate):
            feedback = learner_view.chosen_feedback(question, answer)
        return {"question": question.id, "status": verdict[0], "feedback": feedback, "checks_left": left,
                "checks_left_text": wording.checks_left_text(self.ngettext, left),
                "hint_offered": bool(question.hints) and verdict[0] != grading.CORRECT}
