"""Safe, bounded evaluation of the formulas authors write as a walkthrough step's expected answer.

Contract:
- `Formula(text)` reads a formula once (`A0 * exp(-ln2 * t / T_half)`, `1 / (1/Tp + 1/Tb)`,
  `activity_at(A0, T_half, q(3, "d"))`); `parsed(text)` is the same Formula read once per process
  for each author text (a bounded cache of objects never changed after reading; it raises what
  `Formula` raises); `names` is the tuple of the free names it uses, in order of
  first use (constants and functions excluded), so unknown names can be reported before evaluating.
- `evaluate(formula, values)` computes it with `values` (name -> `rpt_xblocks.quantities.Quantity`
  or plain real number): a Quantity, or a float for a pure number (also for a ratio like t / T_half).
- For any text and values, `Formula` and `evaluate` raise nothing but `FormulaError`, whose message
  says what is wrong and, after " — ", how to fix it.
- `check_dimension(result, expected_unit)` is None when `result` converts to `expected_unit`, else a
  message naming both kinds of quantity in words.
The language: numbers, names, + - * / ** and unary minus, brackets, and calls of `FUNCTIONS`, with
named arguments only for the physics functions; text only as `q(7.4, "GBq")`'s unit and `Q("7.4 GBq")`;
`CONSTANTS` ln2, pi and avogadro (N_A, 6.02214076e23 /mol, a Quantity). An exponent is a plain number (not a Quantity) within ±MAX_EXPONENT; exp, ln,
log (natural) and log10 take pure numbers only; quantities added, subtracted or compared must be of
the same kind. Cost is bounded before evaluating: at most MAX_LENGTH characters, MAX_NODES expression
nodes, MAX_DEPTH levels; every number is a float (no big integers). Python's `ast.parse` reads the
text, every node is checked here, and `simpleeval`, stripped of its default functions, names,
operators and node types, evaluates the checked tree. Nothing reaches eval, exec or compile.
"""
from __future__ import annotations

import ast
import difflib
import functools
import inspect
import math
import numbers
import operator
import re
import sys

import pint
from simpleeval import SimpleEval

from rpt_xblocks.dosimetry import physics
from rpt_xblocks.quantities import AnswerError, Quantity, describe_dimension, parse_answer, parse_unit

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 50
MAX_EXPONENT = 4
CONSTANTS = {"ln2": math.log(2), "pi": math.pi, "avogadro": physics.AVOGADRO}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_LINES = re.compile(r"\r\n|\r|\n")  # Python's line ends
_PURE = Quantity(1, "").dimensionality
_REGISTRY = Quantity(1, "")._REGISTRY


class FormulaError(ValueError):
    """A formula that cannot be read or evaluated; `message` is for the author."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- values and operators --------------------------------------------------------------------------

def _kind(value) -> str:
    if getattr(value, "dimensionality", _PURE) == _PURE:
        return "a pure number"
    try:
        return describe_dimension(value)
    except (AnswerError, ArithmeticError):  # a unit power beyond the vocabulary's, e.g. h**4
        return f"a quantity measured in {value.units:~P}"


def _magnitude(value):
    return value.magnitude if isinstance(value, pint.Quantity) else value


def _finite(value):
    magnitude = _magnitude(value)
    if isinstance(magnitude, bool) or not isinstance(magnitude, numbers.Real) or not math.isfinite(magnitude):
        raise FormulaError(f"the formula gives {magnitude!r}, not a finite real number — check the values "
                           "and look for a very large product or power")
    return value


def _pure(value, what: str) -> float:
    if isinstance(value, pint.Quantity):
        if not value.dimensionless:
            raise FormulaError(f"{what} must be a pure number, but it is {_kind(value)} — divide it by a "
                               "quantity of the same kind first, as in t / T_half")
        return float(value.m_as(""))
    return value


def _same_kind(a, b, verb: str) -> None:
    if getattr(a, "dimensionality", _PURE) != getattr(b, "dimensionality", _PURE):
        raise FormulaError(f"cannot {verb} {_kind(a)} and {_kind(b)} — both must be the same kind of "
                           "quantity: check the units of the values and the formula")


def _additive(operation, verb):
    def additive(a, b):
        _same_kind(a, b, verb)
        return _finite(operation(a, b))
    return additive


def _divide(a, b):
    if _magnitude(b) == 0:
        raise FormulaError("the formula divides by zero — check the values and the denominators")
    return _finite(a / b)


def _power(base, exponent):
    if isinstance(exponent, pint.Quantity):
        raise FormulaError(f"an exponent must be a plain number such as 2 or 0.5, not a quantity ({_kind(exponent)})"
                           " — for decay write exp(-ln2 * t / T_half) or decay_factor(T_half, t)")
    if abs(exponent) > MAX_EXPONENT:
        raise FormulaError(f"the power {exponent:g} is too large — powers go from -{MAX_EXPONENT} to "
                           f"{MAX_EXPONENT}: write large numbers as 1e9, and use exp() for growth or decay")
    if _magnitude(base) == 0 and exponent < 0:
        raise FormulaError("the formula divides by zero (zero to a negative power) — check the values")
    if _magnitude(base) < 0 and not float(exponent).is_integer():
        raise FormulaError(f"a negative number cannot be raised to the power {exponent:g} — check the base")
    return _finite(base ** exponent)


_OPERATORS = {ast.Add: _additive(operator.add, "add"), ast.Sub: _additive(operator.sub, "subtract"),
              ast.Mult: lambda a, b: _finite(a * b), ast.Div: _divide, ast.Pow: _power, ast.USub: operator.neg}


# --- functions -------------------------------------------------------------------------------------

def _of_pure_number(function, name: str, allowed, needs: str):
    def call(x):
        value = _pure(x, f"the argument of {name}")
        if not allowed(value):
            raise FormulaError(f"{name}({value:g}) cannot be computed — {name} needs {needs}: check its argument")
        return function(value)
    return call


def _sqrt(x):
    if _magnitude(x) < 0:
        raise FormulaError(f"sqrt needs a value of at least zero, not {_magnitude(x):g} — check its argument")
    return x ** 0.5 if isinstance(x, pint.Quantity) else math.sqrt(x)


def _extreme(pick):
    def extreme(first, *others):
        for other in others:
            _same_kind(first, other, "compare")
        return pick((first, *others))
    return extreme


def _q(number, unit):
    return Quantity(_pure(number, "the number in q(number, unit)"), _read(parse_unit, unit))


def _read(parse, text):
    """A unit (parse_unit, for q) or a number with a unit (parse_answer, for Q), read strictly."""
    try:
        return parse(text)
    except AnswerError as error:
        raise FormulaError(f"“{text}” cannot be read as {'a unit' if parse is parse_unit else 'a quantity'}: "
                           f"{error.message} — write q(7.4, \"GBq\") or Q(\"7.4 GBq\")") from None


def _physics(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (ValueError, TypeError, ArithmeticError) as error:
            raise FormulaError(f"{function.__name__}: {error} — check the values and units passed to "
                               f"{_usage(function.__name__)}") from None
    return call


def tia_points(physical_half_life, *times_and_activities):
    """`physics.tia_from_points` for a formula, whose language has no lists: the measurements follow
    the half-life as pairs, tia_points(Tp, t1, A1, t2, A2, …)."""
    pairs = times_and_activities
    if not pairs or len(pairs) % 2:
        raise ValueError(f"give the measurements as pairs of time and activity after the half-life, not "
                         f"{len(pairs)} value(s)")
    return physics.tia_from_points(pairs[0::2], pairs[1::2], physical_half_life)


def tia_biexponential(a0, fraction1, half_life1, fraction2, half_life2):
    """`physics.tia_biexponential` with its two components as arguments (f1, T1, f2, T2)."""
    return physics.tia_biexponential(a0, ((fraction1, half_life1), (fraction2, half_life2)))


_PHYSICS = {function.__name__: _physics(function) for function in (tia_points, tia_biexponential,
    physics.decay_factor, physics.activity_at, physics.atoms_from_activity, physics.activity_from_atoms, physics.decay_constant, physics.half_life_from_decay_constant,
    physics.effective_half_life, physics.tia_monoexponential, physics.absorbed_dose, physics.dose_rate_at,
    physics.rg839_dose_to_time, physics.rg839_dose_total, physics.rg839_dose_total_with_uptake,
    physics.rg839_release_activity,
    physics.rg839_dose_rate_at, physics.rg839_default_occupancy, physics.xofigo_activity, physics.xofigo_volume)}
_POSITIVE = (lambda x: x > 0, "a number greater than zero")
FUNCTIONS = {"exp": _of_pure_number(math.exp, "exp", lambda x: x <= 700, "a number of at most 700"),
             "ln": _of_pure_number(math.log, "ln", *_POSITIVE), "log": _of_pure_number(math.log, "log", *_POSITIVE),
             "log10": _of_pure_number(math.log10, "log10", *_POSITIVE), "sqrt": _sqrt, "abs": abs,
             "min": _extreme(min), "max": _extreme(max), "q": _q, "Q": functools.partial(_read, parse_answer),
             **_PHYSICS}
RESERVED_NAMES = frozenset(FUNCTIONS) | frozenset(CONSTANTS)
_SIGNATURES = {name: inspect.signature(function) for name, function in FUNCTIONS.items()}  # read once, at import


def _usage(name: str) -> str:
    shown = ["…" if p.kind is p.VAR_POSITIONAL else p.name + ("=…" if p.default is not p.empty else "")
             for p in _SIGNATURES[name].parameters.values()]
    return f"{name}({', '.join(shown)})"


# --- reading ---------------------------------------------------------------------------------------

_REFUSED = {
    ast.Attribute: "a dot after a value (attribute access)", ast.Subscript: "indexing with [ ]",
    ast.Compare: "a comparison", ast.BoolOp: "and / or", ast.IfExp: "if … else", ast.Lambda: "lambda",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension", ast.JoinedStr: "an f-string", ast.NamedExpr: "assignment with :=",
    ast.Starred: "unpacking with *", ast.List: "a list", ast.Tuple: "a tuple (or a stray comma)",
    ast.Set: "a set", ast.Dict: "a dict"}
_SYMBOLS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|",
            ast.BitXor: "^", ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.Not: "not", ast.UAdd: "+"}
_HOW = "use numbers, names, + - * / **, brackets and the formula functions"


class Formula:
    """A formula read and checked once; evaluate it with `evaluate`. Not changed after `__init__`
    (`evaluate` only reads its tree), so `parsed` may share one instance between requests."""

    def __init__(self, text: str):
        if not isinstance(text, str):
            raise FormulaError(f"a formula must be text, not {type(text).__name__} — write it as a string")
        if len(text) > MAX_LENGTH:
            raise FormulaError(f"the formula has {len(text)} characters, more than {MAX_LENGTH} — split it into "
                               "steps, or give long parts a parameter")
        self.text, self._source = text, text.strip()
        before = _LINES.split(text[:len(text) - len(text.lstrip())])  # for positions in the text as written
        self._lines_before, self._indent = len(before) - 1, len(before[-1])
        if not text.strip():
            raise FormulaError("the formula is empty — write an expression such as A0 * decay_factor(T_half, t)")
        try:
            self._tree = ast.parse(self._source, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            line, offset = getattr(error, "lineno", None) or 1, getattr(error, "offset", None)
            column = (offset or len(self._source) + 1) - 1
            raise FormulaError(f"the formula cannot be read {self._where(line, column)}: "
                               f"{getattr(error, 'msg', error)} — check the brackets, commas and operators there "
                               "(** for powers)") from None
        self.names = self._check()

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def _where(self, line: int, column: int, in_bytes: bool = False) -> str:
        """Where (line, column) of the stripped text is in the text as written; ast counts UTF-8 bytes."""
        if in_bytes:
            column = len(_LINES.split(self._source)[line - 1].encode("utf-8")[:column].decode("utf-8", "ignore"))
        column += 1 + (self._indent if line == 1 else 0)
        if len(_LINES.split(self.text)) == 1:
            return f"at character {column}"
        return f"on line {line + self._lines_before}, character {column}"

    def _at(self, node) -> str:
        return self._where(node.lineno, node.col_offset, in_bytes=True)

    def _check(self) -> tuple[str, ...]:
        found, count, stack = [], 0, [(self._tree, 1, False)]
        while stack:
            node, depth, is_text = stack.pop()
            count += 1
            if count > MAX_NODES or depth > MAX_DEPTH:
                raise FormulaError(f"the formula is too {'long' if count > MAX_NODES else 'deeply nested'} "
                                   f"(at most {MAX_NODES} parts and {MAX_DEPTH} levels) — split it into steps")
            children = []
            if isinstance(node, ast.Constant):
                self._check_constant(node, is_text)
            elif isinstance(node, ast.Name) and node.id not in CONSTANTS:
                found.append((node.lineno, node.col_offset, self._check_name(node)))
            elif isinstance(node, (ast.BinOp, ast.UnaryOp)) and type(node.op) not in _OPERATORS:
                symbol = _SYMBOLS.get(type(node.op), type(node.op).__name__)
                fix = "write ** for a power, as in r**2" if symbol == "^" else _HOW
                raise FormulaError(f"the operator {symbol} cannot be used in a formula ({self._at(node)}) — {fix}")
            elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
                children = [(child, False) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)]
            elif isinstance(node, ast.Call):
                children = self._check_call(node)
            elif not isinstance(node, ast.Name):
                words = _REFUSED.get(type(node), type(node).__name__)
                raise FormulaError(f"{words} cannot be used in a formula ({self._at(node)}) — {_HOW}")
            stack.extend((child, depth + 1, text) for child, text in reversed(children))
        return tuple(dict.fromkeys(name for *_, name in sorted(found)))

    def _check_constant(self, node: ast.Constant, is_text: bool) -> None:
        if isinstance(node.value, str) and not is_text:
            raise FormulaError(f"text in quotes can only be a unit in q(…) or Q(…) ({self._at(node)}) — "
                               "write q(7.4, \"GBq\") or Q(\"7.4 GBq\")")
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float, str)):
            raise FormulaError(f"{node.value!r} is not a number ({self._at(node)}) — {_HOW}")
        if not isinstance(node.value, str):
            node.value = float(node.value) if abs(node.value) <= sys.float_info.max else math.inf  # no big ints
            if not math.isfinite(node.value):
                raise FormulaError(f"a number in the formula is too large ({self._at(node)}) — at most about "
                                   "1e308: check the number")

    def _check_name(self, node: ast.Name) -> str:
        if node.id in FUNCTIONS:
            raise FormulaError(f"{node.id} is a function ({self._at(node)}) — call it with brackets, as in "
                               f"{_usage(node.id)}")
        if node.id.startswith("_") or not _NAME.match(node.id):
            raise FormulaError(f"the name “{node.id}” cannot be used ({self._at(node)}) — names start with a "
                               "letter and use only the letters A-Z and a-z, digits and _")
        return node.id

    def _check_call(self, node: ast.Call) -> list:
        where = self._at(node)
        if not isinstance(node.func, ast.Name):
            raise FormulaError(f"only a function's name can be called ({where}) — write a call as exp(x)")
        name = node.func.id
        if name in CONSTANTS or name not in FUNCTIONS:
            self._check_name(node.func)
            close = difflib.get_close_matches(name, FUNCTIONS, n=3)
            hint = (f"did you mean {' or '.join(close)}?" if close and name not in CONSTANTS
                    else "the functions are " + ", ".join(FUNCTIONS))
            raise FormulaError(f"“{name}” is not a formula function ({where}) — {hint} (to multiply, write * "
                               "before the bracket)")
        if any(isinstance(argument, ast.Starred) for argument in node.args) or (
                node.keywords and (name not in _PHYSICS or any(k.arg is None for k in node.keywords))):
            raise FormulaError(f"{name} takes its arguments in order, without * or ** or names ({where}) — write "
                               f"{_usage(name)}" + (" (names are allowed here)" if name in _PHYSICS else ""))
        try:
            _SIGNATURES[name].bind(*node.args, **{k.arg: k.value for k in node.keywords})
        except TypeError as error:
            raise FormulaError(f"{name}: {error} ({where}) — write {_usage(name)}") from None
        text_at = {"q": 1, "Q": 0}.get(name)
        if text_at is not None:
            text = node.args[text_at]
            if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                raise FormulaError(f"{name} needs {'its unit' if name == 'q' else 'a number and a unit'} in "
                                   f"quotes ({where}) — write q(7.4, \"GBq\") or Q(\"7.4 GBq\")")
            _read(parse_unit if name == "q" else parse_answer, text.value)  # a bad unit fails here, not later
        return ([(argument, index == text_at) for index, argument in enumerate(node.args)]
                + [(keyword.value, False) for keyword in node.keywords])


@functools.lru_cache(maxsize=1024)
def parsed(text: str) -> Formula:
    """`Formula(text)`, memoized: the blocks evaluate the same author formulas on every request."""
    return Formula(text)


# --- evaluating ------------------------------------------------------------------------------------

class _Evaluator(SimpleEval):
    def __init__(self, names: dict):
        super().__init__(operators=_OPERATORS, functions=FUNCTIONS, names=names)
        self.nodes = {ast.BinOp: self._eval_binop, ast.UnaryOp: self._eval_unaryop, ast.Call: self._eval_call,
                      ast.keyword: self._eval_keyword, ast.Constant: self._eval_constant,
                      ast.Name: lambda node: self.names[node.id]}  # never simpleeval's fallback to functions


def _finite_float(number) -> float | None:
    """`number` as a finite float, or None (also for an integer too large for a float)."""
    if isinstance(number, bool) or not isinstance(number, numbers.Real):
        return None
    try:
        converted = float(number)
    except (OverflowError, ValueError):
        return None
    return converted if math.isfinite(converted) else None


def _checked_value(name: str, value):
    if isinstance(value, pint.Quantity) and value._REGISTRY is _REGISTRY:
        magnitude = value.magnitude
        if type(magnitude) is float and math.isfinite(magnitude):
            return value  # already what the evaluator takes (Pint's operators build new quantities)
        magnitude = _finite_float(magnitude)
        if magnitude is not None:
            return Quantity(magnitude, value.units)
    elif (number := _finite_float(value)) is not None:
        return number
    raise FormulaError(f"the value of “{name}” is {value!r} — give a finite number, or a quantity with a unit")


def evaluate(formula: Formula | str, values: dict) -> pint.Quantity | float:
    """The formula's value with `values` for its names; FormulaError for anything wrong."""
    formula = formula if isinstance(formula, Formula) else Formula(formula)
    if not isinstance(values, dict):
        raise FormulaError(f"the values must be a dict of names, not {type(values).__name__} — pass a dict")
    if reserved := sorted(RESERVED_NAMES.intersection(values)):
        raise FormulaError(f"“{reserved[0]}” is the name of a formula function or constant — rename that value")
    for name in formula.names:
        if name not in values:
            close = difflib.get_close_matches(name, [*map(str, values), *CONSTANTS], n=3)
            hint = f"did you mean {' or '.join(close)}?" if close else "define it as a parameter or an earlier step"
            raise FormulaError(f"unknown name “{name}” — {hint}")
    names = {**CONSTANTS, **{name: _checked_value(name, values[name]) for name in formula.names}}
    try:
        result = _finite(_Evaluator(names).eval(formula.text, previously_parsed=formula._tree))
        if isinstance(result, pint.Quantity) and result.dimensionless:
            result = float(result.m_as(""))
    except FormulaError:
        raise
    except ZeroDivisionError:
        raise FormulaError("the formula divides by zero — check the values and the denominators") from None
    except OverflowError:
        raise FormulaError("a number in the formula grows too large — check the values and the powers") from None
    except pint.DimensionalityError as error:
        raise FormulaError(f"the units do not match: {error} — check the units of the values") from None
    except Exception as error:  # the contract: nothing but FormulaError leaves this function
        raise FormulaError(f"the formula cannot be evaluated ({type(error).__name__}: {error}) — check it "
                           "against the formula functions and operators") from None
    return result


def check_dimension(result: pint.Quantity | float, expected_unit: pint.Unit | str) -> str | None:
    """None if `result` converts to `expected_unit` ("" for a pure number), else a message for the author."""
    if not isinstance(expected_unit, pint.Unit):
        try:
            expected_unit = parse_unit(expected_unit or "")
        except AnswerError as error:
            return f"the unit “{expected_unit}” cannot be read: {error.message} — write a unit such as MBq"
    expected = Quantity(1, expected_unit)
    if getattr(result, "dimensionality", _PURE) == expected.dimensionality:
        return None
    return (f"the formula gives {_kind(result)}, but the step's unit ({f'{expected_unit:~P}' or 'none'}) is for "
            f"{_kind(expected)} — correct the formula or the unit")
