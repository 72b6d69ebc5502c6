"""The rules: runs, shifts, trends, crossings, 2-of-3 and points outside the limits. All O(n).

Each function looks at one scope, the indices of a part (or of the whole chart when the profile
lets rules cross parts), and returns `Hit`s; analysis.py turns them into signals with sentences.
Excluded points are not in a scope at all. A point on the centre line is skipped or breaks a run,
as the profile's `on_centre` says; a missing value is treated the same way, in runs and trends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from app.measurement.profiles import OnCentre, Profile, Rule, RunsLimits, TrendTies
from app.measurement.runs_table import TABLES
from app.measurement.stats import anhoej_crossings_min, anhoej_longest_run_max, runs_limits


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired, with the numbers its sentence needs."""

    rule: Rule
    indices: tuple[int, ...]
    direction: int
    facts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunStats:
    """qicharts2's runs statistics for one part."""

    n_useful: int
    n_runs: int | None
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_min: int | None
    runs_max: int | None
    runs_limits: RunsLimits | None = None  # where runs_min and runs_max came from


def profile_runs_limits(
    profile: Profile, n_useful: int
) -> tuple[int | None, int | None, RunsLimits]:
    """The runs limits for n useful points, and where they come from (table, approximation).

    With a table: its row when it has one; no test under its first row; the binomial
    approximation above its last row. Without a table: the binomial approximation for every n.
    """
    table = TABLES[profile.runs_table] if profile.runs_table else None
    if table is not None:
        if n_useful in table:
            low, high = table[n_useful]
            return low, high, RunsLimits.TABLE
        if n_useful < min(table):
            return None, None, RunsLimits.NOT_APPLIED
    low, high = runs_limits(n_useful, profile.runs_alpha)
    return low, high, RunsLimits.APPROXIMATION


def side_runs(
    seq: Sequence[int], side: Sequence[int | None], on_centre: OnCentre
) -> list[list[int]]:
    """Consecutive points on one side of the centre line.

    A point on the line (side 0) or a missing value (None) is skipped, or ends the run, per profile.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    current_side = 0
    for i in seq:
        s = side[i]
        if not s:
            if on_centre is OnCentre.BREAK and current:
                runs.append(current)
                current, current_side = [], 0
            continue
        if s != current_side and current:
            runs.append(current)
            current = []
        current.append(i)
        current_side = s
    if current:
        runs.append(current)
    return runs


def run_stats(seq: Sequence[int], side: Sequence[int | None], profile: Profile) -> RunStats:
    """Useful points, runs, crossings and the profile's limits for them."""
    skipped = side_runs(seq, side, OnCentre.SKIP)  # crossings ignore points on the line
    n_useful = sum(len(r) for r in skipped)
    if not n_useful:
        return RunStats(0, None, None, None, None, None, None, None)
    runs = skipped if profile.on_centre is OnCentre.SKIP else side_runs(seq, side, OnCentre.BREAK)
    runs_min = runs_max = source = None
    if profile.runs_test:
        runs_min, runs_max, source = profile_runs_limits(profile, n_useful)
    anhoej = profile.anhoej_long_run or profile.anhoej_crossings
    return RunStats(
        n_useful=n_useful,
        n_runs=len(skipped),
        longest_run=max(len(r) for r in runs),
        longest_run_max=anhoej_longest_run_max(n_useful) if anhoej else None,
        n_crossings=len(skipped) - 1,
        n_crossings_min=anhoej_crossings_min(n_useful) if anhoej else None,
        runs_min=runs_min,
        runs_max=runs_max,
        runs_limits=source,
    )


def runs_hits(
    seq: Sequence[int], side: Sequence[int | None], profile: Profile, stats: RunStats
) -> list[Hit]:
    """Shift (a fixed length), Anhøj's long run and crossings, and the IHI runs test."""
    hits: list[Hit] = []
    n = stats.n_useful
    if not n:
        return hits
    position: dict[int, int] = {}  # built only if a run fires: where each point sits in seq
    for run in side_runs(seq, side, profile.on_centre):
        shift = profile.shift_length is not None and len(run) >= profile.shift_length
        limit = stats.longest_run_max if profile.anhoej_long_run else None
        long_run = limit is not None and len(run) > limit
        if not (shift or long_run):
            continue
        position = position or {i: k for k, i in enumerate(seq)}
        inside = seq[position[run[0]] : position[run[-1]] + 1]
        facts = {"length": len(run), "n_useful": n, "on_centre": sum(side[i] == 0 for i in inside)}
        direction = side[run[0]] or 0
        if shift:
            hits.append(Hit(Rule.SHIFT, tuple(run), direction, facts))
        if long_run:
            hits.append(Hit(Rule.LONG_RUN, tuple(run), direction, facts | {"limit": limit or 0}))
    useful = tuple(i for i in seq if side[i])
    crossings, minimum = stats.n_crossings, stats.n_crossings_min
    few = crossings is not None and minimum is not None and crossings < minimum
    if profile.anhoej_crossings and few:
        facts = {"crossings": crossings or 0, "limit": minimum or 0, "n_useful": n}
        hits.append(Hit(Rule.FEW_CROSSINGS, useful, 0, facts))
    runs, low, high = stats.n_runs, stats.runs_min, stats.runs_max
    if profile.runs_test and runs is not None and low is not None and high is not None:
        table = stats.runs_limits is RunsLimits.TABLE
        facts = {"runs": runs, "n_useful": n, "low": low, "high": high, "table": int(table)}
        if runs < low:
            hits.append(Hit(Rule.FEW_RUNS, useful, 0, facts | {"limit": low}))
        elif runs > high:
            hits.append(Hit(Rule.MANY_RUNS, useful, 0, facts | {"limit": high}))
    return hits


def trend_hits(seq: Sequence[int], values: Sequence[float | None], profile: Profile) -> list[Hit]:
    """Points all going up or all going down: `trend_length` points or more."""
    length = profile.trend_length
    if length is None:
        return []
    hits = _trend_stretches(seq, values, profile, length)
    hits.sort(key=lambda h: h.indices[0])
    return hits


def longest_trend(seq: Sequence[int], values: Sequence[float | None], profile: Profile) -> int:
    """The most points all going one way (ties as the profile says); 1 when nothing moves."""
    stretches = _trend_stretches(seq, values, profile, 2)
    return max((h.facts["length"] for h in stretches), default=1)


def _trend_stretches(
    seq: Sequence[int], values: Sequence[float | None], profile: Profile, length: int
) -> list[Hit]:
    """Every maximal stretch of at least `length` points going one way (missing per profile)."""
    segments: list[list[int]] = [[]]
    for i in seq:
        if values[i] is None:
            if profile.on_centre is OnCentre.BREAK and segments[-1]:
                segments.append([])
            continue
        segments[-1].append(i)
    hits: list[Hit] = []
    for points in segments:
        known = [values[i] for i in points]
        steps = [_sign(b - a) for a, b in pairwise(known)]  # type: ignore[operator]
        for direction in (1, -1):
            hits.extend(_trend_windows(points, steps, direction, length, profile.trend_ties))
    return hits


def _trend_windows(
    points: list[int], steps: list[int], direction: int, length: int, ties: TrendTies
) -> list[Hit]:
    """Maximal stretches of steps in one direction; a tie joins them only if ties count once."""
    allowed = {direction, 0} if ties is TrendTies.COUNT_ONCE else {direction}
    hits: list[Hit] = []
    k = 0
    while k < len(steps):
        if steps[k] not in allowed:
            k += 1
            continue
        start = k
        while k < len(steps) and steps[k] in allowed:
            k += 1
        moves = sum(1 for s in steps[start:k] if s == direction)
        if moves and moves + 1 >= length:
            window = tuple(points[start : k + 1])
            facts = {"length": moves + 1, "ties": k - start - moves}
            hits.append(Hit(Rule.TREND, window, direction, facts))
    return hits


def two_of_three_hits(
    seq: Sequence[int], side: Sequence[int | None], beyond: Sequence[bool]
) -> list[Hit]:
    """2 or 3 of 3 consecutive points beyond 2 sigma, all 3 on the same side of the centre.

    Only the points beyond 2 sigma (and inside the limits) are flagged; overlapping windows on the
    same side merge into one signal.
    """
    hits: list[Hit] = []
    group: list[int] = []
    group_side = 0
    last_window = -3
    for k in range(len(seq) - 2):
        a, b, c = seq[k : k + 3]
        s = side[a]
        if not s or side[b] != s or side[c] != s or beyond[a] + beyond[b] + beyond[c] < 2:
            continue
        flagged = [i for i in (a, b, c) if beyond[i]]
        if group and s == group_side and k <= last_window + 2:
            group.extend(i for i in flagged if i not in group)
        else:
            if group:
                hits.append(Hit(Rule.TWO_OF_THREE, tuple(sorted(group)), group_side))
            group, group_side = list(flagged), s
        last_window = k
    if group:
        hits.append(Hit(Rule.TWO_OF_THREE, tuple(sorted(group)), group_side))
    return hits


def outside_hits(
    indices: Sequence[int], side: Sequence[int | None], outside: Sequence[bool]
) -> list[Hit]:
    """Each point beyond a limit is a signal of its own."""
    return [Hit(Rule.OUTSIDE_LIMITS, (i,), side[i] or 0) for i in indices if outside[i]]


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)
