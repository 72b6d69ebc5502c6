"""Centre lines and limits for one part of a chart, as qicharts2 and Making Data Count compute them.

Each function fills the per-point lists for the indices of one part. `calc` holds the indices that
set the centre and limits: the part's baseline points that are not excluded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from app.measurement.profiles import ChartType, Profile
from app.measurement.stats import mean, median

MR_D4 = 3.267  # upper limit of a moving-range chart, as a multiple of the mean moving range

Column = list[float | None]


@dataclass(slots=True)
class Lines:
    """Per-point columns the engine fills in, before any `multiply` is applied."""

    values: Column
    centre: Column
    lower: Column
    upper: Column
    lower_2sigma: Column
    upper_2sigma: Column

    @classmethod
    def empty(cls, n: int) -> Lines:
        return cls(*([None] * n for _ in range(6)))


def plotted_values(
    chart: ChartType, y: Sequence[float | None], n: Sequence[float | None] | None
) -> Column:
    """What is plotted: the value, or a proportion or rate (numerator / denominator)."""
    if n is None or chart is ChartType.C:
        return list(y)
    return [a / b if a is not None and b is not None else None for a, b in zip(y, n, strict=True)]


def fill_part(
    chart: ChartType,
    profile: Profile,
    lines: Lines,
    part: range,
    calc: Sequence[int],
    y: Sequence[float | None],
    n: Sequence[float | None] | None,
    part_no: int,
) -> None:
    """Compute the centre line and limits of one part and write them into `lines`."""
    if chart is ChartType.MR:  # each part starts afresh: its first point has no moving range
        raw = lines.values[part.start : part.stop]
        for k, i in enumerate(part):
            a, b = (raw[k - 1], raw[k]) if k else (None, None)
            lines.values[i] = abs(b - a) if a is not None and b is not None else None
    vals = [lines.values[i] for i in calc if lines.values[i] is not None]
    if not vals:
        raise ValueError(f"part {part_no} has no values to compute its centre line from")

    if chart is ChartType.RUN:
        _constant(lines, part, median(vals), None, None)
    elif chart is ChartType.I:
        centre = mean(vals)
        assert centre is not None
        limit = _mr_limit(lines.values, calc, profile, part_no)
        _constant(lines, part, centre, limit, limit * 2 / 3)
    elif chart is ChartType.MR:
        centre = mean(vals)
        assert centre is not None
        for i in part:
            lines.centre[i] = centre
            lines.lower[i] = lines.lower_2sigma[i] = 0.0
            lines.upper[i] = MR_D4 * centre
            lines.upper_2sigma[i] = MR_D4 / 3 * 2 * centre
    elif chart is ChartType.C:
        centre = mean(vals)
        assert centre is not None
        sd = math.sqrt(centre)
        _constant(lines, part, centre, 3 * sd, 2 * sd, floor=0.0)
    else:
        assert n is not None
        pairs = [(y[i], n[i]) for i in calc if y[i] is not None and n[i] is not None]
        centre = math.fsum(a for a, _ in pairs) / math.fsum(b for _, b in pairs)
        for i in part:
            lines.centre[i] = centre
            if n[i] is None or y[i] is None:
                continue
            var = centre * (1 - centre) if chart is ChartType.P else centre
            sd = math.sqrt(max(var, 0.0) / n[i])
            top = 1.0 if chart is ChartType.P else math.inf
            lines.upper[i] = min(centre + 3 * sd, top)
            lines.upper_2sigma[i] = min(centre + 2 * sd, top)
            lines.lower[i] = max(centre - 3 * sd, 0.0)
            lines.lower_2sigma[i] = max(centre - 2 * sd, 0.0)


def _mr_limit(values: Column, calc: Sequence[int], profile: Profile, part_no: int) -> float:
    """3 sigma of an I chart from the mean moving range, screened once if the profile says so."""
    if profile.mr_limit_factor is None:
        raise ValueError(f"the {profile.name} profile has no control limits")
    ranges = []
    for a, b in pairwise(calc):
        va, vb = values[a], values[b]
        if va is not None and vb is not None:
            ranges.append(abs(vb - va))
    average = mean(ranges)
    if average is None:
        raise ValueError(
            f"too few points: part {part_no} needs at least 2 consecutive values for a moving range"
        )
    if profile.screen_moving_ranges and 0 < average < math.inf:  # all equal, or overflowed
        ceiling = profile.mr_screen_factor * average
        average = mean(r for r in ranges if r < ceiling)
        assert average is not None  # the smallest range is always below the ceiling
    return profile.mr_limit_factor * average


def _constant(
    lines: Lines,
    part: range,
    centre: float | None,
    limit: float | None,
    limit_2sigma: float | None,
    floor: float | None = None,
) -> None:
    """The same centre and limits for every point of the part."""
    low = high = low2 = high2 = None
    if centre is not None and limit is not None and limit_2sigma is not None:
        low, high = centre - limit, centre + limit
        low2, high2 = centre - limit_2sigma, centre + limit_2sigma
        if floor is not None:
            low, low2 = max(low, floor), max(low2, floor)
    for i in part:
        lines.centre[i] = centre
        lines.lower[i], lines.upper[i] = low, high
        lines.lower_2sigma[i], lines.upper_2sigma[i] = low2, high2
