"""Percentages in walkthroughs: a step or parameter whose author's unit is "%".

Contract: a percentage is a pure number counted in percent (the formula of a step asking "what
percentage" gives 12 for 12%). `is_percent(unit)` says whether an author's unit text means that;
the scenario stores such a step or parameter with unit "" and `percent` True.
`answer_for_checking(text, percent)` is the learner's text with one trailing "%" removed where the
answer is a percentage ("12%" and "12" both read as 12). `percent_sign_problem(text, percent, gettext)`
is a sentence for the learner when the text has a "%" that cannot be read that way (a step that does
not ask for a percentage, or a "%" elsewhere than at the end), else None. `with_percent(text, percent)`
appends the sign to a shown value.
"""
from __future__ import annotations

PERCENT_UNITS = frozenset({"%", "percent"})


def is_percent(unit: str) -> bool:
    return unit.strip() in PERCENT_UNITS


def answer_for_checking(text: str, percent: bool) -> str:
    stripped = text.strip()
    if percent and stripped.endswith("%"):
        return stripped[:-1].rstrip()
    return text


def percent_sign_problem(text: str, percent: bool, gettext) -> str | None:
    if "%" not in text:
        return None
    if not percent:
        return gettext("This step does not ask for a percentage: enter the value without the % sign, "
                       "in the unit the question asks for.")
    if "%" in answer_for_checking(text, percent):
        return gettext("Write the percentage as one number, with or without the % sign after it, "
                       "for example 12 or 12%.")
    return None


def with_percent(text: str, percent: bool) -> str:
    return f"{text}%" if percent else text
