"""The hidden-factor trap: a bare number in a formula that already holds a unit conversion.

RG 8.39 Eq. 2 as printed, `34.6 * Gamma * Q0 * Tp * E / r**2`, takes Tp in days and Γ per hour: its
34.6 is 24 h/d × 1.44. With units attached, Pint converts d to h again, and 33 mCi gives 12.1 R
instead of 0.505 R (rpt-facts.md section 3, "Units trap").

Contract: `hidden_conversion_problems(formula, values)` returns messages (`what — how`, for the
author) for each product in the formula (factors joined by * and /) in which a bare number other
than 1 multiplies a quantity with a dimension (not a pure ratio) whose units cancel with a factor
other than 1: units of one kind (d and h, GBq and MBq) that meet in one product. It cannot know
whether the number already holds that factor, so it asks the author to make the formula say so:
give the values in one unit, or group the number with a pure ratio (`Q0 * (0.693 * t / T_half)`).
It evaluates parts of the formula with `formula.evaluate` (FormulaError in a part: that part is
skipped) and raises nothing.
"""
from __future__ import annotations

import ast

import pint

from rpt_xblocks.dosimetry.formula import Formula, FormulaError, evaluate
from rpt_xblocks.quantities import Quantity, unit_items

_PRODUCT = (ast.Mult, ast.Div)


def hidden_conversion_problems(formula: Formula, values: dict) -> list[str]:
    problems: list[str] = []
    for factors in _products(ast.parse(formula.text.strip(), mode="eval").body):
        for index, (node, _divides) in enumerate(factors):
            number = _number(node)
            if number is None or abs(number) == 1:
                continue
            problem = _problem(number, factors[:index] + factors[index + 1:], values)
            if problem and problem not in problems:
                problems.append(problem)
    return problems


def _products(tree) -> list[list]:
    """Every product chain of the tree, as [(factor node, divides)], outermost first."""
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, _PRODUCT):
            factors = _factors(node, False)
            found.append(factors)
            stack.extend(factor for factor, _ in factors)
        else:
            stack.extend(child for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr))
    return found


def _factors(node, divides: bool) -> list:
    """The factors along the chain's left spine: * and / group from the left, so a product on the
    right (`Q0 * (0.693 * t / T_half)`) was put in brackets by the author and is one factor."""
    factors = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, _PRODUCT):
        factors.append((node.right, divides ^ isinstance(node.op, ast.Div)))
        node = node.left
    factors.append((node, divides))
    return factors[::-1]


def _number(node) -> float | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def _problem(number: float, others: list, values: dict) -> str | None:
    if not others:
        return None
    rest = None
    for node, divides in others:
        if rest is None:
            rest = ast.BinOp(ast.Constant(1.0), ast.Div(), node) if divides else node
        else:
            rest = ast.BinOp(rest, ast.Div() if divides else ast.Mult(), node)
    text = ast.unparse(rest)
    try:
        quantity = evaluate(Formula(text), values)
    except FormulaError:
        return None
    if not isinstance(quantity, pint.Quantity) or quantity.dimensionless or quantity.magnitude == 0:
        return None
    try:
        factor = quantity.to_reduced_units().magnitude / quantity.magnitude
    except (pint.PintError, ArithmeticError, ValueError):
        return None
    if abs(factor - 1) <= 1e-9:
        return None
    kinds: dict = {}
    for name, _power in unit_items(quantity.units):
        kinds.setdefault(Quantity(1, name).dimensionality, []).append(f"{Quantity(1, name).units:~P}")
    meeting = " and ".join(" with ".join(names) for names in kinds.values() if len(names) > 1)
    shown = f"{factor:.6g}" if factor > 1 else f"1/{1 / factor:.6g}"
    return (f"the number {number:g} multiplies {text}, whose units {meeting} convert into each other by a factor "
            f"of {shown}: if {number:g} already holds that factor (RG 8.39's 34.6 is 24 h/d × 1.44), the value is "
            f"{shown} times what the source prints — take the factor out of the number and let the units convert "
            "(34.6 becomes 1.44, or / ln2), or give the values as plain numbers (unit \"\") and the result its unit "
            "with q(…); if the units are meant to convert here, put the number in brackets with a pure number or "
            "ratio, as in Q0 * (0.693 * t / T_half) or (1.44 * E)")
