"""Hand-designed series: each checks one rule or one profile setting, named for the reason."""

from __future__ import annotations

from dataclasses import replace

from app.measurement import (
    IHI,
    MDC_SINGLE_CHART_TOOL_V5,
    MDC_SINGLE_CHART_TOOL_V5_SEVEN,
    NHSR_PLOTTHEDOTS,
    QICHARTS2,
    ChartResult,
    Rule,
    Variation,
    analyse,
)
from app.measurement.profiles import OnCentre, RunsLimits, TrendTies

# 6 below, 6 above and one point on the median (5) inside the run above.
MEDIAN_INSIDE_RUN = [2, 3, 1, 8, 9, 7, 5, 8, 9, 7, 2, 3, 4]


def rules_of(result: ChartResult, rule: Rule) -> list[tuple[int, ...]]:
    return [s.indices for s in result.signals if s.rule is rule]


def test_point_on_the_median_inside_a_run_neither_breaks_nor_extends_it() -> None:
    result = analyse(MEDIAN_INSIDE_RUN, "run", profile=IHI)
    assert result.centre[0] == 5
    assert result.side[6] == 0
    assert rules_of(result, Rule.SHIFT) == [(3, 4, 5, 7, 8, 9)]
    shift = next(s for s in result.signals if s.rule is Rule.SHIFT)
    assert "The point on the median in between neither breaks nor extends it." in shift.explanation


def test_a_point_on_the_centre_line_breaks_the_run_when_the_profile_says_so() -> None:
    breaking = replace(IHI, on_centre=OnCentre.BREAK)
    result = analyse(MEDIAN_INSIDE_RUN, "run", profile=breaking)
    assert rules_of(result, Rule.SHIFT) == []
    assert result.parts[0].longest_run == 3


def test_anhoej_counts_only_useful_points_and_flags_too_few_crossings() -> None:
    result = analyse(MEDIAN_INSIDE_RUN, "run", profile=QICHARTS2)
    part = result.parts[0]
    assert (part.n_obs, part.n_useful, part.longest_run, part.longest_run_max) == (13, 12, 6, 7)
    assert (part.n_crossings, part.n_crossings_min) == (2, 3)  # qbinom(0.05, 11, 0.5) = 3
    assert rules_of(result, Rule.LONG_RUN) == []
    assert [s.rule for s in result.signals] == [Rule.FEW_CROSSINGS]
    assert part.runs_signal


def test_a_tie_inside_a_trend_counts_once_for_ihi() -> None:
    values = [9, 3, 5, 6, 6, 7, 8, 2, 9, 4, 8, 3]
    result = analyse(values, "run", profile=IHI)
    assert rules_of(result, Rule.TREND) == [(1, 2, 3, 4, 5, 6)]  # 3 5 6 6 7 8: five values
    trend = next(s for s in result.signals if s.rule is Rule.TREND)
    assert trend.explanation.startswith("A trend: 5 points in a row going up, from point 2 to")
    assert "Equal neighbouring values count once." in trend.explanation


def test_a_tie_breaks_a_trend_when_the_profile_says_so() -> None:
    values = [9, 3, 5, 6, 6, 7, 8, 2, 9, 4, 8, 3]
    result = analyse(values, "run", profile=replace(IHI, trend_ties=TrendTies.BREAK))
    assert rules_of(result, Rule.TREND) == []


def test_four_distinct_values_with_a_tie_are_not_a_trend_of_five() -> None:
    result = analyse([9, 3, 5, 5, 6, 7, 2, 9, 4, 8, 3, 8], "run", profile=IHI)
    assert rules_of(result, Rule.TREND) == []


def test_a_falling_trend_and_its_sentence_uses_the_labels() -> None:
    values = [20, 12, 25, 18, 16, 14, 12, 10, 22, 13, 21, 15]
    labels = [f"week {i}" for i in range(1, 13)]
    result = analyse(values, "run", profile=IHI, labels=labels)
    trend = next(s for s in result.signals if s.rule is Rule.TREND)
    assert trend.indices == (2, 3, 4, 5, 6, 7)
    assert trend.direction == -1
    assert trend.explanation == "A trend: 6 points in a row going down, from week 3 to week 8."


def test_shift_sentence_names_the_labels() -> None:
    values = [12, 14, 13, 15, 12, 14, 13, 15, 5, 6, 4, 5, 6, 4, 5, 13, 14, 12, 15, 13]
    labels = [f"week {i}" for i in range(1, 21)]
    result = analyse(values, "run", profile=IHI, labels=labels)
    (shift,) = [s for s in result.signals if s.rule is Rule.SHIFT]
    assert (
        shift.explanation == "A shift: 7 points in a row below the median, from week 9 to week 15."
    )


def test_ihi_too_many_runs() -> None:
    result = analyse([1, 9] * 10, "run", profile=IHI)
    part = result.parts[0]
    assert (part.n_runs, part.runs_min, part.runs_max) == (20, 6, 16)  # the published table
    assert part.runs_limits is RunsLimits.TABLE
    assert [s.rule for s in result.signals] == [Rule.MANY_RUNS]


def test_parts_are_analysed_alone_in_qicharts2() -> None:
    values = [5, 6, 4, 5, 7, 3, 6, 4, 20, 21, 19, 22, 18, 20, 21, 19]
    result = analyse(values, "run", parts=[8])
    assert result.centre[0] == 5 and result.centre[8] == 20
    assert [p.n_obs for p in result.parts] == [8, 8]
    assert result.part == (1,) * 8 + (2,) * 8


def test_freeze_sets_the_centre_from_the_baseline_only() -> None:
    values = [5, 6, 4, 5, 7, 3, 10, 11, 12, 13, 12, 11, 12, 13]
    result = analyse(values, "i", freeze=6)
    assert result.centre[0] == result.centre[-1] == 5
    assert result.baseline == (True,) * 6 + (False,) * 8
    assert any(s.rule is Rule.OUTSIDE_LIMITS for s in result.signals)


def test_excluded_points_are_plotted_but_left_out_of_centre_and_runs() -> None:
    result = analyse([1, 2, 3, 100, 4, 5, 6], "run", exclude=[3])
    assert result.centre[0] == 3.5  # median of 1 2 3 4 5 6
    assert result.values[3] == 100 and not result.included[3]
    assert result.parts[0].n_obs == 6


def test_mr_chart_has_no_runs_signals() -> None:
    result = analyse([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 30], "mr")
    assert result.values[0] is None
    assert all(s.rule is Rule.OUTSIDE_LIMITS for s in result.signals)
    assert not result.parts[0].runs_signal


def test_p_chart_limits_are_clamped_to_zero_and_one() -> None:
    result = analyse([0, 1, 2, 1, 0, 2, 1, 2], "p", denominators=[2, 3, 2, 4, 2, 3, 2, 2])
    assert all(lo == 0 for lo in result.lower)
    assert all(0 < u <= 1 for u in result.upper)  # type: ignore[operator]


def test_u_chart_lower_limit_is_never_negative() -> None:
    result = analyse([1, 0, 2, 1, 3, 0], "u", denominators=[10, 8, 12, 9, 11, 10])
    assert all(lo is not None and lo >= 0 for lo in result.lower)


def test_c_chart_limits() -> None:
    result = analyse([4, 4, 4, 4], "c")
    assert result.centre[0] == 4 and result.upper[0] == 10 and result.lower[0] == 0


def test_run_chart_of_a_proportion_uses_numerator_over_denominator() -> None:
    result = analyse([1, 2, 3], "run", denominators=[2, 4, 4])
    assert result.values == (0.5, 0.5, 0.75) and result.centre[0] == 0.5


def test_mdc_improvement_wins_a_conflict_but_priority_picks_the_rule_in_ptd() -> None:
    # Falling for 8 points (a concern when higher is better), then rising for 7.
    values = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
    mdc = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="higher_is_better")
    assert mdc.variation[7] is Variation.IMPROVEMENT  # bottom of the V: both trends
    assert mdc.variation[4] is Variation.CONCERN
    ptd = analyse(values, "i", profile=NHSR_PLOTTHEDOTS, direction="higher_is_better")
    assert ptd.point_rule[2] is Rule.TREND and ptd.variation[2] is Variation.CONCERN


def test_mdc_needs_13_points_for_limits_signals_and_icons() -> None:
    values = [30, 31, 25, 35, 34, 5, 21, 23, 30, 26, 26, 22]
    result = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="higher_is_better")
    assert not result.has_limits and not result.signals and result.variation_icon is None
    assert result.centre[0] == sum(values) / 12
    assert any("at least 13" in w for w in result.warnings)


def test_mdc_seven_point_option_needs_a_longer_shift() -> None:
    values = [15, 9, 14, 10, 15, 9, 14, 10, 16, 17, 16, 17, 16, 17, 9, 10, 9, 15]
    six = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5)
    seven = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5_SEVEN)
    assert [s.indices for s in six.signals if s.rule is Rule.SHIFT] == [tuple(range(8, 14))]
    assert not [s for s in seven.signals if s.rule is Rule.SHIFT]


def test_assurance_against_a_target_follows_the_improvement_direction() -> None:
    values = [50, 52, 49, 51, 48, 53, 50, 47, 52, 49, 51, 50, 48, 52, 49]
    high = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="higher_is_better")
    assert high.variation_icon is not None and high.variation_icon.value == "common_cause"
    for target, want in ((70, "consistent_fail"), (30, "consistent_pass"), (50, "hit_and_miss")):
        result = analyse(
            values,
            "i",
            profile=MDC_SINGLE_CHART_TOOL_V5,
            direction="higher_is_better",
            target=target,
        )
        assert result.assurance is not None and result.assurance.value == want
    low = analyse(
        values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="lower_is_better", target=70
    )
    assert low.assurance is not None and low.assurance.value == "consistent_pass"
    neither = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, target=70)
    assert neither.assurance is None


def test_mdc_baseline_overrides_recalculations_and_ptd_applies_it_per_part() -> None:
    values = [float(v % 5) for v in range(30)]
    mdc = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, freeze=15, parts=[20])
    assert len(mdc.parts) == 1 and any("ignored" in w for w in mdc.warnings)
    ptd = analyse(values, "i", profile=NHSR_PLOTTHEDOTS, freeze=13, parts=[15])
    assert ptd.baseline[15:28] == (True,) * 13 and ptd.baseline[28] is False


def test_rules_cross_a_recalculation_only_where_the_profile_allows() -> None:
    values = [28, 23, 26, 21, 23, 25, 24, 29, 30, 27, 25, 30, 27, 24, 19]
    values += [22, 28, 28, 29, 33, 28, 30, 31, 30, 26, 27, 34, 30, 32, 35]
    mdc = analyse(values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, parts=[15])
    assert [s.indices for s in mdc.signals if s.rule is Rule.SHIFT] == [tuple(range(13, 19))]
    ptd = analyse(values, "i", profile=replace(NHSR_PLOTTHEDOTS, shift_length=6), parts=[15])
    assert not [s for s in ptd.signals if s.rule is Rule.SHIFT]


def test_missing_values_are_skipped_by_anhoej_and_break_runs_in_mdc() -> None:
    values: list[float | None] = [5, 6, 7, 8, None, 9, 10, 11, 4, 3, 5, 4, 3, 4, 6]
    anhoej = analyse(values, "run")
    assert anhoej.parts[0].n_obs == 15 and anhoej.parts[0].n_useful == 14  # None is dropped
    mdc = analyse(values, "i", profile=replace(MDC_SINGLE_CHART_TOOL_V5, min_points_for_limits=0))
    assert not [s for s in mdc.signals if s.rule is Rule.TREND]  # 5 6 7 8 | 9 10 11
    ihi = analyse(values, "run", profile=IHI)
    assert [s.indices for s in ihi.signals if s.rule is Rule.TREND] == [(0, 1, 2, 3, 5, 6, 7)]


def test_signals_explain_direction_when_one_is_given() -> None:
    values = [10, 11, 9, 10, 11, 9, 10, 30, 10, 9, 11, 10, 9, 11, 10]
    result = analyse(values, "i", direction="lower_is_better")
    (outside,) = [s for s in result.signals if s.rule is Rule.OUTSIDE_LIMITS]
    assert outside.variation is Variation.CONCERN
    assert outside.explanation.startswith("A point outside the limits: point 8 (30) is above")
    assert outside.explanation.endswith("This is a concern.")


def test_five_thousand_points_are_analysed() -> None:
    values = [float((i * 7919) % 101) for i in range(5000)]
    result = analyse(values, "i")
    assert result.n == 5000 and len(result.parts) == 1
