"""Numeric answers with units, for the quiz (numeric questions) and the dosimetry walkthrough.

Contract:
- `Quantity` / `Unit` belong to this module's own Pint registry (never Pint's default one), whose
  whole vocabulary is `units.txt` beside this module (`SPELLINGS` lists it). Activity, absorbed dose,
  dose equivalent and exposure are separate base dimensions, so Bq, Gy, Sv and R never convert into
  each other or into time; `rad` is the dose unit (there is no radian), Gy is not J/kg.
- `parse_answer(text)` reads what a learner types: a number (`37`, `-1.5`, `.5`, `1.2E-3`,
  `3.7 × 10^4`) then an optional unit (`MBq`, `mSv/h`, `Gy/(MBq·h)`, `cm³`, `/h`, `1/h`, `h^-1`). The text is checked
  here, character by character and token by token, and never reaches Pint's expression parser.
  Anything else raises `AnswerError`, whose `message` is a sentence for the learner (plain text:
  escape it when rendering; it may quote the learner's characters).
- `parse_unit(text)` reads an author's unit by the same rules ("" means a pure number); it remembers
  the units it has read (bounded), so it is never given a learner's text. It is the one reader of
  unit text: the build's checks, the blocks and the plots convert with the `pint.Unit` it returns,
  never by handing the text to Pint (whose parser refuses `/h`).
- `check_numeric(answer, expected_value, expected_unit, tolerance)` grades in the expected unit and
  returns a `NumericResult` (an `Outcome` and a message); it never raises for learner input.
  Tolerance is relative ("5%") or absolute in the expected unit (0.5 or "0.5"). The boundary counts
  as correct, with 1e-9 of the expected value (or of the tolerance, if larger) added so that rounding
  in a unit conversion cannot turn an answer exactly on the boundary into a wrong one.
- `tolerance_problem(spec, expected_values)` is the authors' rule (quiz and walkthrough alike): None
  for a tolerance that still tells right from wrong, else a message. A relative tolerance may be at
  most `MAX_RELATIVE_TOLERANCE` (20%); an absolute one must be finite and at most that fraction of
  the largest size among `expected_values` (the answer, or a step's values over its parameter
  ranges), or at most `MAX_TOLERANCE_AT_ZERO` (1, in the answer's unit) where every one is 0.
- Learner-facing messages are complete sentences, marked for translation with `_`.
Grading uses conversion factors computed here at import, not Pint's conversion caches, so learners'
distinct unit expressions cannot make a long-running LMS process grow.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from rpt_xblocks.translation import _
from importlib import resources

import pint

MAX_ANSWER_LENGTH = 64
MAX_POWER_OF_TEN = 300
MAX_UNIT_POWER = 3
RELATIVE_EPSILON = 1e-9
MAX_RELATIVE_TOLERANCE = 0.2  # beyond 20%, a forgotten decay correction or unit slip is graded right
MAX_TOLERANCE_AT_ZERO = 1.0


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; `_` translates it where it is shown."""
    return message


_REGISTRY = pint.UnitRegistry(None)
_REGISTRY.load_definitions((resources.files(__package__) / "units.txt").read_text("utf-8").splitlines())
Quantity = _REGISTRY.Quantity
Unit = _REGISTRY.Unit
SPELLINGS: dict[str, pint.Unit] = {name: Unit(_REGISTRY.get_name(name)) for name in _REGISTRY if name.isalpha()}
# Pint unit name -> (factor to base units, dimensions), for every unit units.txt defines.
_BASE = {name: (float(Quantity(1, name).to_base_units().magnitude), dict(Quantity(1, name).dimensionality))
         for name in {_REGISTRY.get_name(spelling) for spelling in _REGISTRY}}
_DIMENSIONLESS = Unit("")

# What a dimension is called, and units to suggest; the first example unit defines the dimension.
_DIMENSION_WORDS = (
    (N_("a pure number"), ""),
    (N_("an activity"), N_("MBq or mCi")),
    (N_("an absorbed dose"), N_("Gy or rad")),
    (N_("a dose equivalent"), N_("mSv or rem")),
    (N_("an exposure"), N_("R or mR")),
    (N_("a time"), N_("h or d")),
    (N_("a length"), N_("cm or mm")),
    (N_("a mass"), N_("kg or g")),
    (N_("a volume"), N_("mL or L")),
    (N_("an energy"), N_("keV or MeV")),
    (N_("an energy per unit mass"), N_("J/kg")),
    (N_("an amount of substance"), N_("mol or nmol")),
    (N_("a molar mass"), N_("g/mol")),
    (N_("a rate constant"), N_("/h or /d")),
    (N_("an absorbed-dose rate"), N_("mGy/h or Gy/d")),
    (N_("a dose-equivalent rate"), N_("mSv/h or mrem/h")),
    (N_("an exposure rate"), N_("mR/h or R/h")),
    (N_("a time-integrated activity"), N_("MBq·h or GBq·h")),
    (N_("an activity per unit mass"), N_("MBq/kg or kBq/g")),
    (N_("an activity concentration"), N_("kBq/mL or MBq/L")),
    (N_("an absorbed dose per unit activity"), N_("Gy/GBq or mGy/MBq")),
    (N_("an absorbed dose per unit time-integrated activity"), N_("Gy/(MBq·h) or mGy/(MBq·s)")),
)

_SPACES = " \t\u00a0\u202f"
_ALLOWED_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-*/^()·⋅×−µμ¹²³⁻" + _SPACES)
_REPLACEMENTS = str.maketrans({"·": "*", "⋅": "*", "−": "-", **{c: " " for c in _SPACES}})
_SUPERSCRIPT = re.compile("(⁻?)([¹²³])")
_NUMBER = re.compile(r" *(?P<sign>[+-]?)(?P<digits>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE](?P<exponent>[+-]?[0-9]+))?"
                     r"(?: *[x×*] *10 *\^ *(?P<times_ten>[+-]?[0-9]+))?")
_UNIT_TOKEN = re.compile(r" *(?:(?P<name>[A-Za-zµμ]+)|(?P<number>[0-9]+)|(?P<symbol>[-*/()^]))")


class AnswerError(ValueError):
    """Text that is not a number with a known unit; `message` says why, for the learner."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_answer(text: str) -> pint.Quantity:
    """A learner's number and optional unit as a Quantity (a pure number without a unit)."""
    text = _normalised(text)
    if not text:
        raise AnswerError(_("Your answer is empty: enter a number, and a unit if the question has one."))
    match = _NUMBER.match(text)
    if not match:
        raise AnswerError(_("Your answer must start with a number, for example 7.4 GBq."))
    powers = [int(match[group] or 0) for group in ("exponent", "times_ten")]
    if max(abs(powers[0]), abs(powers[1]), abs(sum(powers))) > MAX_POWER_OF_TEN:
        raise AnswerError(_("The power of ten in your answer must be between -{limit} and {limit}.").format(
            limit=MAX_POWER_OF_TEN))
    value = float(f"{match['sign']}{match['digits']}e{sum(powers)}") + 0.0  # + 0.0 makes -0.0 into 0.0
    if not math.isfinite(value):
        raise AnswerError(_("The number in your answer is too large."))
    return Quantity(value, _parse_unit_expression(text[match.end():]))


def parse_unit(text: str) -> pint.Unit:
    """An author's unit ("" for a pure number), read by the same rules as answers. Only for authors'
    text: a text's unit is remembered (`_author_unit`), and a learner's answer goes through
    `parse_answer`, which remembers nothing."""
    return _author_unit(text) if isinstance(text, str) else _parse_unit_expression(_normalised(text))


@functools.lru_cache(maxsize=256)
def _author_unit(text: str) -> pint.Unit:
    """`parse_unit` of a text, memoized: the blocks read the same author units (a quiz question's, a
    walkthrough's parameters and steps) on every request. A bounded cache of immutable Units, a pure
    function of the author's text; a refused unit raises each time (exceptions are not cached), in
    the language of the request that asks."""
    return _parse_unit_expression(_normalised(text))


def _normalised(text: object) -> str:
    if not isinstance(text, str):
        raise AnswerError(_("Enter your answer as text, for example 7.4 GBq."))
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerError(_("Your answer is too long: use at most {limit} characters.").format(
            limit=MAX_ANSWER_LENGTH))
    if "," in text:
        raise AnswerError(_("Use a point as the decimal separator and no thousands separators, "
                            "for example 1500.5."))
    for character in text:
        if character not in _ALLOWED_CHARACTERS:
            shown = f"U+{ord(character):04X}"
            shown = f"“{character}” ({shown})" if character.isprintable() else shown
            raise AnswerError(_("Your answer contains a character that cannot be used here: {character}.").format(
                character=shown))
    text = text.translate(_REPLACEMENTS).replace("**", "^")
    return _SUPERSCRIPT.sub(lambda m: "^" + "-" * bool(m[1]) + str("¹²³".index(m[2]) + 1), text).strip()


def _parse_unit_expression(text: str) -> pint.Unit:
    """units := ["1"] "/" factor (("*" | "/") factor)* | factor (("*" | "/") factor)*;
    factor := (name | "(" units ")") ["^" ["-"] 1..3]. So `/h`, `1/h`, `h^-1` are one unit."""
    tokens, position = [], 0
    while position < len(text):
        if not (match := _UNIT_TOKEN.match(text, position)):
            raise _syntax_error()
        tokens.append((match.lastgroup, match[match.lastgroup]))
        position = match.end()
    tokens.append(("end", ""))
    unit, position = _product(tokens, 0)
    if tokens[position][0] == "name" or tokens[position][1] == "(":
        raise AnswerError(_("Put * or · between two units, for example MBq*h."))
    if tokens[position][0] != "end":
        raise _syntax_error()
    _base(unit)  # refuses powers above MAX_UNIT_POWER (m*m*m*m) and factors that overflow
    return unit


def _product(tokens: list, position: int) -> tuple[pint.Unit, int]:
    unit = _DIMENSIONLESS
    if tokens[position][0] == "end":
        return unit, position
    if tokens[position] == ("number", "1") and tokens[position + 1][1] == "/":
        position += 1  # "1/s" is read as "/s"
    elif tokens[position][1] != "/":
        unit, position = _factor(tokens, position)
    while tokens[position][1] in ("*", "/"):
        operator = tokens[position][1]
        factor, position = _factor(tokens, position + 1)
        unit = unit * factor if operator == "*" else unit / factor
    return unit, position


def _factor(tokens: list, position: int) -> tuple[pint.Unit, int]:
    kind, value = tokens[position]
    if value == "(":
        unit, position = _product(tokens, position + 1)
        if tokens[position][1] != ")":
            raise _syntax_error()
    elif kind == "name":
        unit = _lookup(value)
    else:
        raise _syntax_error()
    if tokens[position + 1][1] != "^":
        return unit, position + 1
    sign = -1 if tokens[position + 2][1] == "-" else 1
    position += 3 if sign < 0 else 2
    kind, value = tokens[position]
    if kind != "number" or not 1 <= int(value) <= MAX_UNIT_POWER:
        raise _power_error()
    return unit ** (sign * int(value)), position + 1


def _syntax_error() -> AnswerError:
    return AnswerError(_("The unit in your answer could not be read: write it like MBq, mSv/h or Gy/(MBq*h)."))


def _power_error() -> AnswerError:
    return AnswerError(_("A unit can only be raised to a power from 1 to {limit} or from -1 to -{limit}, "
                         "for example cm^3.").format(limit=MAX_UNIT_POWER))


def _lookup(spelling: str) -> pint.Unit:
    if spelling in SPELLINGS:
        return SPELLINGS[spelling]
    # Suggest the same letters in another case, else one mistyped letter, else a close word.
    suggestions = (sorted(known for known in SPELLINGS if known.lower() == spelling.lower())
                   or sorted(known for known in SPELLINGS if len(known) == len(spelling) > 1
                             and sum(a != b for a, b in zip(known, spelling)) == 1)[:3]
                   or difflib.get_close_matches(spelling, SPELLINGS, n=3, cutoff=0.75))
    message = _("The unit “{unit}” is not recognised.").format(unit=spelling)
    if suggestions:
        message += " " + _("Did you mean {units}?").format(units=_(" or ").join(suggestions))
    raise AnswerError(message)


def _base(unit: pint.Unit) -> tuple[float, tuple]:
    """(factor to base units, dimensions as sorted (dimension, power) pairs), from `_BASE`."""
    factor, dimensions = 1.0, {}
    for name, power in unit_items(unit):
        if abs(power) > MAX_UNIT_POWER:
            raise _power_error()
        name_factor, name_dimensions = _BASE[name]
        factor *= name_factor ** power
        for dimension, exponent in name_dimensions.items():
            dimensions[dimension] = dimensions.get(dimension, 0) + exponent * power
    if not math.isfinite(factor) or factor == 0:
        raise AnswerError(_("The unit in your answer is too large or too small."))
    return factor, tuple(sorted((dimension, int(power)) for dimension, power in dimensions.items() if power))


def unit_items(unit: pint.Unit):
    """`Quantity(1, unit).unit_items()` — (Pint unit name, power) pairs — without building a Quantity
    (which costs more than `_base` itself): Pint keeps them in the Unit's container, where the
    Quantity would take them from (tests/blocks/test_quantities.py checks the two agree)."""
    return unit._units.unit_items()  # pylint: disable=protected-access


def _unit_text(unit: pint.Unit) -> str:
    text = f"{unit:~P}".replace("⋅", "·")
    return text[1:] if text.startswith("1/") else text


def _words_and_examples(unit: pint.Unit) -> tuple[str, str]:
    if (words := _DIMENSIONS.get(_base(unit)[1])) is None:
        return _("a quantity measured in {unit}").format(unit=_unit_text(unit)), _unit_text(unit)
    return _(words[0]), _(words[1]) if words[1] else ""


def describe_dimension(unit_or_quantity: pint.Unit | pint.Quantity | str) -> str:
    """What kind of quantity this is, with an article: "an activity", "a dose-equivalent rate"."""
    if isinstance(unit_or_quantity, str):
        unit_or_quantity = parse_unit(unit_or_quantity)
    return _words_and_examples(getattr(unit_or_quantity, "units", unit_or_quantity))[0]


def format_number(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant figures: "37.0", "0.00123", and "1.23 × 10^7" outside 0.001 to 10^6."""
    if not (1 <= digits <= 15 and math.isfinite(value)):
        raise ValueError(f"Cannot format {value!r} to {digits!r} significant figures.")
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    if -3 <= int(exponent) < 6:
        return f"{float(mantissa) * 10 ** int(exponent):.{max(digits - 1 - int(exponent), 0)}f}"
    return f"{mantissa} × 10^{int(exponent)}"


def format_quantity(quantity: pint.Quantity, digits: int = 3) -> str:
    """"37.0 MBq", "1.23 × 10^7 Bq", "0.500 mSv/h", "0.0500 /h"; `parse_answer` reads it back."""
    number, unit = format_number(float(quantity.magnitude), digits), _unit_text(quantity.units)
    return f"{number} {unit}" if unit else number


@dataclass(frozen=True)
class Tolerance:
    """How far from the expected value an answer may be: `amount` is a fraction of the expected
    value if `relative`, else an amount in the expected unit."""
    amount: float
    relative: bool

    def __post_init__(self):
        if not (math.isfinite(self.amount) and self.amount >= 0):
            raise ValueError(f"A tolerance must be a finite number of at least 0, not {self.amount!r}.")

    @classmethod
    def parse(cls, spec: Tolerance | str | float) -> Tolerance:
        """"5%" (relative), 0.5 or "0.5" (absolute, in the question's unit), or a Tolerance."""
        if isinstance(spec, Tolerance):
            return spec
        text = str(spec).strip()
        try:
            if text.endswith("%"):
                return cls(float(text[:-1]) / 100, relative=True)
            return cls(float(text), relative=False)
        except ValueError:
            raise ValueError(f"Tolerance {spec!r} is not understood: write a percentage such as '5%' "
                             "or an amount in the question's unit such as '0.5'.") from None

    def allowance(self, expected_value: float) -> float:
        return self.amount * abs(expected_value) if self.relative else self.amount


def tolerance_problem(spec, expected_values) -> str | None:
    """See the module docstring."""
    try:
        tolerance = Tolerance.parse(spec)
    except ValueError:
        return (f"the tolerance {spec} is not a finite number of at least 0 — write a percentage like 2% "
                "or an amount in the answer's unit like 0.5")
    limit = f"{MAX_RELATIVE_TOLERANCE:.0%}"
    if tolerance.relative:
        if tolerance.amount > MAX_RELATIVE_TOLERANCE:
            return (f"the tolerance {spec} would count answers more than {limit} off as right — "
                    f"use at most {limit} (course_content/README.md, Tolerances)")
        return None
    largest = max((abs(value) for value in expected_values), default=0.0)
    bound = MAX_RELATIVE_TOLERANCE * largest if largest else MAX_TOLERANCE_AT_ZERO
    if tolerance.amount > bound:
        of = f"{limit} of the largest expected value ({largest:.6g})" if largest else f"{MAX_TOLERANCE_AT_ZERO:g} for an answer of 0"
        return (f"the tolerance {spec} is more than {of}, so nearly every answer would be right — "
                f"use an amount of at most {bound:.3g} in the answer's unit, or a percentage up to {limit}")
    return None


class Outcome(StrEnum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    WRONG_DIMENSION = "wrong_dimension"
    MISSING_UNIT = "missing_unit"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True)
class NumericResult:
    """`answer` is None if the text could not be read; `value_in_expected_unit` is set if it was compared."""
    outcome: Outcome
    message: str
    answer: pint.Quantity | None = None
    value_in_expected_unit: float | None = None

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT


def check_numeric(answer_text: str, expected_value: float, expected_unit: pint.Unit | str | None,
                  tolerance: Tolerance | str | float) -> NumericResult:
    """Grade `answer_text` against `expected_value` in `expected_unit` (None or "": a pure number).
    Raises ValueError (AnswerError for a bad unit) only for the author's arguments."""
    if not math.isfinite(expected_value):
        raise ValueError(f"The expected value must be a finite number, not {expected_value!r}.")
    if not isinstance(expected_unit, pint.Unit):
        expected_unit = parse_unit(expected_unit or "")
    tolerance = Tolerance.parse(tolerance)
    try:
        answer = parse_answer(answer_text)
        answer_factor, answer_dimensions = _base(answer.units)
    except AnswerError as error:
        return NumericResult(Outcome.UNPARSEABLE, error.message)
    expected_factor, expected_dimensions = _base(expected_unit)
    if answer_dimensions != expected_dimensions:
        kind, examples = _words_and_examples(expected_unit)
        if not answer_dimensions:
            message = _("Your answer needs a unit: this question asks for {kind} (for example {examples}).")
        elif not expected_dimensions:
            message = _("This question asks for a pure number without a unit, but your answer is in {unit}.")
        elif answer_dimensions in _DIMENSIONS:
            message = _("Your answer is in {unit}, which is {answer_kind}, but this question asks for {kind} "
                        "(for example {examples}).")
        else:
            message = _("Your answer is in {unit}, but this question asks for {kind} (for example {examples}).")
        message = message.format(unit=_unit_text(answer.units), answer_kind=_words_and_examples(answer.units)[0],
                                 kind=kind, examples=examples)
        outcome = Outcome.WRONG_DIMENSION if answer_dimensions else Outcome.MISSING_UNIT
        return NumericResult(outcome, message, answer)
    value = float(answer.magnitude) * (answer_factor / expected_factor)
    if not math.isfinite(value):
        return NumericResult(Outcome.UNPARSEABLE, _("The number in your answer is too large."), answer)
    allowance = tolerance.allowance(expected_value)
    if abs(value - expected_value) <= allowance + RELATIVE_EPSILON * max(abs(expected_value), allowance):
        return NumericResult(Outcome.CORRECT, _("Your answer is correct."), answer, value)
    if answer.units == expected_unit:
        return NumericResult(Outcome.INCORRECT, _("Your answer is not correct."), answer, value)
    message = _("Your answer converts to {value}, which is not correct.").format(
        value=format_quantity(Quantity(value, expected_unit)))
    return NumericResult(Outcome.INCORRECT, message, answer, value)


# Built last, with the parser above: dimensions (as `_base` gives them) -> (words, example units).
_DIMENSIONS = {_base(parse_unit(examples.split(" or ")[0]))[1]: (words, examples)
               for words, examples in _DIMENSION_WORDS}
assert len(_DIMENSIONS) == len(_DIMENSION_WORDS), "two entries of _DIMENSION_WORDS share a dimension"
