"""rpt_xblocks.quantities: the unit vocabulary against the reference sheet (section 6), the strict
answer parser, grading with tolerances, and the learner-facing messages."""
from __future__ import annotations

import itertools
import math
import re

import pint
import pytest

from rpt_xblocks import quantities
from rpt_xblocks.quantities import (
    SPELLINGS, AnswerError, NumericResult, Outcome, Quantity, Tolerance, check_numeric, describe_dimension,
    format_number, format_quantity, parse_answer, parse_unit,
)

# One unit per physically different kind, and the words that name the kind.
KINDS = {
    "MBq": "an activity",
    "Gy": "an absorbed dose",
    "mSv": "a dose equivalent",
    "h": "a time",
    "mR": "an exposure",
}
HOSTILE = [
    "1" + "0" * 10000,
    "2**2**2**2**2 Bq",
    "2^2^2 Bq",
    "__import__('os')",
    "1 Bq; drop",
    "37 MBq\n<script>",
    "３７ MBq",              # fullwidth digits
    "37 ＭBq",               # fullwidth letter
    "٣٧ MBq",               # Arabic-Indic digits
    "37\u200bMBq",           # zero-width space
    "37 \u202eqBM",          # right-to-left override
    "37\x00 MBq",
    "nan", "NaN MBq", "inf", "-inf", "Infinity", "infinity Bq",
    "1e999", "1e-999", "1e301 Bq", "1e200 × 10^200 Bq", "9" * 40 + "e300",
    "", "   ", "MBq", "Bq 5", "- 5 MBq", "--5 MBq", "5 MBq MBq", "5 MBq h",
    "1,000 MBq", "1.5.2 MBq", "0x10 Bq", "1_000 Bq", "5 m^4", "5 m^0", "5 m^99999999999", "5 m*m*m*m",
    "5 TBq^3*TBq^3", "5 (MBq", "5 MBq)", "5 ()", "5 MBq*", "5 /", "5 MBq^", "5 radian", "5 mbq",
    "5 Gy/", "5 **", "5 e", "5 MBq.", "lambda: 1", "5 Bq # x", "1e3**1e3",
]


def _messages_of(texts):
    messages = []
    for text in texts:
        with pytest.raises(AnswerError) as raised:
            parse_answer(text)
        messages.append(raised.value.message)
    return messages


# --- the vocabulary, checked against rpt-facts.md section 6 --------------------------------------

def test_one_millicurie_is_37_megabecquerel():
    assert Quantity(1, "mCi").to("MBq").magnitude == pytest.approx(37, rel=1e-12)
    assert check_numeric("37 MBq", 1, "mCi", "0%").correct


def test_one_gigabecquerel_is_27_03_millicurie():
    assert f"{Quantity(1, 'GBq').to('mCi').magnitude:.4g}" == "27.03"
    assert check_numeric("1 GBq", 27.03, "mCi", 0.005)  # 27.03 is rounded to ±0.005.correct


def test_one_gray_is_100_rad_and_one_sievert_is_100_rem():
    assert Quantity(1, "Gy").to("rad").magnitude == pytest.approx(100)
    assert Quantity(1, "Sv").to("rem").magnitude == pytest.approx(100)
    assert check_numeric("100 rad", 1, "Gy", "0%").correct
    assert check_numeric("100 rem", 1, "Sv", "0%").correct
    assert check_numeric("1 mrem", 10, "µSv", "0%").correct


def test_year_is_365_25_days():
    assert Quantity(1, "a").to("d").magnitude == 365.25
    assert parse_answer("2 y") == parse_answer("2 yr") == parse_answer("2 years")


@pytest.mark.parametrize("spelling", [
    "s", "ms", "min", "h", "d", "a", "y", "yr", "m", "cm", "mm", "µm", "um", "g", "kg", "mg", "L", "l", "mL",
    "ml", "cc", "Bq", "kBq", "MBq", "GBq", "TBq", "Ci", "mCi", "µCi", "μCi", "uCi", "nCi", "Gy", "mGy", "cGy",
    "µGy", "uGy", "rad", "mrad", "Sv", "mSv", "µSv", "uSv", "rem", "mrem", "R", "mR", "eV", "keV", "MeV", "J",
    "hours", "days", "minutes",
])
def test_the_vocabulary_has_every_unit_of_the_field(spelling):
    assert parse_unit(spelling) == SPELLINGS[spelling]


def test_micro_is_written_three_ways():
    assert parse_unit("µCi") == parse_unit("μCi") == parse_unit("uCi") == Quantity(1, "microcurie").units


def test_a_millilitre_is_a_cubic_centimetre():
    assert check_numeric("5 cm³", 5, "mL", "0%").correct
    assert check_numeric("5 cc", 0.005, "L", "0%").correct


def test_rad_is_the_dose_unit_and_there_is_no_radian():
    assert describe_dimension("rad") == "an absorbed dose"
    assert Quantity(2, "rad").to("cGy").magnitude == pytest.approx(2)
    for angle in ("radian", "degree", "sr"):
        assert angle not in SPELLINGS
        with pytest.raises(pint.UndefinedUnitError):
            Quantity(1, angle)


def test_the_registry_is_private():
    assert Quantity(1, "rad")._REGISTRY is not pint.get_application_registry().get()
    assert quantities.Quantity(1, "MBq").units == parse_unit("MBq")


@pytest.mark.parametrize("answer_unit,expected_unit", list(itertools.permutations(KINDS, 2)))
def test_physically_different_quantities_never_convert(answer_unit, expected_unit):
    with pytest.raises(pint.DimensionalityError):
        Quantity(1, answer_unit).to(expected_unit)
    result = check_numeric(f"5 {answer_unit}", 5, expected_unit, "10%")
    assert result.outcome is Outcome.WRONG_DIMENSION and not result.correct
    assert result.message == (f"Your answer is in {answer_unit}, which is {KINDS[answer_unit]}, but this question "
                              f"asks for {KINDS[expected_unit]} (for example "
                              f"{quantities._words_and_examples(parse_unit(expected_unit))[1]}).")


def test_gray_and_sievert_are_different_dimensions():
    assert parse_unit("Gy").dimensionality != parse_unit("Sv").dimensionality
    result = check_numeric("2 Sv", 2, "Gy", "5%")
    assert result.outcome is Outcome.WRONG_DIMENSION
    assert "a dose equivalent" in result.message and "an absorbed dose" in result.message


def test_gray_is_not_joule_per_kilogram():
    assert check_numeric("2 J/kg", 2, "Gy", "5%").outcome is Outcome.WRONG_DIMENSION
    assert check_numeric("2 keV", 2, "Gy", "5%").outcome is Outcome.WRONG_DIMENSION


def test_the_expected_message_for_a_dose_equivalent_given_for_an_activity():
    assert check_numeric("5 mSv", 33, "mCi", "1%").message == (
        "Your answer is in mSv, which is a dose equivalent, but this question asks for an activity "
        "(for example MBq or mCi).")


# --- grading ----------------------------------------------------------------------------------------

def test_an_answer_in_gigabecquerel_is_graded_against_millicurie():
    result = check_numeric("1.221 GBq", 33, "mCi", "1%")
    assert result.correct and result.value_in_expected_unit == pytest.approx(33)
    assert result.answer == Quantity(1.221, "GBq")
    assert check_numeric("7.4 GBq", 200, "mCi", "0%").correct    # exactly 200 mCi, through floating point


def test_a_wrong_answer_reports_its_value_in_the_expected_unit():
    result = check_numeric("1 GBq", 33, "mCi", "1%")
    assert result.outcome is Outcome.INCORRECT
    assert result.value_in_expected_unit == pytest.approx(27.027027)
    assert result.message == "Your answer converts to 27.0 mCi, which is not correct."
    assert check_numeric("30 mCi", 33, "mCi", "1%").message == "Your answer is not correct."


@pytest.mark.parametrize("answer,correct", [
    ("0.735", True), ("0.665", True), ("0.7", True),                  # the edges of 5% of 0.7 count
    ("0.7350001", False), ("0.6649999", False), ("0.74", False),
])
def test_relative_tolerance_includes_its_edges(answer, correct):
    assert check_numeric(answer, 0.7, None, "5%").correct is correct


@pytest.mark.parametrize("answer,correct", [
    ("33.33 mCi", True), ("32.67 mCi", True), ("1.23321 GBq", True),  # 33 mCi ± 1%, edge also in GBq
    ("33.3301 mCi", False), ("1.2333 GBq", False), ("32.6699 mCi", False),
])
def test_relative_tolerance_edges_in_another_unit(answer, correct):
    assert check_numeric(answer, 33, "mCi", "1%").correct is correct


@pytest.mark.parametrize("answer,correct", [
    ("10.1 mCi", True), ("9.9 mCi", True), ("373.7 MBq", True),       # 10 mCi ± 0.1 mCi; 373.7 MBq = 10.1 mCi
    ("10.1000001 mCi", False), ("9.8999999 mCi", False), ("373.8 MBq", False),
])
def test_absolute_tolerance_is_in_the_expected_unit(answer, correct):
    assert check_numeric(answer, 10, "mCi", 0.1).correct is correct
    assert check_numeric(answer, 10, "mCi", "0.1").correct is correct


def test_just_outside_the_edge_by_one_part_per_million_is_wrong():
    edge = 33 * 1.01
    assert check_numeric(f"{edge!r} mCi", 33, "mCi", "1%").correct
    assert not check_numeric(f"{edge * (1 + 1e-6)!r} mCi", 33, "mCi", "1%").correct


def test_zero_tolerance_and_zero_expected_value():
    assert check_numeric("0 mSv", 0, "mSv", "5%").correct
    assert check_numeric("-0 mSv", 0, "mSv", 0).correct
    assert not check_numeric("1e-12 mSv", 0, "mSv", "5%").correct


def test_tolerance_specs():
    assert Tolerance.parse("5%") == Tolerance(0.05, relative=True)
    assert Tolerance.parse(" 2.5 % ") == Tolerance(0.025, relative=True)
    assert Tolerance.parse(0.5) == Tolerance.parse("0.5") == Tolerance(0.5, relative=False)
    assert Tolerance.parse(Tolerance(1, True)) == Tolerance(1, True)
    assert Tolerance(0.05, True).allowance(-200) == pytest.approx(10)
    for bad in ("five percent", "-5%", -1, "nan", "inf", ""):
        with pytest.raises(ValueError):
            Tolerance.parse(bad)


def test_author_mistakes_raise_for_the_author():
    with pytest.raises(ValueError):
        check_numeric("5 MBq", math.nan, "MBq", "5%")
    with pytest.raises(AnswerError, match="mCu"):
        check_numeric("5 MBq", 5, "mCu", "5%")
    with pytest.raises(ValueError, match="Tolerance"):
        check_numeric("5 MBq", 5, "MBq", "about 5")


def test_a_bare_number_for_a_question_with_a_unit_asks_for_a_unit():
    result = check_numeric("33", 33, "mCi", "1%")
    assert result.outcome is Outcome.MISSING_UNIT and result.value_in_expected_unit is None
    assert result.message == ("Your answer needs a unit: this question asks for an activity "
                              "(for example MBq or mCi).")


def test_a_unit_for_a_question_without_one_is_the_wrong_dimension():
    assert check_numeric("0.5", 0.5, "", "1%").correct
    result = check_numeric("0.5 MBq", 0.5, None, "1%")
    assert result.outcome is Outcome.WRONG_DIMENSION and "without a unit" in result.message


@pytest.mark.parametrize("answer,expected_value,expected_unit", [
    ("2 mSv/h", 200, "mrem/h"),
    ("50 mrem/h", 0.5, "mSv/h"),
    ("3 kBq/mL", 3, "MBq/L"),
    ("0.1 MBq/kg", 100, "kBq/kg"),
    ("2 MBq*h", 7.2e9, "Bq*s"),
    ("2 MBq·h", 2e-3, "GBq·h"),
    ("4 Gy/GBq", 4, "mGy/MBq"),
    ("1e-5 Gy/(MBq·h)", 1e-5 / 3600, "Gy/(MBq*s)"),
    ("1 Gy/MBq/h", 1, "Gy/(MBq*h)"),
    ("2 mR/h", 0.002, "R/h"),
    ("0.1 /h", 2.4, "/d"),
    ("0.1 h⁻¹", 0.1, "h^-1"),
    ("1 m^3", 1000, "L"),
])
def test_composite_units_convert(answer, expected_value, expected_unit):
    result = check_numeric(answer, expected_value, expected_unit, "0%")
    assert result.correct, result.message


@pytest.mark.parametrize("unit,words", [
    ("MBq", "an activity"), ("Gy", "an absorbed dose"), ("mSv", "a dose equivalent"), ("mR", "an exposure"),
    ("d", "a time"), ("mSv/h", "a dose-equivalent rate"), ("mrem/h", "a dose-equivalent rate"),
    ("mGy/h", "an absorbed-dose rate"), ("mR/h", "an exposure rate"), ("MBq*h", "a time-integrated activity"),
    ("kBq/mL", "an activity concentration"), ("MBq/kg", "an activity per unit mass"),
    ("Gy/GBq", "an absorbed dose per unit activity"), ("/h", "a rate constant"), ("keV", "an energy"),
    ("", "a pure number"), ("Gy*h", "a quantity measured in Gy·h"),
])
def test_describe_dimension(unit, words):
    assert describe_dimension(unit) == words
    assert describe_dimension(parse_unit(unit)) == words
    assert describe_dimension(Quantity(3, parse_unit(unit))) == words


# --- the parser ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,value,unit", [
    ("37 MBq", 37, "MBq"), ("37MBq", 37, "MBq"), ("+37 MBq", 37, "MBq"), ("-1.5 mSv", -1.5, "mSv"),
    (".5 mCi", 0.5, "mCi"), ("5. mCi", 5, "mCi"), ("1e3", 1000, ""), ("1.2E-3 Gy", 1.2e-3, "Gy"),
    ("1.2 × 10^3 MBq", 1200, "MBq"), ("1.2x10^3 MBq", 1200, "MBq"), ("1.2*10**3 MBq", 1200, "MBq"),
    ("1.2·10^-3 Gy", 1.2e-3, "Gy"), ("−2 mSv", -2, "mSv"), ("37\u00a0MBq", 37, "MBq"),
    ("2 mSv / h", 2, "mSv/h"), ("2 mSv·h^-1", 2, "mSv/h"), ("1e300 Bq", 1e300, "Bq"), ("1e-300", 1e-300, ""),
    ("3 Gy/(MBq·h)", 3, "Gy/(MBq*h)"), ("3 Gy/(MBq⋅h)", 3, "Gy/MBq/h"), ("5 cm³", 5, "cm^3"),
])
def test_parse_answer_reads_what_learners_type(text, value, unit):
    quantity = parse_answer(text)
    assert quantity.magnitude == pytest.approx(value, rel=1e-12) and quantity.units == parse_unit(unit)


def test_negative_zero_is_zero():
    assert math.copysign(1, parse_answer("-0 MBq").magnitude) == 1
    assert math.copysign(1, parse_answer("-0.0e5").magnitude) == 1


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_and_malformed_answers_raise_answer_error(text):
    with pytest.raises(AnswerError) as raised:
        parse_answer(text)
    assert raised.value.message
    result = check_numeric(text, 5, "MBq", "5%")
    assert result.outcome is Outcome.UNPARSEABLE and result.answer is None and not result.correct


def test_answers_that_are_not_text_are_refused():
    for value in (None, 5, 5.0, b"5 MBq", ["5 MBq"]):
        assert check_numeric(value, 5, "MBq", "5%").outcome is Outcome.UNPARSEABLE


def test_specific_errors_say_what_is_wrong():
    def message(text):
        with pytest.raises(AnswerError) as raised:
            parse_answer(text)
        return raised.value.message
    assert message("1" + "0" * 10000) == "Your answer is too long: use at most 64 characters."
    assert message("1,5 MBq").startswith("Use a point as the decimal separator")
    assert message("３７ MBq") == ("Your answer contains a character that cannot be used here: "
                                  "“３” (U+FF13).")
    assert message("1e999") == "The power of ten in your answer must be between -300 and 300."
    assert message("5 mbq") == "The unit “mbq” is not recognised. Did you mean MBq?"
    assert message("5 mCu") == "The unit “mCu” is not recognised. Did you mean mCi?"
    assert message("5 furlong") == "The unit “furlong” is not recognised."
    assert message("5 radian") == "The unit “radian” is not recognised."
    assert message("5 x") == "The unit “x” is not recognised."
    assert message("5 MBg") == "The unit “MBg” is not recognised. Did you mean MBq?"
    assert message("5 milicurie") == ("The unit “milicurie” is not recognised. "
                                      "Did you mean millicurie or millicuries?")
    assert message("37\nMBq") == "Your answer contains a character that cannot be used here: U+000A."
    assert message("5 MBq h") == "Put * or · between two units, for example MBq*h."
    assert message("nan") == "Your answer must start with a number, for example 7.4 GBq."


def test_parse_unit_is_as_strict_and_names_unknown_units():
    assert parse_unit("") == parse_unit("  ") == quantities._DIMENSIONLESS
    for bad in ("2**2**2 Bq", "Bq; drop", "3 MBq", "MBQ", "x" * 65):
        with pytest.raises(AnswerError):
            parse_unit(bad)
    with pytest.raises(AnswerError, match="“MBQ” is not recognised. Did you mean MBq?"):
        parse_unit("MBQ")


def test_every_spelling_means_one_unit():
    assert len(SPELLINGS) > 100
    for spelling, unit in SPELLINGS.items():
        assert parse_unit(spelling) == unit
        assert spelling.isalpha()


def test_grading_does_not_grow_pint_caches():
    cache = quantities._REGISTRY._cache
    sizes = lambda: sum(len(value) for value in vars(cache).values() if hasattr(value, "__len__"))  # noqa: E731
    check_numeric("1 GBq", 27, "mCi", "1%")  # warm up
    before = sizes()
    for a, b, c in itertools.product(("MBq", "GBq", "mCi", "kBq"), ("kg", "g", "mL", "L"), ("h", "s", "d")):
        check_numeric(f"3 {a}/{b}/{c}", 3, "MBq/(kg*h)", "1%")
    assert sizes() == before


# --- formatting ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("quantity,digits,text", [
    (Quantity(37, "MBq"), 3, "37.0 MBq"),
    (Quantity(27.027027, "mCi"), 4, "27.03 mCi"),
    (Quantity(3.7e10, "Bq"), 3, "3.70 × 10^10 Bq"),
    (Quantity(0.0005, "Gy"), 2, "5.0 × 10^-4 Gy"),
    (Quantity(0.00123, "Gy"), 3, "0.00123 Gy"),
    (Quantity(999.96, "mSv"), 4, "1000 mSv"),
    (Quantity(-2, "mSv/h"), 3, "-2.00 mSv/h"),
    (Quantity(0.05, "1/h"), 3, "0.0500 /h"),
    (Quantity(7, "µCi"), 2, "7.0 µCi"),
    (Quantity(0, "Gy"), 3, "0 Gy"),
    (Quantity(0.5, ""), 2, "0.50"),
])
def test_format_quantity(quantity, digits, text):
    assert format_quantity(quantity, digits) == text


@pytest.mark.parametrize("text", ["37 MBq", "3.7e10 Bq", "-2e-7 mSv/h", "0.05 /h", "7 µCi", "2.5 cm^3",
                                  "1e-5 Gy/(MBq*h)", "12 MBq*h", "123456789 Bq"])
def test_format_quantity_reads_back(text):
    quantity = parse_answer(text)
    again = parse_answer(format_quantity(quantity, 6))
    assert again.units == quantity.units and again.magnitude == pytest.approx(quantity.magnitude, rel=1e-5)


def test_format_number_refuses_what_it_cannot_show():
    for value, digits in ((math.inf, 3), (math.nan, 3), (1.0, 0), (1.0, 16)):
        with pytest.raises(ValueError):
            format_number(value, digits)


# --- messages ---------------------------------------------------------------------------------------

def _every_learner_message() -> list[str]:
    messages = _messages_of(HOSTILE + [None, "5 Gyy"])
    results: list[NumericResult] = [
        check_numeric(*args) for args in [
            ("33 mCi", 33, "mCi", "1%"), ("30 mCi", 33, "mCi", "1%"), ("1 GBq", 33, "mCi", "1%"),
            ("33", 33, "mCi", "1%"), ("5 mSv", 33, "mCi", "1%"), ("5 MBq", 5, "", "1%"),
            ("5 Gy*h", 5, "mCi", "1%"), ("5 mCi", 5, "Gy*h", "1%"), ("1e300 TBq", 5, "nCi", "1%"),
        ]]
    return messages + [result.message for result in results]


def test_every_learner_facing_message_is_a_complete_sentence():
    for message in _every_learner_message():
        assert re.fullmatch(r"[A-Z][^\n{}]*[.?!]", message), message


def test_every_learner_facing_message_is_marked_for_translation(monkeypatch):
    monkeypatch.setattr(quantities, "_", lambda text: "⟦" + text + "⟧")
    for message in _every_learner_message():
        assert message.startswith("⟦"), message


@pytest.mark.parametrize("text", [*SPELLINGS, "", "mSv/h", "Gy/(MBq*h)", "/h", "cm^3", "MBq*h/h", "kBq/mL", "h^-2"])
def test_unit_items_are_those_of_a_quantity_in_the_unit(text):
    unit = parse_unit(text)
    assert list(quantities.unit_items(unit)) == list(Quantity(1, unit).unit_items())
