"""analyse(): one entry point for run, control and Making Data Count charts.

The chart type decides how the centre line and limits are computed (control.py); the profile
decides which rules apply and how (rules.py, mdc.py). Freeze, parts and exclusions work for
every chart type. Every step is O(n), except the median's sort.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain

from app.measurement import control, mdc, rules
from app.measurement.explain import Context, sentence
from app.measurement.profiles import QICHARTS2, ChartType, Direction, FreezeWithParts, Profile, Rule
from app.measurement.results import ChartResult, PartSummary, Signal, centre_name
from app.measurement.validation import (
    Number,
    check_counts,
    clean_exclude,
    clean_freeze,
    clean_labels,
    clean_parts,
    clean_target,
    clean_values,
)

RUNS_FAMILY = frozenset(
    {Rule.SHIFT, Rule.LONG_RUN, Rule.TREND, Rule.FEW_CROSSINGS, Rule.FEW_RUNS, Rule.MANY_RUNS}
)


def analyse(
    values: Sequence[Number | None],
    chart: ChartType | str = ChartType.RUN,
    *,
    profile: Profile | None = None,
    denominators: Sequence[Number | None] | None = None,
    labels: Sequence[str] | None = None,
    freeze: int | None = None,
    parts: Sequence[int] | None = None,
    exclude: Sequence[int] | None = None,
    multiply: float = 1.0,
    direction: Direction | str = Direction.NEITHER,
    target: Number | None = None,
) -> ChartResult:
    """Analyse a series and return centre lines, limits and every signal with a sentence.

    values: numbers or None (missing); numerators for p and u charts, counts for c charts.
    profile: the rules (default QICHARTS2: Anhøj rules, qicharts2's limits).
    freeze: the first `freeze` points are the baseline that sets the centre and limits.
    parts: 0-based indices where a new part starts (centre and limits recalculated there).
    exclude: 0-based indices left out of the centre, limits and rules (still plotted).
    multiply: scales what is plotted (e.g. 100 for percentages, 1000 for a rate per 1000).
    direction and target: improvement/concern colours, MDC icons and assurance.
    """
    chart, direction = ChartType(chart), Direction(direction)
    profile = profile or QICHARTS2
    y = clean_values(values)
    n = len(y)
    if n < 1:
        raise ValueError("too few points: there are no points to chart")
    if all(v is None for v in y):
        raise ValueError("there are no values to chart: every point is missing")
    den = None if denominators is None else clean_values(denominators, what="denominator")
    check_counts(chart, y, den)
    if chart is ChartType.I and profile.mr_limit_factor is None:
        raise ValueError(f"the {profile.name} profile has no control limits; use a run chart")
    if not (math.isfinite(multiply) and multiply > 0):
        raise ValueError("multiply must be a positive number")
    names = clean_labels(labels, n)
    excluded = clean_exclude(exclude, n)
    goal = clean_target(target)
    warnings: list[str] = []
    bounds, baseline_n = _parts(
        profile, clean_parts(parts, n), clean_freeze(freeze, n), n, warnings
    )

    part_of = [k for k, part in enumerate(bounds, start=1) for _ in part]
    baseline = [True] * n
    lines = control.Lines.empty(n)
    lines.values = control.plotted_values(chart, y, den)
    for k, part in enumerate(bounds, start=1):
        if baseline_n is not None:
            first = part.start if profile.freeze_with_parts is FreezeWithParts.EACH_PART else 0
            for i in part:
                baseline[i] = i - first < baseline_n
        calc = [i for i in part if baseline[i] and i not in excluded]
        control.fill_part(chart, profile, lines, part, calc, y, den, k)

    counted = sum(v is not None for v in lines.values)
    limits_shown = counted >= profile.min_points_for_limits
    if not limits_shown:
        for column in (lines.lower, lines.upper, lines.lower_2sigma, lines.upper_2sigma):
            column[:] = [None] * n
        warnings.append(
            f"With {counted} points there are no process limits, signals or icons: "
            f"the {profile.name} needs at least {profile.min_points_for_limits}."
        )

    vals = lines.values
    side = [
        None if v is None or c is None else (v > c) - (v < c)
        for v, c in zip(vals, lines.centre, strict=True)
    ]
    outside = _beyond(vals, lines.lower, lines.upper)
    beyond = [
        b and not out
        for b, out in zip(
            _beyond(vals, lines.lower_2sigma, lines.upper_2sigma), outside, strict=True
        )
    ]
    seqs = [[i for i in part if i not in excluded] for part in bounds]
    stats = [rules.run_stats(seq, side, profile) for seq in seqs]
    hits = _hits(chart, profile, seqs, stats, vals, side, outside, beyond) if limits_shown else []
    classes = mdc.classify(n, hits, profile, direction)

    if multiply != 1:
        for column in (
            vals,
            lines.centre,
            lines.lower,
            lines.upper,
            lines.lower_2sigma,
            lines.upper_2sigma,
        ):
            column[:] = [None if v is None else v * multiply for v in column]
    ctx = Context(names, vals, lines.lower, lines.upper, centre_name(chart))
    signals = tuple(_signal(h, ctx, direction, part_of) for h in hits)
    summaries = tuple(
        _summary(k, part, len(seq), st, hits, part_of, outside, profile)
        for k, (part, seq, st) in enumerate(zip(bounds, seqs, stats, strict=True), start=1)
    )
    if any(s.too_few_points for s in summaries):
        warnings.append(
            f"Some parts have fewer than {profile.warn_below_points} points: their limits are "
            "trial limits and will change as more points arrive."
        )

    icon = assurance = None
    last = max((i for i in range(n) if vals[i] is not None), default=None)
    if profile.mdc_icons and limits_shown and last is not None:
        icon = mdc.variation_icon(classes.variation[last], classes.direction[last])
        if goal is not None:
            assurance = mdc.assurance(goal, lines.lower[last], lines.upper[last], direction)

    return ChartResult(
        chart=chart,
        profile=profile,
        labels=names,
        values=tuple(vals),
        centre=tuple(lines.centre),
        lower=tuple(lines.lower),
        upper=tuple(lines.upper),
        lower_2sigma=tuple(lines.lower_2sigma),
        upper_2sigma=tuple(lines.upper_2sigma),
        baseline=tuple(baseline),
        included=tuple(i not in excluded for i in range(n)),
        part=tuple(part_of),
        side=tuple(side),
        outside_limits=tuple(outside),
        beyond_two_sigma=tuple(beyond),
        variation=classes.variation,
        point_rules=classes.rules,
        point_rule=classes.rule,
        point_direction=classes.direction,
        signals=signals,
        parts=summaries,
        direction=direction,
        target=goal,
        variation_icon=icon,
        assurance=assurance,
        warnings=tuple(warnings),
    )


def _parts(
    profile: Profile, starts: list[int], baseline_n: int | None, n: int, warnings: list[str]
) -> tuple[list[range], int | None]:
    """The parts as ranges, after the profile settles a baseline given together with parts."""
    if baseline_n is not None and starts:
        if profile.freeze_with_parts is FreezeWithParts.IGNORE_FREEZE:
            baseline_n = None
            warnings.append("The baseline was ignored because the chart has parts (as qicharts2).")
        elif profile.freeze_with_parts is FreezeWithParts.IGNORE_PARTS:
            starts = []
            warnings.append("The recalculations were ignored because a baseline is set (as MDC).")
    return [range(a, b) for a, b in zip([0, *starts], [*starts, n], strict=True)], baseline_n


def _beyond(
    values: Sequence[float | None], lower: Sequence[float | None], upper: Sequence[float | None]
) -> list[bool]:
    """Strictly above the upper or below the lower line (a point on a limit is inside)."""
    return [
        v is not None and ((u is not None and v > u) or (lo is not None and v < lo))
        for v, lo, u in zip(values, lower, upper, strict=True)
    ]


def _hits(
    chart: ChartType,
    profile: Profile,
    seqs: list[list[int]],
    stats: list[rules.RunStats],
    values: Sequence[float | None],
    side: Sequence[int | None],
    outside: Sequence[bool],
    beyond: Sequence[bool],
) -> list[rules.Hit]:
    """Every rule that fires, in order of the first point involved."""
    hits = rules.outside_hits(range(len(values)), side, outside)
    if chart is not ChartType.MR:  # moving ranges are not independent: no runs rules (qicharts2)
        if profile.rules_cross_parts:  # MDC: a shift may carry on past a recalculation
            whole = list(chain.from_iterable(seqs))
            scopes = [(whole, rules.run_stats(whole, side, profile))]
        else:
            scopes = list(zip(seqs, stats, strict=True))
        for seq, st in scopes:
            hits.extend(rules.runs_hits(seq, side, profile, st))
            hits.extend(rules.trend_hits(seq, values, profile))
            if profile.two_of_three:
                hits.extend(rules.two_of_three_hits(seq, side, beyond))
    hits.sort(key=lambda h: (h.indices[0], h.rule.whole_part))
    return hits


def _signal(hit: rules.Hit, ctx: Context, direction: Direction, part_of: list[int]) -> Signal:
    variation = mdc.variation_of(hit.direction, direction)
    return Signal(
        rule=hit.rule,
        indices=hit.indices,
        explanation=sentence(hit, ctx, variation),
        direction=hit.direction,
        variation=variation,
        part=part_of[hit.indices[0]],
    )


def _summary(
    k: int,
    part: range,
    n_obs: int,
    st: rules.RunStats,
    hits: Sequence[rules.Hit],
    part_of: Sequence[int],
    outside: Sequence[bool],
    profile: Profile,
) -> PartSummary:
    runs_signal = any(h.rule in RUNS_FAMILY and part_of[h.indices[0]] == k for h in hits)
    too_few = profile.warn_below_points is not None and len(part) < profile.warn_below_points
    return PartSummary(
        part=k,
        start=part.start,
        stop=part.stop,
        n_obs=n_obs,
        n_useful=st.n_useful,
        n_runs=st.n_runs,
        longest_run=st.longest_run,
        longest_run_max=st.longest_run_max,
        n_crossings=st.n_crossings,
        n_crossings_min=st.n_crossings_min,
        runs_min=st.runs_min,
        runs_max=st.runs_max,
        runs_limits=st.runs_limits,
        runs_signal=runs_signal,
        sigma_signal_count=sum(outside[i] for i in part),
        too_few_points=too_few,
    )
