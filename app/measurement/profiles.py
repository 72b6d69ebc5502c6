"""Rule profiles: every way the implementations differ is a setting here, never a special case.

A profile is plain data. The engine reads its fields and nothing else, so a new rule set (say MDC
with 7-point rules) is `dataclasses.replace(MDC_SINGLE_CHART_TOOL_V5, shift_length=7, ...)`.
The table in tests/measurement/reference/README.md lists the differences these fields model.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class ChartType(StrEnum):
    """The chart types the engine computes (qicharts2 names)."""

    RUN = "run"
    I = "i"  # noqa: E741 - the standard name of the individuals (XmR) chart
    MR = "mr"
    P = "p"
    U = "u"
    C = "c"


class Direction(StrEnum):
    """Which way is better; it turns a signal into an improvement or a concern."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEITHER = "neither"

    @property
    def sign(self) -> int:
        """+1 when high values are good, -1 when low values are good, 0 for neither."""
        return {"higher_is_better": 1, "lower_is_better": -1, "neither": 0}[self.value]


class Rule(StrEnum):
    """Every rule any profile can apply. The value is the name shown to learners."""

    OUTSIDE_LIMITS = "point outside the limits"
    TREND = "trend"
    TWO_OF_THREE = "two of three beyond two sigma"
    SHIFT = "shift"
    LONG_RUN = "unusually long run"
    FEW_CROSSINGS = "too few crossings"
    FEW_RUNS = "too few runs"
    MANY_RUNS = "too many runs"

    @property
    def whole_part(self) -> bool:
        """Crossings and runs judge a whole part, not particular points."""
        return self in (Rule.FEW_CROSSINGS, Rule.FEW_RUNS, Rule.MANY_RUNS)


class OnCentre(StrEnum):
    """What a point exactly on the centre line does to a run of points on one side."""

    SKIP = "skip"  # dropped: it neither breaks nor extends a run (qicharts2, IHI)
    BREAK = "break"  # it ends the run (NHSRplotthedots, MDC tool)


class TrendTies(StrEnum):
    """What two equal neighbours do to a trend."""

    COUNT_ONCE = "count_once"  # IHI: the tie neither breaks nor adds to the trend
    BREAK = "break"  # NHSRplotthedots, MDC: "no pause allowed"


class Conflict(StrEnum):
    """How one point's colour is chosen when several rules flag it."""

    PRIORITY = "priority"  # the first rule in `Profile.priority` decides (NHSRplotthedots)
    IMPROVEMENT_WINS = "improvement_wins"  # any improvement beats any concern (MDC tool)


class FreezeWithParts(StrEnum):
    """What a baseline (freeze) means when the chart also has parts (recalculations)."""

    IGNORE_FREEZE = "ignore_freeze"  # qicharts2: freeze is ignored when parts are given
    IGNORE_PARTS = "ignore_parts"  # MDC tool: "only the baseline is implemented"
    EACH_PART = "each_part"  # NHSRplotthedots: fix_after_n_points applies within each part


class RunsLimits(StrEnum):
    """Where a part's too few / too many runs limits came from (IHI runs test)."""

    TABLE = "table"  # the published table (runs_table.py), for every n it covers
    APPROXIMATION = "approximation"  # the binomial computation (stats.runs_limits)
    NOT_APPLIED = "not_applied"  # fewer useful points than the table's first row: no runs test

    @property
    def label(self) -> str:
        return {
            "table": "from the published table",
            "approximation": "a binomial approximation",
            "not_applied": "not applied (too few useful points)",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Profile:
    """One implementation's rules, as data. Field order follows the README's table."""

    key: str
    name: str
    source: str
    # Limits of an I (XmR) chart: centre +/- mr_limit_factor x mean moving range.
    mr_limit_factor: float | None
    screen_moving_ranges: bool
    # Runs of points on one side of the centre line.
    on_centre: OnCentre
    shift_length: int | None  # a fixed run length (IHI 6, NHSRplotthedots 7, MDC 6)
    anhoej_long_run: bool  # longest run > round(log2(n useful) + 3)
    trend_length: int | None
    trend_ties: TrendTies
    anhoej_crossings: bool  # crossings < qbinom(0.05, n useful - 1, 0.5)
    runs_test: bool  # IHI: too few or too many runs
    two_of_three: bool  # 2 of 3 beyond 2 sigma, all 3 on the same side; beyond 3 sigma don't count
    min_points_for_limits: int  # fewer points: no limits, no signals, no icons
    warn_below_points: int | None  # fewer points in a part: warn (trial limits)
    rules_cross_parts: bool
    freeze_with_parts: FreezeWithParts
    conflict: Conflict
    mdc_icons: bool  # Making Data Count variation and assurance icons
    priority: tuple[Rule, ...] = (
        Rule.OUTSIDE_LIMITS,
        Rule.TREND,
        Rule.TWO_OF_THREE,
        Rule.SHIFT,
        Rule.LONG_RUN,
    )
    runs_alpha: float = 0.05  # two-sided false-alarm rate of the binomial runs approximation
    # The runs table (runs_table.TABLES key). Inside it, its rows are the limits; under its first
    # row the runs test is not applied; above its last row, the binomial approximation is used.
    # None: the binomial approximation for every n.
    runs_table: str | None = None
    mr_screen_factor: float = 3.267  # moving ranges >= this x mean MR are dropped once


QICHARTS2 = Profile(
    key="qicharts2",
    name="Anhøj rules (qicharts2)",
    source="Anhøj and Olesen, PLoS ONE 2014; R package qicharts2 0.8.1",
    mr_limit_factor=3 / 1.128,
    screen_moving_ranges=True,
    on_centre=OnCentre.SKIP,
    shift_length=None,
    anhoej_long_run=True,
    trend_length=None,
    trend_ties=TrendTies.BREAK,
    anhoej_crossings=True,
    runs_test=False,
    two_of_three=False,
    min_points_for_limits=0,
    warn_below_points=None,
    rules_cross_parts=False,
    freeze_with_parts=FreezeWithParts.IGNORE_FREEZE,
    conflict=Conflict.PRIORITY,
    mdc_icons=False,
)

IHI = Profile(
    key="ihi",
    name="IHI run chart rules",
    source="Perla, Provost and Murray, BMJ Qual Saf 2011;20:46-51",
    mr_limit_factor=None,
    screen_moving_ranges=False,
    on_centre=OnCentre.SKIP,
    shift_length=6,
    anhoej_long_run=False,
    trend_length=5,
    trend_ties=TrendTies.COUNT_ONCE,
    anhoej_crossings=False,
    runs_test=True,
    two_of_three=False,
    min_points_for_limits=0,
    warn_below_points=None,
    rules_cross_parts=False,
    freeze_with_parts=FreezeWithParts.IGNORE_FREEZE,
    conflict=Conflict.PRIORITY,
    mdc_icons=False,
    runs_table="perla_2011",
)

NHSR_PLOTTHEDOTS = Profile(
    key="nhsrplotthedots",
    name="Making Data Count (NHSRplotthedots)",
    source="NHS-R Community, R package NHSRplotthedots 0.2.2",
    mr_limit_factor=2.66,
    screen_moving_ranges=True,
    on_centre=OnCentre.BREAK,
    shift_length=7,
    anhoej_long_run=False,
    trend_length=7,
    trend_ties=TrendTies.BREAK,
    anhoej_crossings=False,
    runs_test=False,
    two_of_three=True,
    min_points_for_limits=0,
    warn_below_points=13,
    rules_cross_parts=False,
    freeze_with_parts=FreezeWithParts.EACH_PART,
    conflict=Conflict.PRIORITY,
    mdc_icons=True,
    priority=(Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_OF_THREE, Rule.SHIFT),
)

MDC_SINGLE_CHART_TOOL_V5 = Profile(
    key="mdc_v5",
    name="Making Data Count (NHS England single chart tool v5)",
    source="NHS England, Making Data Count single chart tool v5.0",
    mr_limit_factor=2.66,
    screen_moving_ranges=False,
    on_centre=OnCentre.BREAK,
    shift_length=6,
    anhoej_long_run=False,
    trend_length=6,
    trend_ties=TrendTies.BREAK,
    anhoej_crossings=False,
    runs_test=False,
    two_of_three=True,
    min_points_for_limits=13,
    warn_below_points=None,
    rules_cross_parts=True,
    freeze_with_parts=FreezeWithParts.IGNORE_PARTS,
    conflict=Conflict.IMPROVEMENT_WINS,
    mdc_icons=True,
    priority=(Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_OF_THREE, Rule.SHIFT),
)

MDC_SINGLE_CHART_TOOL_V5_SEVEN = replace(
    MDC_SINGLE_CHART_TOOL_V5,
    key="mdc_v5_7",
    name="Making Data Count (single chart tool v5, 7-point option)",
    shift_length=7,
    trend_length=7,
)

PROFILES: dict[str, Profile] = {
    p.key: p
    for p in (
        QICHARTS2,
        IHI,
        NHSR_PLOTTHEDOTS,
        MDC_SINGLE_CHART_TOOL_V5,
        MDC_SINGLE_CHART_TOOL_V5_SEVEN,
    )
}
