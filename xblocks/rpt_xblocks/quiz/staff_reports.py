"""The quiz's reports for course staff: the item analysis (as JSON for the page, and as a CSV
download) and the rows of Open edX's problem response report. A mixin of QuizBlock.

Contract:
- `item_analysis` (JSON handler, POST) and `item_analysis_csv` (GET, a file download) answer only
  course staff (`is_staff()`: the runtime's user_is_staff); anyone else gets 403 and nothing about
  the submissions. Both give, per question of the bank, its text (plain, not its id), the option
  texts with how many submissions chose each (not choice ids or letters; "True"/"False" translated),
  responses, unanswered, percent correct and the discrimination index (analysis.py). No learner
  is named. The CSV is made safe against formula injection (analysis_csv.py).
- `generate_report_data(user_state_iterator, limit_responses)`: see its docstring.
"""
from __future__ import annotations

from webob import Response
from xblock.core import XBlock

from rpt_xblocks.json_handlers import HandlerError, json_handler, json_reply
from rpt_xblocks.quiz import analysis, analysis_csv, item_totals, learner_view, submissions, wording


class StaffReportsMixin:
    def analysis_report(self) -> tuple[int, list[dict]]:
        """(graded submissions, per-question analysis with question and option texts)."""
        questions = self.bank_questions()
        totals = item_totals.totals(submissions.graded_submissions(self.record_block_key()),
                                    {q.id: q for q in questions})
        by_id = {q.id: q for q in questions}
        report = []
        for item in analysis.item_analysis(totals, questions):
            question = by_id[item["id"]]
            if question.type == "truefalse":
                texts = {"true": self.ugettext("True"), "false": self.ugettext("False")}
            else:
                texts = {c.id: learner_view.plain_text(c.text) for c in question.choices}
            options = [{"text": texts.get(key, key), "count": count} for key, count in item["distribution"].items()]
            report.append({**item, "prompt": learner_view.plain_text(question.prompt), "options": options})
        return totals["submissions"], report

    @json_handler()
    def item_analysis(self, data):  # pylint: disable=unused-argument
        """Staff only: per-question statistics over every graded submission (counts and rates, no names)."""
        if not self.is_staff():
            raise HandlerError(403, self.ugettext("Only course staff can see the item analysis."))
        count, report = self.analysis_report()
        return {"learners": count, "submissions": count, "submissions_text": wording.submissions_text(self.ngettext, count),
                "questions": report}

    @XBlock.handler
    def item_analysis_csv(self, request, suffix=""):  # pylint: disable=unused-argument
        """Staff only: the item analysis as a CSV file (GET)."""
        if request.method != "GET":
            return json_reply(405, {"error": self.ugettext("Download this file with GET.")})
        if not self.is_staff():
            return json_reply(403, {"error": self.ugettext("Only course staff can see the item analysis.")})
        _count, report = self.analysis_report()
        t = self.ugettext
        header = [t("Question id"), t("Question"), t("Type"), t("Responses"), t("Unanswered"), t("Percent correct"),
                  t("Discrimination index"), t("Option"), t("Times chosen")]
        body = analysis_csv.csv_text(analysis_csv.analysis_rows(report, header))
        return Response(body.encode("utf-8"), status=200, content_type="text/csv", charset="utf-8",
                        content_disposition='attachment; filename="item-analysis.csv"')

    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """Rows for Open edX's problem response report: one per answered question of each learner's
        latest submission, for the learners (usernames) of `user_state_iterator`."""
        questions = {q.id: q for q in self.bank_questions()}
        block, count = self.record_block_key(), 0
        for user_state in user_state_iterator:
            attempts, latest = submissions.latest_by_username(block, user_state.username)
            if latest is None:
                continue
            for question_id, answer in sorted(latest.answers.items()):
                question = questions.get(question_id)
                if question is None:
                    continue
                if limit_responses is not None and count >= limit_responses:
                    return
                count += 1
                yield user_state.username, {
                    "Question": learner_view.plain_text(question.prompt),
                    "Answer": learner_view.answer_text(question, answer),
                    "Correctness": latest.results.get(question_id, {}).get("status", ""),
                    "Attempts": attempts,
                }
