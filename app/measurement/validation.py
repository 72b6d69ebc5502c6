"""Input checks: bad data raises ValueError with a message a learner can act on.

Messages count points from 1, as a learner reading a chart does; the API's indices are 0-based.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real

from app.measurement.profiles import ChartType

Number = float | int


def clean_values(values: Sequence[Number | None], *, what: str = "value") -> list[float | None]:
    """Numbers or None (a missing point). NaN, infinity, text and booleans are refused."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ValueError(f"the {what}s must be a list of numbers")
    out: list[float | None] = []
    for i, v in enumerate(values, start=1):
        if v is None:
            out.append(None)
            continue
        if isinstance(v, bool) or not isinstance(v, Real):
            raise ValueError(f"{what} at point {i} is not a number: {v!r}")
        f = float(v)
        if math.isnan(f):
            raise ValueError(f"{what} at point {i} is not a number (NaN); leave it out or use None")
        if math.isinf(f):
            raise ValueError(f"{what} at point {i} is infinite")
        out.append(f)
    return out


def check_counts(chart: ChartType, y: list[float | None], n: list[float | None] | None) -> None:
    """Numerators, denominators and counts must make sense for the chart type.

    p and u charts need denominators; run, I and MR charts may have them (the value plotted is
    then numerator / denominator, as in qicharts2); a c chart counts and takes none.
    """
    if n is None:
        if chart in (ChartType.P, ChartType.U):
            raise ValueError(f"a {chart.value} chart needs denominators")
    elif chart is ChartType.C:
        raise ValueError("a c chart takes no denominators: use a u chart for counts per unit")
    elif len(n) != len(y):
        raise ValueError(f"mismatched denominators: {len(y)} numerators but {len(n)} denominators")
    else:
        for i, (num, den) in enumerate(zip(y, n, strict=True), start=1):
            if den is not None and den <= 0:
                raise ValueError(f"denominator at point {i} must be greater than zero, not {den:g}")
            if chart in (ChartType.P, ChartType.U) and num is not None and num < 0:
                raise ValueError(f"numerator at point {i} must not be negative")
            if chart is ChartType.P and num is not None and den is not None and num > den:
                raise ValueError(
                    f"numerator at point {i} ({num:g}) is larger than its denominator ({den:g})"
                )
    if chart is ChartType.C:
        for i, v in enumerate(y, start=1):
            if v is not None and v < 0:
                raise ValueError(f"count at point {i} must not be negative")


def clean_labels(labels: Sequence[str] | None, n: int) -> tuple[str, ...]:
    """One label per point; by default "point 1", "point 2" ..."""
    if labels is None:
        return tuple(f"point {i}" for i in range(1, n + 1))
    if isinstance(labels, str) or len(labels) != n:
        raise ValueError(f"mismatched labels: {n} points need {n} labels")
    return tuple(str(label) for label in labels)


def clean_exclude(exclude: Sequence[int] | None, n: int) -> frozenset[int]:
    """0-based indices of points left out of the centre line, limits and rules."""
    out = set()
    for i in exclude or ():
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n:
            raise ValueError(f"excluded point {i!r} is not an index from 0 to {n - 1}")
        out.add(i)
    return frozenset(out)


def clean_parts(parts: Sequence[int] | None, n: int) -> list[int]:
    """0-based indices where a new part (a recalculation) starts, sorted and unique."""
    out = set()
    for start in parts or ():
        if isinstance(start, bool) or not isinstance(start, int) or not 0 < start < n:
            raise ValueError(f"a part must start at an index from 1 to {n - 1}, not {start!r}")
        out.add(start)
    return sorted(out)


def clean_freeze(freeze: int | None, n: int) -> int | None:
    """The number of baseline points (the first `freeze` points set the centre and limits)."""
    if freeze is None:
        return None
    if isinstance(freeze, bool) or not isinstance(freeze, int) or not 1 <= freeze <= n:
        raise ValueError(f"the baseline must be from 1 to {n} points, not {freeze!r}")
    return freeze


def clean_target(target: Number | None) -> float | None:
    if target is None:
        return None
    if isinstance(target, bool) or not isinstance(target, Real) or not math.isfinite(target):
        raise ValueError(f"the target must be a finite number, not {target!r}")
    return float(target)
