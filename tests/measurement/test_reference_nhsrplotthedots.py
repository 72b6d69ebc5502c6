"""Making Data Count as NHSRplotthedots 0.2.2 applies it (xmr_nhsrplotthedots.json)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app.measurement import NHSR_PLOTTHEDOTS, ChartResult, Rule, Variation, analyse
from tests.measurement.reference_cases import (
    as_list,
    assert_series,
    cases,
    printed_tolerance,
    tolerance,
)

FILE = "xmr_nhsrplotthedots.json"
DIRECTIONS = {"increase": "higher_is_better", "decrease": "lower_is_better", "neutral": "neither"}
ASSURANCE = {"consistent_pass": "consistent_pass", "consistent_fail": "consistent_fail"}


def run_ptd(
    y: list[float],
    direction: str,
    *,
    screen: bool = True,
    rebase: list[int] | None = None,
    fix_after: int | None = None,
    target: float | None = None,
) -> ChartResult:
    """ptd_spc(): rebase points are 1-based first points of a new group."""
    return analyse(
        y,
        "i",
        profile=replace(NHSR_PLOTTHEDOTS, screen_moving_ranges=screen),
        direction=DIRECTIONS.get(direction, direction),
        parts=[k - 1 for k in rebase or []],
        freeze=fix_after,
        target=target,
    )


def special_cause_type(result: ChartResult, i: int) -> str:
    """NHSRplotthedots' label for the rule that decides a point's colour."""
    rule, up = result.point_rule[i], result.point_direction[i] > 0
    above = "Above" if up else "Below"
    match rule:
        case None:
            return "Common Cause"
        case Rule.OUTSIDE_LIMITS:
            return "Above UCL" if up else "Below LCL"
        case Rule.TREND:
            length = result.profile.trend_length
            return f"{length} Point Trend ({'Increasing' if up else 'Decreasing'})"
        case Rule.TWO_OF_THREE:
            return f"2 in 3 {above} CL"
        case _:
            return f"{result.profile.shift_length} Points {above} CL"


def point_type(result: ChartResult, i: int) -> str:
    variation = result.variation[i]
    if variation is Variation.COMMON_CAUSE:
        return "common_cause"
    if variation is Variation.NEUTRAL:
        return "special_cause_neutral_" + ("high" if result.point_direction[i] > 0 else "low")
    return f"special_cause_{variation.value}"


def assurance_type(result: ChartResult) -> str | None:
    if result.assurance is None:
        return None
    return ASSURANCE.get(result.assurance.value, "inconsistent")


@pytest.mark.parametrize("case", cases(FILE))
def test_nhsrplotthedots(case: dict[str, Any]) -> None:
    inp = case["input"]
    result = run_ptd(
        inp["y"],
        inp["improvement_direction"],
        screen=inp["screen_outliers"],
        rebase=as_list(inp["rebase_at_index_1based"]),
        fix_after=inp["fix_after_n_points"],
        target=inp["target"],
    )
    tol = tolerance(FILE)
    want = case["expected"]["per_point"]
    n = result.n
    got = {
        "mean": result.centre,
        "lpl": result.lower,
        "upl": result.upper,
        "near_lpl_2sigma": result.lower_2sigma,
        "near_upl_2sigma": result.upper_2sigma,
        "outside_limits": result.outside_limits,
        "relative_to_mean": result.side,
        "close_to_limits": result.beyond_two_sigma,
        "special_cause_type": [special_cause_type(result, i) for i in range(n)],
        "special_cause_flag": [r is not None for r in result.point_rule],
        "point_type": [point_type(result, i) for i in range(n)],
        "rebase_group": [p - 1 for p in result.part],
        "short_group_warning": [result.parts[p - 1].too_few_points for p in result.part],
    }
    assert {"mean", "upl", "lpl", "point_type", "special_cause_type"} <= want.keys()
    for key, values in want.items():
        if key in got:
            assert_series(key, got[key], values, tol)
    summary = case["expected"]["summary"] or {}
    assert assurance_type(result) == summary.get("assurance_type")
    short_warning = any("trial limits" in w for w in result.warnings)
    assert short_warning == (case["expected"]["warnings"] is not None)


STATED = [c for c in cases(FILE) if c.values[0]["stated_values"]]


@pytest.mark.parametrize("case", STATED)
def test_stated_values_to_printed_precision(case: dict[str, Any]) -> None:
    inp = case["input"]
    result = run_ptd(inp["y"], inp["improvement_direction"], screen=inp["screen_outliers"])
    stated = case["stated_values"]
    for key, column in (("mean", result.centre), ("lpl", result.lower), ("upl", result.upper)):
        assert abs(column[0] - stated[key]) <= printed_tolerance(stated[key]), key
    if "common_cause" in stated:
        common = sum(v is Variation.COMMON_CAUSE for v in result.variation)
        assert common == stated["common_cause"]
