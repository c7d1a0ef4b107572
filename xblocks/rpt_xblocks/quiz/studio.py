"""The quiz's OLX as block fields: what `OlxBlockMixin` needs to read it, for import and for Studio.

Contract: `fields_from_olx(element)` turns an `<rpt_quiz>` element into `(fields, problems)`: the
settings in `SETTINGS` and `questions` (the bank as stored dicts), and `problems`, every reason the
bank cannot be saved (the bank rules of `bank.bank_errors`); the block saves only when it is empty.
"""
from __future__ import annotations

from rpt_xblocks.quiz import bank
from rpt_xblocks.quiz.numeric import unit_problem

SETTINGS = ("display_name", "max_attempts", "show_answer", "show_correctness", "grading_method", "weight",
            "draw", "shuffle_choices", "allow_check", "max_checks")
CONTENT_LABEL = "Questions (OLX question elements)"


def fields_from_olx(element) -> tuple[dict, list[str]]:
    settings, questions, errors = bank.quiz_from_xml(element)
    errors += bank.bank_errors(settings, questions, unit_problem)
    fields = {name: getattr(settings, name) for name in SETTINGS}
    fields["questions"] = [q.to_dict() for q in questions]
    return fields, [message for _location, message in errors]
