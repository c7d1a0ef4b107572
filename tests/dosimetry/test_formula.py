"""rpt_xblocks.dosimetry.formula: authored formulas agree with physics.py and with hand computation;
every construct outside the language is refused with a FormulaError saying why; names are reported
before evaluating; and no text or values make anything but a FormulaError or a finite value come out."""
from __future__ import annotations

import ast
import math
import random
from pathlib import Path

import pint
import pytest

from rpt_xblocks.dosimetry import formula as formula_module
from rpt_xblocks.dosimetry import physics
from rpt_xblocks.dosimetry.formula import FUNCTIONS, Formula, FormulaError, check_dimension, evaluate
from rpt_xblocks.quantities import Quantity

VALUES = {
    "A0": Quantity(7.4, "GBq"), "T_half": Quantity(6.647, "d"), "t": Quantity(3, "d"), "Tp": Quantity(8, "d"),
    "Tb": Quantity(80, "d"), "x": 2.0, "r1": Quantity(100, "cm"), "r2": Quantity(2, "m"),
    "rate": Quantity(7, "mrem/h"), "S": Quantity(2e-5, "mGy/(MBq*h)"), "gamma": Quantity(2.2, "R*cm**2/(mCi*h)"),
}
A0, T_HALF, T, TP, TB = (VALUES[name] for name in ("A0", "T_half", "t", "Tp", "Tb"))
DECAY = math.exp(-math.log(2) * 3 / 6.647)

# formula -> expected value (a Quantity, compared in its unit, or a float)
CORRECT = [
    ("A0 * exp(-ln2 * t / T_half)", physics.activity_at(A0, T_HALF, T)),
    ("A0 * exp(-ln2 * t / T_half)", Quantity(7.4 * DECAY, "GBq")),
    ("activity_at(A0, T_half, t)", Quantity(7.4 * DECAY, "GBq")),
    ("activity_at(a0=A0, half_life=T_half, elapsed=t)", Quantity(7.4 * DECAY, "GBq")),
    ("activity_at(A0, T_half, -t)", Quantity(7.4 / DECAY, "GBq")),
    ("decay_factor(T_half, t)", DECAY),
    ("1 / (1/Tp + 1/Tb)", Quantity(80 / 11, "d")),
    ("effective_half_life(Tp, Tb)", Quantity(80 / 11, "d")),
    ("Tp * Tb / (Tp + Tb)", physics.effective_half_life(TP, TB)),
    ("ln2 / T_half", physics.decay_constant(T_HALF)),
    ("decay_constant(T_half)", Quantity(math.log(2) / 6.647, "1/d")),
    ("half_life_from_decay_constant(ln2 / T_half)", T_HALF),
    ("tia_monoexponential(A0, effective_half_life(Tp, Tb), 0.04)",
     physics.tia_monoexponential(A0, physics.effective_half_life(TP, TB), 0.04)),
    ("0.04 * A0 * (1 / (1/Tp + 1/Tb)) / ln2", Quantity(0.04 * 7400 * (80 / 11) * 24 / math.log(2), "MBq*h")),
    ("absorbed_dose(tia_monoexponential(A0, Tp), S)", Quantity(7400 * 8 * 24 / math.log(2) * 2e-5 / 1000, "Gy")),
    ("dose_rate_at(rate, r1, r2)", Quantity(7 / 4, "mrem/h")),
    # flat to 4 h, trapezoid 4-24 h, physical tail after 24 h
    ("tia_points(T_half, q(4, 'h'), q(100, 'MBq'), q(24, 'h'), q(60, 'MBq'))",
     Quantity(100 * 4 + 20 * (100 + 60) / 2 + 60 * 6.647 * 24 / math.log(2), "MBq*h")),
    ("tia_biexponential(A0, 0.2, q(0.32, 'd'), 0.8, q(5.2, 'd'))",
     Quantity(7400 * (0.2 * 0.32 + 0.8 * 5.2) * 24 / math.log(2), "MBq*h")),
    ("rate * (r1 / r2)**2", Quantity(7 / 4, "mrem/h")),
    ("rg839_release_activity(gamma, q(8.04, 'd'))", Quantity(0.5 * 100**2 / (34.6 * 2.2 * 8.04 * 0.25), "mCi")),
    ("rg839_release_activity(gamma, q(8.04, 'd'), occupancy=0.25)",
     Quantity(0.5 * 100**2 / (34.6 * 2.2 * 8.04 * 0.25), "mCi")),
    ("rg839_dose_total(gamma, q(30, 'mCi'), q(8.04, 'd'), r1, 0.25)",
     Quantity(34.6 * 2.2 * 30 * 8.04 * 0.25 / 100**2, "rem")),
    ("xofigo_volume(q(70, 'kg'), 1)", Quantity(70 * 55 / 1100, "mL")),
    ("xofigo_activity(Q('70 kg'))", Quantity(3850, "kBq")),
    ("Q('3.7 × 10^4 MBq')", Quantity(1, "Ci")),
    ("q(1, 'h') + q(1, 'd')", Quantity(25, "h")),
    ("pi * q(2, 'cm')**2", Quantity(4 * math.pi, "cm**2")),
    ("sqrt(q(9, 'cm**2'))", Quantity(3, "cm")),
    ("sqrt(x**2 + 3**2)", math.sqrt(13)),
    ("log10(1000) + ln(exp(x)) + log(x)", 3 + 2 + math.log(2)),
    ("max(Tp, Tb) - min(Tp, Tb, q(9, 'd'))", Quantity(72, "d")),
    ("abs(-A0)", Quantity(7.4, "GBq")),
    ("-x ** 2", -4.0),
    ("2 ** -1 + x ** 0.5", 0.5 + math.sqrt(2)),
    ("t / T_half", 3 / 6.647),  # a ratio of quantities comes back as a plain float
    ("(t / T_half) ** 2", (3 / 6.647) ** 2),
    (" 7 ", 7.0),
    ("(A0 *\n decay_factor(T_half, t))", Quantity(7.4 * DECAY, "GBq")),
]


@pytest.mark.parametrize("text, expected", CORRECT, ids=[text for text, _ in CORRECT])
def test_formulas_give_the_physics_and_hand_computed_values(text, expected):
    result = evaluate(Formula(text), VALUES)
    if isinstance(expected, pint.Quantity):
        assert isinstance(result, pint.Quantity) and result.dimensionality == expected.dimensionality
        assert result.m_as(expected.units) == pytest.approx(expected.magnitude, rel=1e-12)
    else:
        assert type(result) is float and result == pytest.approx(expected, rel=1e-12)


def test_effective_half_life_of_8_and_80_days_is_7_27_days_both_ways():
    for text in ("effective_half_life(Tp, Tb)", "1 / (1/Tp + 1/Tb)"):
        assert evaluate(text, VALUES).m_as("d") == pytest.approx(7.27, abs=0.005)  # "7.27 d": ±0.005 d


def test_one_formula_is_read_once_and_evaluated_with_other_values():
    formula = Formula("A0 * exp(-ln2 * t / T_half)")
    for days in (0, 6.647, 13.294):
        result = evaluate(formula, {**VALUES, "t": Quantity(days, "d")})
        assert result.m_as("GBq") == pytest.approx(7.4 * 0.5 ** (days / 6.647), rel=1e-12)


def test_every_number_is_a_float_so_no_big_integer_is_ever_built():
    assert type(evaluate("7", {})) is float
    assert type(evaluate("2 ** 4 * 2 ** 4 * 3", {})) is float
    assert type(evaluate("x", {"x": 3})) is float
    assert type(evaluate("x", {"x": Quantity(3, "h")}).magnitude) is float


NAMES = [
    ("A0 * exp(-ln2 * t / T_half)", ("A0", "t", "T_half")),
    ("activity_at(A0, T_half, elapsed=t) + A0", ("A0", "T_half", "t")),
    ("pi * r**2", ("r",)),
    ("x + x * y - x", ("x", "y")),
    ("q(1, 'h') + Q('2 d')", ()),
    ("(b +\n a)", ("b", "a")),
]


@pytest.mark.parametrize("text, names", NAMES)
def test_names_are_the_free_names_in_order_of_first_use(text, names):
    assert Formula(text).names == names


# text -> what the message must say; each is refused when read, before any value is known
REFUSED_WHEN_READ = [
    ("x.__class__", "attribute access"), ("(x).real", "attribute access"), ("().__class__.__bases__", "attribute"),
    ("__x + 1", "cannot be used .* start with a letter"), ("_x", "start with a letter"),
    ("__import__('os')", "“__import__” cannot be used"), ("µ + 1", "A-Z"),
    ("(lambda: 1)()", "only a function's name can be called"), ("lambda x: x", "lambda cannot be used"),
    ("[x for x in y]", "comprehension"), ("max(x for x in y)", "comprehension"),
    ("{x: 1 for x in y}", "comprehension"),
    ("x[0]", r"indexing with \[ \]"), ("'abc'", "text in quotes can only be a unit"), ("x + 'h'", "text in quotes"),
    ("f'{x}'", "f-string"), ("(y := 2)", "assignment with :="), ("x < 1", "comparison"), ("x == 1", "comparison"),
    ("x and y", "and / or"), ("x or y", "and / or"), ("not x", "operator not"), ("x if y else z", r"if … else"),
    ("exp(x=1)", "exp takes its arguments in order"), ("max(x, key=y)", "max takes its arguments in order"),
    ("activity_at(*x)", "without \\* or \\*\\*"), ("activity_at(A0, **x)", "without \\* or \\*\\*"),
    ("activity_at(A0, T_half, t, bogus=t)", "unexpected keyword argument 'bogus'"),
    ("activity_at(A0, T_half, t, elapsed=t)", "multiple values for argument 'elapsed'"),
    ("activity_at(A0, T_half)", "missing a required argument: 'elapsed'"),
    ("exp(x, 2)", "too many positional arguments"), ("min()", "missing a required argument"),
    ("foo(1)", "“foo” is not a formula function"), ("acivity_at(A0, T, t)", "did you mean activity_at"),
    ("A0(2 + x)", "write \\* before the bracket"), ("pi(2)", "“pi” is not a formula function"),
    ("eval('1')", "not a formula function"), ("exec('x')", "not a formula function"), ("open('f')", "not a formula"),
    ("getattr(x, 'y')", "not a formula function"), ("type(x)", "not a formula function"),
    ("int(x)", "not a formula function"), ("str(x)", "not a formula function"), ("rand()", "not a formula function"),
    ("exp", "exp is a function"), ("x * decay_factor", "decay_factor is a function"),
    ("True + 1", "True is not a number"), ("None", "None is not a number"), ("1j", "is not a number"),
    ("...", "is not a number"), ("b'x'", "is not a number"),
    ("{1: 2}", "a dict"), ("[1]", "a list"), ("(1, 2)", "a tuple"), ("{1}", "a set"),
    ("x // 2", "operator //"), ("x % 2", "operator %"), ("x ^ 2", "write \\*\\* for a power"),
    ("x @ y", "operator @"),
    ("~x", "operator ~"), ("+x", "operator \\+"), ("x << 2", "operator <<"), ("x & 1", "operator &"),
    ("q(1, unit)", "q needs its unit in quotes"), ("Q(1)", "Q needs a number and a unit in quotes"),
    ("q(1, 'Mbq')", "“Mbq” cannot be read as a unit.*Did you mean MBq"),
    ("Q('abc')", "cannot be read as a quantity"),
    ("q(1, 'h', 2)", "too many positional arguments"),
    ("x = 1", "cannot be read at character 3"), ("x; y", "cannot be read"), ("import os", "cannot be read"),
    ("1 +", "cannot be read at character 4"), ("(1 +\n 2 + @)", "on line 2, character 6"), ("((1)", "never closed"),
    ("  x +", "cannot be read at character 6"), ("\n\n  (x +\n @)", "on line 4, character 2"),
    ("q(1, 'µSv') + x[0]", "indexing .*at character 15"), ("\n  x.y", "attribute access.*on line 2, character 3"),
    ("a\x00", "cannot be read"), ("", "empty"), ("   ", "empty"),
    ("1" + "0" * 400, "too large"), ("1e999", "too large"),
    ("(" * 500 + "1" + ")" * 500, "more than 500"),  # 500 levels: refused for its length before parsing
    ("(" * 240 + "1" + ")" * 240, "too many nested parentheses"),  # Python's parser stops at 200
    ("-" * 100 + "1", "too deeply nested"), ("abs(" * 60 + "1" + ")" * 60, "too deeply nested"),
    ("x+" * 150 + "x", "too deeply nested"), ("max(" + ",".join(["x"] * 201) + ")", "too long"),
    ("x" * 10_000, "10000 characters, more than 500"),
]


@pytest.mark.parametrize("text, message", REFUSED_WHEN_READ, ids=[repr(t[:30]) for t, _ in REFUSED_WHEN_READ])
def test_constructs_outside_the_language_are_refused_when_read(text, message):
    with pytest.raises(FormulaError, match=message) as refused:
        Formula(text)
    assert " — " in refused.value.message and str(refused.value) == refused.value.message


@pytest.mark.parametrize("text", [None, 5, b"x + 1", ["x"]])
def test_a_formula_that_is_not_text_is_refused(text):
    with pytest.raises(FormulaError, match="must be text"):
        Formula(text)


# text -> what the message must say; each is read without complaint and refused when evaluated
REFUSED_WHEN_EVALUATED = [
    ("9**9**9", "the power 9 is too large"), ("10**400", "the power 400 is too large"), ("x ** 5", "power 5"),
    ("x ** -4.5", "power -4.5"), ("x ** t", r"exponent must be a plain number .* \(a time\)"),
    ("x ** (t / T_half)", "exponent must be a plain number"), ("1 / 0", "divides by zero"),
    ("A0 / (t - t)", "divides by zero"), ("0 ** -1", "divides by zero"), ("x / (x - 2)", "divides by zero"),
    ("A0 + t", "cannot add an activity and a time"), ("A0 - 1", "cannot subtract an activity and a pure number"),
    ("Tp + S", "cannot add a time and an absorbed dose per unit time-integrated activity"),
    ("max(A0, t)", "cannot compare an activity and a time"),
    ("exp(t)", "argument of exp must be a pure number, but it is a time"),
    ("exp(-ln2 * t)", "but it is a time"), ("ln(A0)", "but it is an activity"), ("log10(r1)", "but it is a length"),
    ("exp(1000)", "exp\\(1000\\) cannot be computed — exp needs a number of at most 700"),
    ("1e308 * 10", "not a finite real number"),
    ("1e308 + 1e308", "not a finite real number"), ("(1e200 * x) ** 2", "too large"),
    ("ln(0)", "ln\\(0\\) cannot be computed — ln needs a number greater than zero"),
    ("log(-x)", "greater than zero"), ("log10(0)", "greater than zero"), ("sqrt(-x)", "at least zero"),
    ("(-x) ** 0.5", "negative number cannot be raised"),
    ("activity_at(x, T_half, t)", "activity_at: a0 must be an activity"),
    ("effective_half_life(Tp, -Tb)", "biological must be greater than zero"),
    ("tia_monoexponential(A0, Tp, 2)", "uptake_fraction must be a number from 0 to 1"),
    ("tia_points(T_half, q(4, 'h'), q(100, 'MBq'), q(24, 'h'))", "tia_points: give the measurements as pairs"),
    ("tia_points(T_half)", "as pairs of time and activity"),
    ("tia_points(T_half, q(24, 'h'), A0, q(4, 'h'), A0)", "times must increase strictly"),
    ("tia_biexponential(A0, 0.6, Tp, 0.6, Tb)", "add up to 1.2, more than the whole activity"),
    ("decay_factor(T_half, -2000 * T_half)", "overflows"),
    ("q(A0, 'MBq')", "number in q\\(number, unit\\) must be a pure number"),
    ("T_hlf", "unknown name “T_hlf” — did you mean T_half"), ("zzz", "unknown name “zzz” — define it"),
]


@pytest.mark.parametrize("text, message", REFUSED_WHEN_EVALUATED, ids=[t for t, _ in REFUSED_WHEN_EVALUATED])
def test_values_that_break_a_readable_formula_are_refused_when_evaluated(text, message):
    formula = Formula(text)
    with pytest.raises(FormulaError, match=message) as refused:
        evaluate(formula, VALUES)
    assert " — " in refused.value.message


@pytest.mark.parametrize("value", ["5", None, True, math.nan, math.inf, [1], Quantity(math.nan, "h"),
                                   pint.UnitRegistry().Quantity(1, "s")])
def test_values_must_be_finite_numbers_or_quantities_of_the_project_registry(value):
    with pytest.raises(FormulaError, match="the value of “x”"):
        evaluate("x + 1", {"x": value})


def test_values_may_not_take_the_name_of_a_function_or_constant():
    for name in ("exp", "ln2", "pi", "activity_at", "Q"):
        with pytest.raises(FormulaError, match=f"“{name}” is the name of a formula function or constant"):
            evaluate("x", {"x": 1.0, name: 2.0})
    with pytest.raises(FormulaError, match="must be a dict"):
        evaluate("x", [("x", 1.0)])


def test_check_dimension_names_both_kinds_in_words():
    assert check_dimension(Quantity(1, "GBq"), "MBq") is None
    assert check_dimension(Quantity(1, "GBq"), Quantity(1, "mCi").units) is None
    assert check_dimension(3.0, "") is None
    assert check_dimension(Quantity(1, "Gy"), "h") == (
        "the formula gives an absorbed dose, but the step's unit (h) is for a time — correct the formula or the "
        "unit")
    assert check_dimension(2.0, "Gy") == (
        "the formula gives a pure number, but the step's unit (Gy) is for an absorbed dose — correct the formula or "
        "the unit")
    assert "gives an activity" in check_dimension(Quantity(1, "MBq"), "")
    assert "a quantity measured in d⁴" in check_dimension(evaluate("t ** 4", VALUES), "Gy")
    assert "“Mbq” cannot be read" in check_dimension(1.0, "Mbq")


def test_the_whitelist_is_exactly_the_documented_functions():
    assert set(FUNCTIONS) == {
        "exp", "ln", "log", "log10", "sqrt", "abs", "min", "max", "q", "Q", "tia_points", "tia_biexponential",
        "decay_factor", "activity_at", "atoms_from_activity", "activity_from_atoms",
        "decay_constant", "half_life_from_decay_constant", "effective_half_life", "tia_monoexponential",
        "absorbed_dose", "dose_rate_at", "rg839_dose_to_time", "rg839_dose_total", "rg839_dose_total_with_uptake", "rg839_release_activity",
        "rg839_dose_rate_at", "rg839_default_occupancy", "xofigo_activity", "xofigo_volume"}


def test_the_module_calls_no_eval_exec_or_compile():
    tree = ast.parse(Path(formula_module.__file__).read_text("utf-8"))
    called = {node.func.id for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert not called & {"eval", "exec", "compile", "__import__"}


# --- fuzz: random short texts from a fixed alphabet -----------------------------------------------
TOKENS = ["x", "t", "A0", "T_half", "r1", "0", "1", "2.5", "9", "1e308", "ln2", "pi", "+", "-", "*", "/", "**",
          "(", ")", ",", " ", "exp(", "ln(", "sqrt(", "max(", "abs(", "q(1, 'h')", "Q('2 GBq')", "activity_at(",
          "decay_factor(", "'", ".", "[", "]", "_", "__", "lambda", ":", "=", "<", "and", "e", "j", "\n"]
CHARACTERS = "0123456789.+-*/()[]{}<>=!%^&|~,:;'\"_ \n\\@xteAQq"


def _outcome(text: str):
    try:
        result = evaluate(text, VALUES)
    except FormulaError as error:
        assert isinstance(error.message, str) and error.message
        return "refused"
    assert isinstance(result, (float, pint.Quantity)) and not isinstance(result, bool)
    assert math.isfinite(result.magnitude if isinstance(result, pint.Quantity) else result)
    return "value"


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # Python's parser warns of texts like "1and"
def test_fuzz_only_a_formula_error_or_a_finite_value_ever_comes_out():
    rng = random.Random(0)
    texts = ["".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 8))) for _ in range(500)]
    texts += ["".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 12))) for _ in range(300)]
    outcomes = [_outcome(text) for text in texts]
    # Both kinds must occur, or the loop is not exercising the evaluator at all.
    assert outcomes.count("value") >= 20 and outcomes.count("refused") >= 20
