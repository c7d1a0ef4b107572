"""An accessible SVG line plot of one formula against one variable, for the walkthrough summary.

Contract: `value_at(...)` is the formula's value at one x; `curve_points(formula, values, x_name, x_unit, y_unit, start, stop, count)` evaluates the
formula (formula.py, safely) at `count` evenly spaced x values and returns `[(x, y), ...]` in the
given units (unit texts read by `quantities.parse_unit`, as everywhere: `/h` works); it raises
`FormulaError`. `svg_plot(points, title, x_label, y_label, mark=None)` draws
them as a self-contained SVG string built with lxml (text escaped; no scripts, no external
references) with `role="img"`, a `<title>` and a `<desc>` that states the curve in words (the
first and last points, and the marked point) for readers who cannot see it.
"""
from __future__ import annotations

import math

from lxml import etree

from rpt_xblocks.dosimetry.formula import Formula, FormulaError, check_dimension, evaluate
from rpt_xblocks.quantities import Quantity, format_number, parse_unit

WIDTH, HEIGHT = 560, 320
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 50
TICKS = 5


def value_at(formula: Formula, values: dict, x_name: str, x_unit: str, y_unit: str, x: float) -> float:
    """The formula's value at `x` (in `x_unit`), as a number in `y_unit`; raises FormulaError."""
    y = evaluate(formula, {**values, x_name: Quantity(x, parse_unit(x_unit)) if x_unit else x})
    problem = check_dimension(y, y_unit) if y_unit else None
    if problem:
        raise FormulaError(problem.replace("the step's unit", "the y unit"))
    if not y_unit and hasattr(y, "units") and not y.dimensionless:
        raise FormulaError(f"the formula gives a value in {y.units:~}, but no y unit is given — add `y_unit:` "
                           "(e.g. GBq), or make the formula a pure number")
    return y.m_as(parse_unit(y_unit)) if hasattr(y, "units") else float(y)


def curve_points(formula: str, values: dict, x_name: str, x_unit: str, y_unit: str,
                 start: float, stop: float, count: int = 60) -> list[tuple[float, float]]:
    parsed = Formula(formula)
    xs = [start + (stop - start) * index / (count - 1) for index in range(count)]
    return [(x, value_at(parsed, values, x_name, x_unit, y_unit, x)) for x in xs]


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering [low, high]."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def _scale(value: float, low: float, high: float, out_low: float, out_high: float) -> float:
    return out_low if high == low else out_low + (value - low) * (out_high - out_low) / (high - low)


def svg_plot(points, title: str, x_label: str, y_label: str, mark: tuple[float, float] | None = None,
             description: str | None = None) -> str:
    """The curve through `points` as an accessible SVG (role img, title, description: `description`
    when given, else one made from the first and last points and the mark)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = min(0.0, min(ys)), max(ys) * 1.05 or 1.0
    px = lambda x: _scale(x, x_low, x_high, LEFT, WIDTH - RIGHT)  # noqa: E731
    py = lambda y: _scale(y, y_low, y_high, HEIGHT - BOTTOM, TOP)  # noqa: E731
    svg = etree.Element("svg", xmlns="http://www.w3.org/2000/svg", width=str(WIDTH), height=str(HEIGHT),
                        viewBox=f"0 0 {WIDTH} {HEIGHT}", role="img", **{"aria-labelledby": "t d"})
    svg.set("class", "rpt-plot")
    svg.set("font-family", "sans-serif")
    etree.SubElement(svg, "title", id="t").text = title
    words = (f"{y_label} against {x_label}: {format_number(ys[0])} at {format_number(xs[0])}, "
             f"{format_number(ys[-1])} at {format_number(xs[-1])}")
    if mark:
        words += f"; your case: {format_number(mark[1])} at {format_number(mark[0])}"
    etree.SubElement(svg, "desc", id="d").text = description or words + "."
    etree.SubElement(svg, "text", x=str(WIDTH / 2), y="22", **{"text-anchor": "middle", "font-size": "15"}).text = title
    axes = f"M{LEFT},{TOP} L{LEFT},{HEIGHT - BOTTOM} L{WIDTH - RIGHT},{HEIGHT - BOTTOM}"
    etree.SubElement(svg, "path", d=axes, fill="none", stroke="#333")
    for x in nice_ticks(x_low, x_high):
        etree.SubElement(svg, "text", x=f"{px(x):.1f}", y=str(HEIGHT - BOTTOM + 18),
                         **{"text-anchor": "middle", "font-size": "12"}).text = format_number(x)
    for y in nice_ticks(y_low, y_high):
        etree.SubElement(svg, "text", x=str(LEFT - 8), y=f"{py(y) + 4:.1f}",
                         **{"text-anchor": "end", "font-size": "12"}).text = format_number(y)
    etree.SubElement(svg, "text", x=str((LEFT + WIDTH - RIGHT) / 2), y=str(HEIGHT - 10),
                     **{"text-anchor": "middle", "font-size": "13"}).text = x_label
    etree.SubElement(svg, "text", x="16", y=str((TOP + HEIGHT - BOTTOM) / 2), transform=f"rotate(-90 16 {(TOP + HEIGHT - BOTTOM) / 2})",
                     **{"text-anchor": "middle", "font-size": "13"}).text = y_label
    line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
    etree.SubElement(svg, "polyline", points=line, fill="none", stroke="#2a5d8f", **{"stroke-width": "2.5"})
    if mark:
        etree.SubElement(svg, "circle", cx=f"{px(mark[0]):.1f}", cy=f"{py(mark[1]):.1f}", r="5", fill="#b00020")
    return etree.tostring(svg, encoding="unicode")
