"""Why each rule fires or does not, with the numbers the engine computed.

`signals` questions ask "which rules fire on this chart?"; each option's feedback is one of these
checks. A rule that fires says where (its signal sentences, and the points by position); a rule
that does not fire says why, e.g. "No shift: the longest run on one side of the median is 4
points; a shift needs 6."
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain

from app.measurement import rules
from app.measurement.explain import number, points, runs_source
from app.measurement.profiles import ChartType, Rule, RunsLimits
from app.measurement.results import ChartResult, PartSummary
from app.measurement.runs_table import CITATION, TABLES

MR_RULES = frozenset(
    {Rule.SHIFT, Rule.LONG_RUN, Rule.TREND, Rule.FEW_CROSSINGS, Rule.FEW_RUNS, Rule.MANY_RUNS}
)


@dataclass(frozen=True, slots=True)
class RuleCheck:
    """One rule on one chart: whether it fires, and a sentence saying where or why not."""

    rule: Rule
    fired: bool
    text: str


def applicable_rules(result: ChartResult) -> list[Rule]:
    """The rules this profile applies to this chart type, in the profile's own order."""
    profile = result.profile
    applied: list[Rule] = []
    if result.chart is not ChartType.RUN and result.has_limits:
        applied.append(Rule.OUTSIDE_LIMITS)
    if profile.shift_length:
        applied.append(Rule.SHIFT)
    if profile.anhoej_long_run:
        applied.append(Rule.LONG_RUN)
    if profile.trend_length:
        applied.append(Rule.TREND)
    if profile.two_of_three and result.has_limits:
        applied.append(Rule.TWO_OF_THREE)
    if profile.anhoej_crossings:
        applied.append(Rule.FEW_CROSSINGS)
    if profile.runs_test:
        applied.extend([Rule.FEW_RUNS, Rule.MANY_RUNS])
    return applied


def rule_checks(result: ChartResult) -> tuple[RuleCheck, ...]:
    """One check per applicable rule, in `applicable_rules` order."""
    checks = []
    for rule in applicable_rules(result):
        fired = [s for s in result.signals if s.rule is rule]
        if fired:
            where = [_positions(result, s.indices, rule) for s in fired]
            text = " ".join(
                s.explanation + (f" That is {w} on the chart." if w else "")
                for s, w in zip(fired, where, strict=True)
            )
            checks.append(RuleCheck(rule, True, text))
        else:
            checks.append(RuleCheck(rule, False, _why_not(result, rule)))
    return tuple(checks)


def runs_limits_note(result: ChartResult) -> str | None:
    """The runs limits and where they come from (the table, an approximation), per part.

    For profiles with the IHI runs test; the lab shows it beside the result.
    """
    if not result.profile.runs_test or result.chart is ChartType.MR:
        return None
    if len(result.parts) == 1:
        return _limits_phrase(result, result.parts[0])
    return " ".join(f"Part {p.part}: {_limits_phrase(result, p)}" for p in result.parts)


def runs_sentence(result: ChartResult, part: PartSummary) -> str | None:
    """The chart summary's runs sentence for a part too short for the runs table, else None.

    A runs signal's own sentence gives the runs and the expected range; a part inside the range
    says nothing more (the lab's runs note and a signals question's feedback give the numbers).
    """
    if not result.profile.runs_test or result.chart is ChartType.MR or not part.n_useful:
        return None
    if part.runs_limits is not RunsLimits.NOT_APPLIED:
        return None
    label = f"Part {part.part}: " if len(result.parts) > 1 else ""
    return (
        f"{label}Too few points to judge runs: {points(part.n_useful)} off the "
        f"{result.centre_name} (the table starts at {_table_first(result)})."
    )


def _limits_phrase(result: ChartResult, part: PartSummary) -> str:
    if not part.n_useful:
        return f"not judged: no point lies off the {result.centre_name}."
    if part.runs_limits is RunsLimits.NOT_APPLIED:
        return (
            f"not judged: {points(part.n_useful)} off the {result.centre_name}, and the "
            f"published table ({CITATION}) starts at {_table_first(result)}."
        )
    if part.runs_limits is RunsLimits.TABLE:
        source = f"from the published table ({CITATION})"
    else:
        last = _table_last(result)
        stops = f": the published table stops at {last} useful points" if last else ""
        source = f"from a binomial approximation{stops}"
    return (
        f"{part.runs_min} to {part.runs_max} runs expected by chance for {part.n_useful} useful "
        f"points, {source}."
    )


def _table_first(result: ChartResult) -> int | None:
    name = result.profile.runs_table
    return min(TABLES[name]) if name else None


def _table_last(result: ChartResult) -> int | None:
    name = result.profile.runs_table
    return max(TABLES[name]) if name else None


def _positions(result: ChartResult, indices: Sequence[int], rule: Rule) -> str:
    """'points 9 to 14' when the labels are not already 'point 9' ..., else ''."""
    if rule.whole_part or not indices:
        return ""
    if all(result.labels[i] == f"point {i + 1}" for i in indices):
        return ""
    first, last = indices[0] + 1, indices[-1] + 1
    return f"point {first}" if first == last else f"points {first} to {last}"


def _scopes(result: ChartResult) -> list[list[int]]:
    """The indices each rule looks at: each part's included points, or all when rules cross."""
    per_part = [[i for i in range(p.start, p.stop) if result.included[i]] for p in result.parts]
    if result.profile.rules_cross_parts:
        return [list(chain.from_iterable(per_part))]
    return per_part


def _not_applied(result: ChartResult, rule: Rule) -> str | None:
    """A reason no rule (or this rule) is applied to this chart at all, or None."""
    profile = result.profile
    counted = sum(v is not None for v in result.values)
    if counted < profile.min_points_for_limits:
        return (
            f"Not applied: with {counted} points the {profile.name} shows no limits or signals "
            f"(it needs at least {profile.min_points_for_limits})."
        )
    if result.chart is ChartType.MR and rule in MR_RULES:
        return (
            "Not applied: runs and trends are not judged on a moving range chart, because "
            "neighbouring moving ranges share a point and so are not independent."
        )
    return None


def _why_not(result: ChartResult, rule: Rule) -> str:
    reason = _not_applied(result, rule)
    if reason:
        return reason
    profile, centre = result.profile, result.centre_name
    if rule is Rule.SHIFT:
        longest = _longest_side_run(result)
        if not longest:
            return f"No shift: no point lies off the {centre}."
        return (
            f"No shift: the longest run on one side of the {centre} is {points(longest)}; "
            f"a shift needs {profile.shift_length}."
        )
    if rule is Rule.LONG_RUN:
        return "No unusually long run: " + _per_part(result, _long_run_reason)
    if rule is Rule.TREND:
        longest = _longest_trend(result)
        return (
            f"No trend: the longest stretch of points all going up or all going down is "
            f"{points(longest)}; a trend needs {profile.trend_length}."
        )
    if rule is Rule.FEW_CROSSINGS:
        return "Not too few crossings: " + _per_part(result, _crossings_reason)
    if rule in (Rule.FEW_RUNS, Rule.MANY_RUNS):
        few = rule is Rule.FEW_RUNS
        judged = [
            p for p in result.parts if p.n_useful and p.runs_limits is not RunsLimits.NOT_APPLIED
        ]
        head = f"Not too {'few' if few else 'many'} runs: " if judged else ""
        text = _per_part(result, lambda r, p: _runs_reason(r, p, few))
        return head + (text if head else text[0].upper() + text[1:])
    if rule is Rule.OUTSIDE_LIMITS:
        return _outside_reason(result)
    return _two_of_three_reason(result)


def _per_part(result: ChartResult, reason: Callable[[ChartResult, PartSummary], str]) -> str:
    if len(result.parts) == 1:
        return reason(result, result.parts[0])
    return " ".join(f"part {p.part}: {reason(result, p)}" for p in result.parts)


def _long_run_reason(result: ChartResult, part: PartSummary) -> str:
    if not part.n_useful or part.longest_run is None or part.longest_run_max is None:
        return f"no point lies off the {result.centre_name}."
    return (
        f"the longest run on one side of the {result.centre_name} is "
        f"{points(part.longest_run)}; with {part.n_useful} useful points, only a run longer "
        f"than {part.longest_run_max} would be unusual."
    )


def _crossings_reason(result: ChartResult, part: PartSummary) -> str:
    if not part.n_useful or part.n_crossings is None or part.n_crossings_min is None:
        return f"no point lies off the {result.centre_name}."
    times = "once" if part.n_crossings == 1 else f"{part.n_crossings} times"
    return (
        f"the line crosses the {result.centre_name} {times}; with {part.n_useful} useful "
        f"points, fewer than {part.n_crossings_min} crossings would be a signal."
    )


def _runs_reason(result: ChartResult, part: PartSummary, few: bool) -> str:
    if not part.n_useful:
        return f"not judged: no point lies off the {result.centre_name}."
    if part.runs_limits is RunsLimits.NOT_APPLIED:
        return (
            f"not judged: only {points(part.n_useful)} lie off the {result.centre_name}, and "
            f"the runs table ({CITATION}) starts at {_table_first(result)}, so too few or too "
            "many runs cannot be judged."
        )
    runs, low, high = part.n_runs, part.runs_min, part.runs_max
    source = runs_source(part.runs_limits is RunsLimits.TABLE)
    expected = f"the expected range of {low} to {high} for {part.n_useful} useful points {source}"
    if runs is not None and high is not None and few and runs > high:
        return f"{runs} runs is above {expected}: too many runs, not too few."
    if runs is not None and low is not None and not few and runs < low:
        return f"{runs} runs is below {expected}: too few runs, not too many."
    return f"{runs} runs, within {expected}."


def _outside_reason(result: ChartResult) -> str:
    best: tuple[float, int, str, float] | None = None
    for i, v in enumerate(result.values):
        c, lo, hi = result.centre[i], result.lower[i], result.upper[i]
        if v is None or c is None:
            continue
        for which, limit in (("upper", hi), ("lower", lo)):
            if limit is None or limit == c:
                continue
            gap = (limit - v) / (limit - c)  # 0 on the limit, 1 on the centre line
            if best is None or gap < best[0]:
                best = (gap, i, which, limit)
    if best is None:
        return "No point outside the limits: every point lies within them."
    _, i, which, limit = best
    return (
        f"No point outside the limits: every point lies within them. The nearest to a limit "
        f"is {result.labels[i]} ({number(result.values[i])}, {which} limit {number(limit)})."
    )


def _two_of_three_reason(result: ChartResult) -> str:
    near = [i for i, b in enumerate(result.beyond_two_sigma) if b and result.included[i]]
    if not near:
        return (
            "No two of three beyond two sigma: no point lies between the two-sigma line and "
            "the limits."
        )
    if len(near) == 1:
        return (
            f"No two of three beyond two sigma: only {result.labels[near[0]]} lies beyond two "
            "sigma, and the rule needs two of three consecutive points on the same side."
        )
    names = ", ".join(result.labels[i] for i in near)
    return (
        f"No two of three beyond two sigma: {len(near)} points lie beyond two sigma ({names}), "
        f"but no two of them fall within three consecutive points on the same side of the "
        f"{result.centre_name}."
    )


def _longest_side_run(result: ChartResult) -> int:
    longest = 0
    for seq in _scopes(result):
        for run in rules.side_runs(seq, result.side, result.profile.on_centre):
            longest = max(longest, len(run))
    return longest


def _longest_trend(result: ChartResult) -> int:
    """The most points all going one way, ties handled as the profile says (1 if none move)."""
    return max(rules.longest_trend(seq, result.values, result.profile) for seq in _scopes(result))
