"""Fuzzing the two evaluators of untrusted text: the dosimetry formula language
(`rpt_xblocks.dosimetry.formula`) and numeric answers with units (`rpt_xblocks.quantities`).

For any text — random characters, or expressions built from the language's own tokens with huge
numbers, deep nesting and long chains — `Formula`/`evaluate` raise nothing but FormulaError and
return a finite value otherwise; `parse_answer`/`parse_unit` raise nothing but AnswerError;
`check_numeric` never raises for a learner's answer. The work is bounded without timing anything:
inputs past MAX_LENGTH / MAX_NODES / MAX_DEPTH are refused, and one call's peak allocation
(tracemalloc) stays under MEMORY_BOUND however hostile the input.
"""
from __future__ import annotations

import ast
import math
import random
import tracemalloc
import warnings

import pint
import pytest
from hypothesis import given, settings, strategies as st

from rpt_xblocks import quantities
from rpt_xblocks.dosimetry.formula import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, MAX_NODES, Formula, FormulaError, evaluate
from rpt_xblocks.quantities import AnswerError, Quantity, check_numeric, parse_answer, parse_unit

FUZZ = settings.get_profile("rpt-fuzz")
MEMORY_BOUND = 5_000_000  # bytes allocated at the peak of one call


def examples(ci_count: int) -> int:
    """This test's share of the profile: `ci_count` under ci, proportionally more under deep."""
    return max(1, ci_count * FUZZ.max_examples // 100)


@pytest.fixture(autouse=True)
def _quiet_parser():
    with warnings.catch_warnings():  # Python's parser warns of texts like "1and" (SyntaxWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        yield


# ---- values and expressions -----------------------------------------------------------------------

VALUES = {
    "A0": Quantity(7.4, "GBq"), "T_half": Quantity(6.647, "d"), "t": Quantity(3, "d"), "Tp": Quantity(8, "d"),
    "Tb": Quantity(80, "d"), "x": 2.0, "zero": 0.0, "big": 1e300, "tiny": 1e-300, "neg": -3.0,
    "r1": Quantity(100, "cm"), "rate": Quantity(7, "mrem/h"), "S": Quantity(2e-5, "mGy/(MBq*h)"),
    "gamma": Quantity(2.2, "R*cm**2/(mCi*h)"), "huge": Quantity(1e300, "GBq"),
}
UNITS = ["GBq", "mCi", "MBq", "h", "d", "s", "cm", "m", "mSv/h", "mrem/h", "Gy", "rad", "Gy/(MBq*h)", "kg", "mL",
         "R*cm**2/(mCi*h)", "", "m^3", "m^4", "h^-3", "bogus", "Mbq", "GBq GBq", "1/h", "/h", "cm³", "µSv"]
NUMBERS = st.one_of(
    st.sampled_from(["0", "1", "2", "4", "5", "0.5", "1e308", "1e-308", "1e400", "9" * 300, "0" * 50 + "1", ".5",
                     "1_000", "0x10", "1e-400", "4.0000000001", "700", "701"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-10**30, 10**30).map(str),
)
NAMES = st.sampled_from([*VALUES, "ln2", "pi", "unknown", "_x", "__class__", "T_Half"])
QUANTITY_TEXT = st.builds(lambda n, u: f"{n} {u}".strip(), NUMBERS, st.sampled_from(UNITS))
ATOMS = st.one_of(
    NUMBERS, NAMES,
    st.builds(lambda n, u: f"q({n}, '{u}')", NUMBERS, st.sampled_from(UNITS)),
    st.builds(lambda text: f"Q('{text}')", QUANTITY_TEXT),
)
OPERATORS = st.sampled_from(["+", "-", "*", "/", "**", "**", "//", "%", "^", "<", " and ", "@", ","])
CALLABLE = st.sampled_from([*FUNCTIONS, "foo", "eval", "__import__", "pi", "x"])


def _extend(children):
    arguments = st.lists(children, max_size=4).map(", ".join)
    keyword = st.builds(lambda k, v: f"{k}={v}", st.sampled_from(["a0", "half_life", "elapsed", "occupancy", "x"]),
                        children)
    return st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", children, OPERATORS, children),
        st.builds(lambda a, op, b: f"({a}) {op} ({b})", children, OPERATORS, children),
        st.builds(lambda a: f"-{a}", children),
        st.builds(lambda a: f"({a})", children),
        st.builds(lambda f, args: f"{f}({args})", CALLABLE, arguments),
        st.builds(lambda f, args, kw: f"{f}({args}, {kw})" if args else f"{f}({kw})", CALLABLE, arguments, keyword),
    )


EXPRESSIONS = st.recursive(ATOMS, _extend, max_leaves=30)
WRAPPERS = ["-", "abs(", "(", "exp(", "sqrt(", "x ** ", "max(1, ", "2 ** ", "T_half * "]


def _nest(wrapper: str, depth: int, inner: str) -> str:
    return wrapper * depth + inner + (")" * depth if "(" in wrapper else "")


NESTED = st.builds(_nest, st.sampled_from(WRAPPERS), st.integers(1, 260), ATOMS)
CHAINS = st.builds(lambda atom, op, n: op.join([atom] * n), ATOMS, st.sampled_from(["+", "*", "**", "/", ", "]),
                   st.integers(1, 300))
FORMULA_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789.+-*/()[]{}<>=!%^&|~,:;'\"_ \n\\@xteAQqe", max_size=60),
    EXPRESSIONS, EXPRESSIONS, NESTED, CHAINS,
    st.text(min_size=MAX_LENGTH - 5, max_size=MAX_LENGTH + 5),
)
VALUE = st.one_of(
    st.floats(), st.integers(-10**400, 10**400), st.booleans(), st.none(), st.text(max_size=5),
    st.builds(lambda m, u: Quantity(m, u), st.floats(allow_nan=False, allow_infinity=False),
              st.sampled_from([u for u in UNITS if u and u not in ("bogus", "Mbq", "GBq GBq", "cm³", "µSv",
                                                                    "m^4", "/h", "h^-3", "m^3")])),
)
RANDOM_VALUES = st.dictionaries(st.sampled_from([*VALUES, "exp", "pi", "unknown"]), VALUE, max_size=6)


def outcome(text: str, values: dict) -> str:
    """"refused" (a FormulaError with a message) or "value" (finite, float or Quantity)."""
    try:
        result = evaluate(text, values)
    except FormulaError as error:
        assert isinstance(error.message, str) and error.message
        return "refused"
    assert isinstance(result, (float, pint.Quantity)) and not isinstance(result, bool), repr(result)
    assert math.isfinite(result.magnitude if isinstance(result, pint.Quantity) else result), repr(result)
    return "value"


def _size_and_depth(text: str) -> tuple[int, int] | None:
    """The formula's expression nodes (a call's arguments, not its name) and levels, counted as the
    module's limits count them; None if Python cannot parse the text."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    count, deepest, stack = 0, 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count, deepest = count + 1, max(deepest, depth)
        if isinstance(node, ast.Call):
            children = [*node.args, *(k.value for k in node.keywords)]
        else:
            children = [c for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        stack.extend((child, depth + 1) for child in children)
    return count, deepest


# ---- the formula language -------------------------------------------------------------------------

@settings(FUZZ, max_examples=examples(400))
@given(text=FORMULA_TEXT)
def test_any_formula_text_gives_a_formula_error_or_a_finite_value(text):
    outcome(text, VALUES)


@settings(FUZZ, max_examples=examples(200))
@given(text=st.one_of(EXPRESSIONS, NAMES), values=RANDOM_VALUES)
def test_any_values_give_a_formula_error_or_a_finite_value(text, values):
    outcome(text, values)


@settings(FUZZ, max_examples=examples(300))
@given(text=FORMULA_TEXT)
def test_the_limits_refuse_every_formula_past_them(text):
    """A formula longer than MAX_LENGTH, with more than MAX_NODES parts or MAX_DEPTH levels, is
    refused when it is read, before any evaluation; and what is read stays within the limits."""
    measured = _size_and_depth(text)
    try:
        formula = Formula(text)
    except FormulaError:
        formula = None
    if len(text) > MAX_LENGTH:
        assert formula is None, f"a formula of {len(text)} characters was read"
    if measured is not None and (measured[0] > MAX_NODES or measured[1] > MAX_DEPTH):
        assert formula is None, f"a formula of {measured[0]} parts and {measured[1]} levels was read"


@given(extra=st.integers(1, 5 * MAX_LENGTH), character=st.sampled_from("x1+( "))
@settings(FUZZ, max_examples=examples(30))
def test_too_long_is_refused_for_its_length(extra, character):
    with pytest.raises(FormulaError, match=f"more than {MAX_LENGTH}"):
        Formula(character * (MAX_LENGTH + extra))


@given(parts=st.integers(MAX_NODES, (MAX_LENGTH - 4) // 2))
@settings(FUZZ, max_examples=examples(20))
def test_too_many_parts_is_refused(parts):
    text = "max(" + ",".join(["x"] * parts) + ")"  # 1 + parts nodes, 2 levels
    assert len(text) <= MAX_LENGTH
    with pytest.raises(FormulaError, match="too long"):
        Formula(text)


@given(levels=st.integers(MAX_DEPTH, MAX_NODES - 1))
@settings(FUZZ, max_examples=examples(20))
def test_too_deep_is_refused_and_just_within_is_read(levels):
    with pytest.raises(FormulaError, match="too deeply nested"):
        Formula("-" * levels + "x")  # levels + 1 levels, levels + 1 nodes
    assert evaluate("-" * (MAX_DEPTH - 1) + "x", VALUES) in (2.0, -2.0)


HOSTILE_FORMULAS = [
    "9" * 499, "1e308 * 1e308", "huge * huge * huge", "x ** 4 ** 4", "big ** 4", "(big ** 4) ** 4",
    "exp(700) * exp(700)", "exp(701)", "q(1e308, 'GBq') * 1e308", "Q('9.9 × 10^300 GBq') * huge",
    "tia_points(T_half, " + ", ".join(["q(1, 'h'), q(1, 'MBq')"] * 10) + ")",
    "max(" + ",".join(["A0"] * 199) + ")", "-" * 49 + "x", "(" * 199 + "x" + ")" * 199,
    "r1 ** 4 * r1 ** 4 * r1 ** 4 * r1 ** 4", "q(1, 'm^3') ** 4 ** 0.5", "activity_at(huge, tiny * T_half, -t)",
    "sqrt(" * 45 + "big" + ")" * 45, "x" + "*x" * 199, "A0" + "/A0" * 100, "1/" * 99 + "zero",
]


def _peak_of(call) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        call()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def _evaluate_quietly(text: str, values: dict) -> None:
    try:
        evaluate(text, values)
    except FormulaError:
        pass


@pytest.mark.parametrize("text", HOSTILE_FORMULAS, ids=[repr(t[:24]) for t in HOSTILE_FORMULAS])
def test_hostile_formulas_stay_within_the_memory_bound(text):
    _evaluate_quietly(text, VALUES)  # first use fills the unit registry's caches; measure the second
    peak = _peak_of(lambda: _evaluate_quietly(text, VALUES))
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.1f} MB"


@settings(FUZZ, max_examples=examples(60))
@given(text=st.one_of(EXPRESSIONS, NESTED, CHAINS))
def test_random_formulas_stay_within_the_memory_bound(text):
    _evaluate_quietly(text, VALUES)
    peak = _peak_of(lambda: _evaluate_quietly(text, VALUES))
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.1f} MB"


@pytest.mark.parametrize("value", [10**400, -(10**400), Quantity(10**400, "GBq")], ids=["int", "-int", "Quantity"])
def test_a_value_too_large_for_a_float_is_refused(value):
    """Found by fuzzing (fails until fixed): `_checked_value` calls math.isfinite on the value,
    which raises OverflowError for an int beyond the float range, breaking the contract that
    evaluate raises nothing but FormulaError."""
    with pytest.raises(FormulaError):
        evaluate("x", {"x": value})


def test_the_fuzzing_reaches_both_outcomes():
    """Guard against a generator that only ever produces refusals (and so tests nothing)."""
    found = {"value": 0, "refused": 0}
    for _ in range(300):
        found[outcome(_sample_expression(), VALUES)] += 1
    assert found["value"] >= 20 and found["refused"] >= 20, found


def _sample_expression(rng=random.Random(0)) -> str:
    names = [name for name in VALUES if not isinstance(VALUES[name], pint.Quantity)] + ["ln2", "pi"]
    parts = [rng.choice(names + ["1", "2.5", "0.5"])]
    for _ in range(rng.randint(0, 5)):
        parts += [rng.choice(["+", "-", "*", "/", "**"]), rng.choice(names + ["1", "2", "4"])]
    text = " ".join(parts)
    return rng.choice([text, f"exp(-{text})", f"sqrt({text})", f"abs({text})", f"max({text}, 1)"])


# ---- numeric answers with units -------------------------------------------------------------------

ANSWER_PIECES = ["7.4", "-1.5", ".5", "1.2E-3", "3.7 × 10^4", "1e300", "1e-300", "9" * 40, "1e301", "0", "-0",
                 " ", "MBq", "mSv/h", "Gy/(MBq·h)", "cm³", "/h", "µSv", "μSv", "m⁻¹", "^", "^-", "^4", "^-3", "(",
                 ")", "*", "/", "·", "×", "−", "10", "x", "Mbq", "furlong", ",", "\u00a0", "\u202f", "\t", "e", "E"]
ANSWER_TEXT = st.one_of(
    st.text(max_size=70),
    st.lists(st.sampled_from(ANSWER_PIECES), max_size=12).map("".join),
    st.lists(st.sampled_from(ANSWER_PIECES), max_size=12).map(" ".join),
    st.builds(lambda n, u: f"{n} {u}", NUMBERS, st.sampled_from(UNITS)),
    st.builds(lambda depth, unit: "1 " + "(" * depth + unit + ")" * depth, st.integers(1, 40),
              st.sampled_from(["MBq", "h", "m"])),
    st.builds(lambda n, unit: "1 " + "*".join([unit] * n), st.integers(1, 20), st.sampled_from(["m", "h", "/h"])),
    st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=2), st.binary(max_size=5)),
)
EXPECTED_UNITS = ["", "MBq", "mCi", "mSv", "mSv/h", "Gy/(MBq*h)", "d", "/h", "cm^3", "MBq*h"]


@settings(FUZZ, max_examples=examples(400))
@given(text=ANSWER_TEXT)
def test_any_answer_text_is_read_or_refused_with_an_answer_error(text):
    try:
        quantity = parse_answer(text)
    except AnswerError as error:
        assert isinstance(error.message, str) and error.message
    else:
        assert isinstance(quantity, pint.Quantity) and math.isfinite(quantity.magnitude)
    try:
        unit = parse_unit(text)
    except AnswerError as error:
        assert isinstance(error.message, str) and error.message
    else:
        assert isinstance(unit, pint.Unit)


@settings(FUZZ, max_examples=examples(300))
@given(text=ANSWER_TEXT, expected=st.floats(allow_nan=False, allow_infinity=False),
       unit=st.sampled_from(EXPECTED_UNITS), tolerance=st.sampled_from(["5%", "0%", "100%", 0.5, "0", 1e300]))
def test_check_numeric_never_raises_for_a_learners_answer(text, expected, unit, tolerance):
    result = check_numeric(text, expected, unit, tolerance)
    assert isinstance(result.outcome, quantities.Outcome) and isinstance(result.message, str) and result.message
    if result.value_in_expected_unit is not None:
        assert math.isfinite(result.value_in_expected_unit)
    assert result.correct == (result.outcome is quantities.Outcome.CORRECT)


@settings(FUZZ, max_examples=examples(60))
@given(text=ANSWER_TEXT)
def test_answers_stay_within_the_memory_bound(text):
    def grade():
        check_numeric(text, 7.4, "GBq", "1%")
    grade()
    assert _peak_of(grade) < MEMORY_BOUND


def test_distinct_unit_expressions_do_not_make_the_process_grow():
    """The module's contract: grading uses its own conversion factors, not Pint's caches, so the
    many distinct units learners type cannot make a long-running LMS process grow."""
    rng = random.Random(7)
    spellings = sorted(quantities.SPELLINGS)

    def some_unit() -> str:
        names = rng.sample(spellings, rng.randint(1, 4))
        return names[0] + "".join(rng.choice("*/") + name + rng.choice(["", "^2", "^-1"]) for name in names[1:])

    def grade_many(count: int) -> None:
        for _ in range(count):
            check_numeric(f"1.5 {some_unit()}", 1.0, "MBq", "5%")

    grade_many(300)  # warm up: imports, regular expressions, the registry's first conversions
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        grade_many(1000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 200_000, f"1,000 distinct units kept {grown / 1e3:.0f} kB"

