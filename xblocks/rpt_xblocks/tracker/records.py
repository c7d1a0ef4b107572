"""What a learner may log: one entry's fields, checked and normalised before the block stores them.

Contract: `entry_fields(kind, data, today)` takes untrusted JSON from the learner's browser (`data`,
the fields of one entry of `kind`, one of vocabulary.ENTRY_KINDS) and returns the fields to store,
or raises `EntryError(field, message)` for the first problem found, in the order of the form:
`field` is the form field at fault (None for the entry as a whole), `message` a learner-facing
sentence (plain text, translated with `_`; it never quotes what the learner typed).

Fields by kind (exact keys; a key not listed is refused; "optional" keys may be absent, null or ""):
- didactic: provider (text), start and end (dates, end not before start), hours ({topic id from
  vocabulary.TOPICS: JSON number >= 0}, total > 0 and at most 24 h a day of the period; stored for
  the topics with hours, in TOPICS order), certificate (optional text).
- work: item (a vocabulary.WORK_ITEMS id), date, hours (> 0, at most 24), supervising_au, preceptor
  (optional), site, description (optional, long text, checked for patient identifiers).
- case: date, category (a vocabulary.CASE_CATEGORIES id), radiopharmaceutical, activity (text such
  as "7.4 GBq" or "200 mCi", one activity unit, > 0 and at most 100 GBq; stored as {"value", "unit"}
  plus "activity_mbq"), supervising_au, preceptor (optional), case_reference (de-identified, at most
  40 characters, checked for patient identifiers), notes (optional, long text, checked for patient
  identifiers).
- preceptor: the supervising AU's username on this site, which puts the entry in their review queue
  (preceptors.py); stored as `preceptors.username_key` (lower case), and only when given.
- declaration: requirement (an id, [a-z0-9_]{1,64}), date, reference (optional text).
Texts: strings only; at most LIMITS characters as typed; control, surrogate, line-separator and
bidirectional-override characters refused (long texts may hold line breaks and tabs); markup removed
with `sanitizing.plain_text` until none is left; surrounding space stripped, and runs of space
collapsed in one-line texts. Professional names (provider, supervising_au, site) are not checked for
patient identifiers (`phi.py`): names are expected there. Dates: "YYYY-MM-DD", from 1950 to `today`.
Numbers: JSON numbers only (not booleans, strings, NaN or infinities), stored as floats.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

from rpt_xblocks.quantities import AnswerError, describe_dimension, parse_answer, parse_unit
from rpt_xblocks.sanitizing import plain_text
from rpt_xblocks.tracker.phi import phi_reason
from rpt_xblocks.tracker.preceptors import username_key
from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES, ENTRY_KINDS, TOPICS, WORK_ITEMS
from rpt_xblocks.translation import _

LIMITS = {
    "short_text": 200,          # provider, certificate, supervising_au, site, radiopharmaceutical, reference
    "case_reference": 40,
    "long_text": 500,           # notes, description
    "activity_text": 64,        # quantities.MAX_ANSWER_LENGTH
    "hours_per_day": 24,        # a didactic period's total, per day; one work entry's hours
    "activity_mbq": 100_000,    # 100 GBq
    "earliest_year": 1950,
}

_FIELDS = {
    "didactic": ("provider", "start", "end", "hours", "certificate"),
    "work": ("item", "date", "hours", "supervising_au", "preceptor", "site", "description"),
    "case": ("date", "category", "radiopharmaceutical", "activity", "supervising_au", "preceptor", "case_reference",
             "notes"),
    "declaration": ("requirement", "date", "reference"),
}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_REQUIREMENT_ID = re.compile(r"[a-z0-9_]{1,64}")
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_MAX_SANITIZING_PASSES = 4
_MBQ = parse_unit("MBq")  # activities are stored in MBq


class EntryError(ValueError):
    """One problem with an entry: the form `field` at fault (None: the entry as a whole) and a
    learner-facing `message`."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def entry_fields(kind: str, data: object, today: date) -> dict:
    """See the module docstring."""
    if not isinstance(kind, str) or kind not in ENTRY_KINDS:
        raise EntryError("kind", _("Choose what kind of entry this is."))
    if not isinstance(data, dict):
        raise EntryError(None, _("Send the entry's fields from the form, nothing else."))
    if set(data) - set(_FIELDS[kind]):
        raise EntryError(None, _("This entry has fields the form does not have: reload the page and try again."))
    return {"didactic": _didactic, "work": _work, "case": _case, "declaration": _declaration}[kind](data, today)


def _didactic(data: dict, today: date) -> dict:
    provider = _text(data, "provider", LIMITS["short_text"], required=True)
    start = _date(data, "start", today)
    end = _date(data, "end", today)
    if end < start:
        raise EntryError("end", _("The last day cannot be before the first day."))
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    hours = _topic_hours(data.get("hours"), LIMITS["hours_per_day"] * days)
    certificate = _text(data, "certificate", LIMITS["short_text"])
    return {"provider": provider, "start": start, "end": end, "hours": hours, "certificate": certificate}


def _work(data: dict, today: date) -> dict:
    item = data.get("item")
    if not isinstance(item, str) or item not in WORK_ITEMS:
        raise EntryError("item", _("Choose a work-experience item from the list."))
    day = _date(data, "date", today)
    hours = _number(data.get("hours"), "hours", _("Enter the hours as a number."))
    if not 0 < hours <= LIMITS["hours_per_day"]:
        raise EntryError("hours", _("Enter more than 0 and at most {limit} hours for one day.").format(
            limit=LIMITS["hours_per_day"]))
    return _with_preceptor(data, {"item": item, "date": day, "hours": float(hours),
            "supervising_au": _text(data, "supervising_au", LIMITS["short_text"], required=True),
            "site": _text(data, "site", LIMITS["short_text"], required=True),
            "description": _text(data, "description", LIMITS["long_text"], multiline=True, patient_text=True)})


def _case(data: dict, today: date) -> dict:
    day = _date(data, "date", today)
    category = data.get("category")
    if not isinstance(category, str) or category not in CASE_CATEGORIES:
        raise EntryError("category", _("Choose a case category from the list: {ids}.").format(
            ids=", ".join(CASE_CATEGORIES)))
    radiopharmaceutical = _text(data, "radiopharmaceutical", LIMITS["short_text"], required=True)
    activity, activity_mbq = _activity(data.get("activity"))
    return _with_preceptor(data, {"date": day, "category": category, "radiopharmaceutical": radiopharmaceutical,
            "activity": activity, "activity_mbq": activity_mbq,
            "supervising_au": _text(data, "supervising_au", LIMITS["short_text"], required=True),
            "case_reference": _text(data, "case_reference", LIMITS["case_reference"], required=True,
                                    patient_text=True),
            "notes": _text(data, "notes", LIMITS["long_text"], multiline=True, patient_text=True)})


def _declaration(data: dict, today: date) -> dict:
    requirement = data.get("requirement")
    if not isinstance(requirement, str) or not _REQUIREMENT_ID.fullmatch(requirement):
        raise EntryError("requirement", _("Choose the requirement you declare from the list."))
    return {"requirement": requirement, "date": _date(data, "date", today),
            "reference": _text(data, "reference", LIMITS["short_text"])}


# ---- texts ---------------------------------------------------------------------------------------

def _with_preceptor(data: dict, fields: dict) -> dict:
    """`fields` with "preceptor", the supervising AU's username on this site as
    `preceptors.username_key`, when the learner gave one (checked after the other fields)."""
    value = data.get("preceptor")
    if value is None or (isinstance(value, str) and not value.strip()):
        return fields
    key = username_key(value)
    if not key:
        raise EntryError("preceptor", _("Enter the supervising Authorized User's username on this site (letters, "
                                        "digits and . @ + - _ only, at most 150), or leave it empty."))
    return {**fields, "preceptor": key}


def _what(field: str) -> str:
    """The field's name inside a sentence ("Enter {what}.")."""
    return {
        "provider": _("the training provider"), "certificate": _("the certificate reference"),
        "supervising_au": _("the supervising Authorized User"), "site": _("the site"),
        "description": _("the description"), "radiopharmaceutical": _("the radiopharmaceutical"),
        "case_reference": _("a de-identified case reference, such as LU-2026-014"), "notes": _("the notes"),
        "reference": _("the reference"), "date": _("the date"), "start": _("the first day"),
        "end": _("the last day"),
    }[field]


def _text(data: dict, field: str, limit: int, *, required: bool = False, multiline: bool = False,
          patient_text: bool = False) -> str:
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise EntryError(field, _("Write {what} as text.").format(what=_what(field)))
    if len(value) > limit:
        raise EntryError(field, _("Shorten {what} to at most {limit} characters.").format(
            what=_what(field), limit=limit))
    _refuse_control_characters(value, field, multiline)
    for _pass in range(_MAX_SANITIZING_PASSES):  # "&lt;b&gt;" becomes "<b>" after one pass, "" after two
        cleaned = plain_text(value.replace("\r\n", "\n").replace("\r", "\n"))
        if not multiline:
            cleaned = " ".join(cleaned.split())
        if cleaned == value:
            break
        value = cleaned
    else:
        raise EntryError(field, _("Remove the markup from {what}: write plain text.").format(what=_what(field)))
    _refuse_control_characters(value, field, multiline)  # entities such as &#8238; may have made some
    if required and not value:
        raise EntryError(field, _("Enter {what}.").format(what=_what(field)))
    if patient_text and value and (reason := phi_reason(value)):
        raise EntryError(field, reason)
    return value


def _refuse_control_characters(value: str, field: str, multiline: bool) -> None:
    if value.isprintable():  # no refused character is printable (tests/tracker/test_records.py checks each one)
        return
    for character in value:
        if multiline and character in "\n\r\t":
            continue
        if character in _BIDI_CONTROLS or unicodedata.category(character) in _REFUSED_CATEGORIES:
            raise EntryError(field, _("Remove the control character (U+{code:04X}) from {what}: it cannot be "
                                      "stored or printed.").format(code=ord(character), what=_what(field)))


# ---- dates and numbers ---------------------------------------------------------------------------

def _date(data: dict, field: str, today: date) -> str:
    value = data.get(field)
    if value is None or value == "":
        raise EntryError(field, _("Enter {what}.").format(what=_what(field)))
    try:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        raise EntryError(field, _("Enter {what} as a date, YYYY-MM-DD.").format(what=_what(field))) from None
    if day.year < LIMITS["earliest_year"]:
        raise EntryError(field, _("Enter a date from {year} onwards for {what}.").format(
            year=LIMITS["earliest_year"], what=_what(field)))
    if day > today:
        raise EntryError(field, _("Enter a date no later than today for {what}: log training and cases once "
                                  "they have happened.").format(what=_what(field)))
    return day.isoformat()


def _number(value: object, field: str, message: str) -> int | float:
    """A finite JSON number (not a boolean, not a string); big integers are kept exact for comparing."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EntryError(field, message)
    if isinstance(value, float) and not math.isfinite(value):
        raise EntryError(field, message)
    return value


def _topic_hours(value: object, limit: int) -> dict:
    if not isinstance(value, dict):
        raise EntryError("hours", _("Enter the hours for each topic as numbers."))
    if set(value) - set(TOPICS):
        raise EntryError("hours", _("Log hours only for the topics in the list."))
    hours = {}
    for topic in TOPICS:
        if topic not in value:
            continue
        field = f"hours.{topic}"
        amount = _number(value[topic], field, _("Enter the hours for this topic as a number."))
        if amount < 0:
            raise EntryError(field, _("Enter 0 or more hours for this topic."))
        if amount > limit:
            raise EntryError(field, _("Enter at most {limit} hours for this topic ({per_day} a day for this "
                                      "period).").format(limit=limit, per_day=LIMITS["hours_per_day"]))
        if amount > 0:
            hours[topic] = float(amount)
    total = sum(hours.values())
    if total <= 0:
        raise EntryError("hours", _("Enter the hours for at least one topic."))
    if total > limit:
        raise EntryError("hours", _("The hours add up to {total:g}, but at most {limit} can be logged for this "
                                    "period ({per_day} a day).").format(
            total=total, limit=limit, per_day=LIMITS["hours_per_day"]))
    return hours


def _activity(value: object) -> tuple[dict, float]:
    if value is None or value == "":
        raise EntryError("activity", _("Enter the administered activity with its unit, for example 7.4 GBq or "
                                       "200 mCi."))
    if not isinstance(value, str):
        raise EntryError("activity", _("Write the administered activity as text, for example 7.4 GBq."))
    if len(value) > LIMITS["activity_text"]:
        raise EntryError("activity", _("Shorten the administered activity to at most {limit} characters.").format(
            limit=LIMITS["activity_text"]))
    try:
        quantity = parse_answer(value)
    except AnswerError as error:
        raise EntryError("activity", _("The administered activity could not be read. {reason}").format(
            reason=error.message)) from None
    if not quantity.unit_items():
        raise EntryError("activity", _("Give the administered activity a unit, for example 7.4 GBq or 200 mCi."))
    unit = f"{quantity.units:~P}"
    kind = describe_dimension(quantity)
    if kind != describe_dimension(_MBQ):  # both in the learner's language
        raise EntryError("activity", _("{unit} measures {kind}, not an activity: enter the administered activity, "
                                       "for example 7.4 GBq or 200 mCi.").format(unit=unit, kind=kind))
    if len(quantity.unit_items()) != 1:  # "MBq·h/h": one unit name keeps Pint's conversion caches bounded
        raise EntryError("activity", _("Write the administered activity with a single unit, such as GBq, MBq "
                                       "or mCi."))
    activity_mbq = float(f"{quantity.to(_MBQ).magnitude:.12g}")  # 200 mCi is 7400 MBq, not 7400.000000000001
    if not 0 < activity_mbq <= LIMITS["activity_mbq"]:
        raise EntryError("activity", _("Enter an administered activity above 0 and at most 100 GBq (about 2700 mCi)."))
    return {"value": float(quantity.magnitude), "unit": unit}, activity_mbq
