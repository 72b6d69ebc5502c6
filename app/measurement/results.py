"""Plain result dataclasses: per-point columns, signals with their sentences, per-part summaries.

Per-point data are tuples (columns) rather than one object per point, so 5,000 points stay cheap;
`summary.table_rows` turns them into rows for a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.measurement.profiles import ChartType, Direction, Profile, Rule, RunsLimits


class Variation(StrEnum):
    """What a point or signal means, given the improvement direction."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"  # special cause, but no direction says whether it is good or bad


class VariationIcon(StrEnum):
    """Making Data Count variation icon, decided by the last point."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEITHER_HIGH = "neither_high"
    NEITHER_LOW = "neither_low"

    @property
    def label(self) -> str:
        """The text that goes with the icon, so colour and shape are never the only cue."""
        if self is VariationIcon.COMMON_CAUSE:
            return "Common cause variation"
        kind, level = self.value.split("_")
        if kind == "neither":
            kind = "neither improvement nor concern"
        return f"Special cause variation: {kind} ({level})"


class Assurance(StrEnum):
    """Making Data Count assurance: where the target sits against the process limits."""

    CONSISTENT_PASS = "consistent_pass"  # nosec B105  # an assurance verdict
    CONSISTENT_FAIL = "consistent_fail"
    HIT_AND_MISS = "hit_and_miss"

    @property
    def label(self) -> str:
        return {
            "consistent_pass": "Assurance: consistently passes the target",  # nosec B105
            "consistent_fail": "Assurance: consistently fails the target",
            "hit_and_miss": "Assurance: hit and miss (the target lies within the process limits)",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Signal:
    """One rule firing: which rule, which points (0-based indices) and a sentence saying so."""

    rule: Rule
    indices: tuple[int, ...]
    explanation: str
    direction: int  # +1 high or rising, -1 low or falling, 0 for crossings and runs
    variation: Variation
    part: int  # 1-based part the signal starts in


@dataclass(frozen=True, slots=True)
class PartSummary:
    """Runs analysis of one part, with qicharts2's statistics (None when no point is useful)."""

    part: int
    start: int
    stop: int  # exclusive
    n_obs: int
    n_useful: int
    n_runs: int | None
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_min: int | None
    runs_max: int | None
    runs_limits: RunsLimits | None  # where runs_min and runs_max came from (IHI runs test)
    runs_signal: bool
    sigma_signal_count: int
    too_few_points: bool


@dataclass(frozen=True, slots=True)
class ChartResult:
    """Everything a chart, a summary or a table needs. Indices are 0-based."""

    chart: ChartType
    profile: Profile
    labels: tuple[str, ...]
    values: tuple[float | None, ...]  # plotted values (proportions, rates, moving ranges ...)
    centre: tuple[float | None, ...]
    lower: tuple[float | None, ...]
    upper: tuple[float | None, ...]
    lower_2sigma: tuple[float | None, ...]
    upper_2sigma: tuple[float | None, ...]
    baseline: tuple[bool, ...]
    included: tuple[bool, ...]
    part: tuple[int, ...]  # 1-based part of each point
    side: tuple[int | None, ...]  # sign of value - centre; None when missing
    outside_limits: tuple[bool, ...]
    beyond_two_sigma: tuple[bool, ...]  # between the 2-sigma line and the limit
    variation: tuple[Variation, ...]
    point_rules: tuple[tuple[Rule, ...], ...]  # point-level rules involving each point
    point_rule: tuple[Rule | None, ...]  # the rule that decides the point's colour
    point_direction: tuple[int, ...]
    signals: tuple[Signal, ...]
    parts: tuple[PartSummary, ...]
    direction: Direction
    target: float | None
    variation_icon: VariationIcon | None
    assurance: Assurance | None
    warnings: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def has_limits(self) -> bool:
        return any(u is not None for u in self.upper)

    @property
    def centre_name(self) -> str:
        return centre_name(self.chart)


def centre_name(chart: ChartType) -> str:
    """What the centre line is called in sentences."""
    names = {ChartType.RUN: "median", ChartType.I: "mean", ChartType.MR: "mean moving range"}
    return names.get(chart, "centre line")
