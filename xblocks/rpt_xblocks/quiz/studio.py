"""The quiz's Studio editor: its settings and the bank as OLX `<question>` elements (studio_form.py).

Contract: `read_submission(data)` turns a submitted form into `(settings, questions, problems)`:
`problems` lists every reason the bank cannot be saved (bad XML, a DTD, the bank rules of
`bank.bank_errors`); the block saves only when it is empty.
"""
from __future__ import annotations

from rpt_xblocks.quiz import bank
from rpt_xblocks.quiz.numeric import unit_problem
from rpt_xblocks.studio_form import element_from_submission

SETTINGS = ("display_name", "max_attempts", "show_answer", "show_correctness", "grading_method", "weight",
            "draw", "shuffle_choices")
CONTENT_LABEL = "Questions (OLX question elements)"


def read_submission(data: dict):
    root, problems = element_from_submission(bank.TAG, data, SETTINGS)
    if root is None:
        return None, [], problems
    settings, questions, errors = bank.quiz_from_xml(root)
    errors += bank.bank_errors(settings, questions, unit_problem)
    return settings, questions, [message for _location, message in errors]
