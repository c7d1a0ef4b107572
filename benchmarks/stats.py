"""Summaries of repeated measurements: median, spread and the ratio of two medians.

Contract: `summary(samples)` returns `{"n", "median", "p10", "p25", "p75", "p90", "iqr", "min", "max",
"samples"}` (quantiles interpolated linearly between order statistics, as numpy's default does);
`ratio(a, b)` is `median(a) / median(b)` of two summaries taken in the same run. Nothing here times
anything.
"""
from __future__ import annotations

import math
from statistics import median


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(samples: list[float]) -> dict:
    samples = [float(s) for s in samples]
    if not samples:
        raise ValueError("no samples")
    p25, p75 = quantile(samples, 0.25), quantile(samples, 0.75)
    return {"n": len(samples), "median": median(samples), "p10": quantile(samples, 0.10), "p25": p25,
            "p75": p75, "p90": quantile(samples, 0.90), "iqr": p75 - p25, "min": min(samples),
            "max": max(samples), "samples": samples}


def ratio(numerator: dict, denominator: dict) -> float:
    """The ratio of two summaries' medians (both measured in the same run)."""
    return numerator["median"] / denominator["median"]
