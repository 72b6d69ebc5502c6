"""NHS England's Making Data Count single chart tool v5: the colour of every point.

The same series are also checked against NHSRplotthedots 0.2.2, whose results the file records to
show where that package deliberately differs (7-point rules, screening, rules within a rebase).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.measurement import MDC_SINGLE_CHART_TOOL_V5, ChartResult, Variation, analyse
from tests.measurement.reference_cases import as_list, assert_series, cases, printed_tolerance
from tests.measurement.test_reference_nhsrplotthedots import point_type, run_ptd, special_cause_type

FILE = "mdc_single_chart_tool_v5_golden.json"
TOL = 1e-9
DIRECTIONS = {"up": "higher_is_better", "down": "lower_is_better", "neither": "neither"}
PTD_DIRECTIONS = {"up": "increase", "down": "decrease", "neither": "neutral"}
CATEGORY = {
    Variation.COMMON_CAUSE: ("common_cause", "grey"),
    Variation.IMPROVEMENT: ("improvement", "blue"),
    Variation.CONCERN: ("concern", "orange"),
    Variation.NEUTRAL: ("neither_special_cause", "purple"),
}
ASSURANCE = {
    "consistent_pass": "consistent_pass",
    "consistent_fail": "consistent_fail",
    "hit_and_miss": "inconsistent (hit or miss)",
}


def run_mdc(inp: dict[str, Any], target: float | None = None) -> ChartResult:
    starts = as_list(inp.get("recalculation_starts_at_index_1based"))
    return analyse(
        inp["y"],
        "i",
        profile=MDC_SINGLE_CHART_TOOL_V5,
        direction=DIRECTIONS[inp["improvement_direction"]],
        parts=[k - 1 for k in starts],  # 1-based first point of each recalculation
        freeze=inp.get("baseline_first_n_points"),
        target=target,
    )


@pytest.mark.parametrize("case", cases(FILE))
def test_point_colours(case: dict[str, Any]) -> None:
    result = run_mdc(case["input"])
    want = case["expected_mdc_single_chart_tool_v5"]
    assert_series(
        "point_category", [CATEGORY[v][0] for v in result.variation], want["point_category"]
    )
    assert_series("point_colour", [CATEGORY[v][1] for v in result.variation], want["point_colour"])


@pytest.mark.parametrize("case", cases(FILE))
def test_limits_and_variation_icon(case: dict[str, Any]) -> None:
    result = run_mdc(case["input"])
    limits = case.get("derived_mdc_limits", {})
    if limits is None:  # 12 points or fewer: the mean only
        assert not result.has_limits
    elif limits:
        assert_series("mean", result.centre, limits["mean"], TOL)
        assert_series("upl", result.upper, limits["upl"], TOL)
        assert_series("lpl", result.lower, limits["lpl"], TOL)
    if "derived_variation_icon" in case:
        icon = result.variation_icon
        assert (icon and icon.value) == case["derived_variation_icon"]


ASSURANCE_CASES = [c for c in cases(FILE) if "derived_assurance_icon" in c.values[0]]


@pytest.mark.parametrize("case", ASSURANCE_CASES)
def test_assurance_icon(case: dict[str, Any]) -> None:
    for target, expected in case["derived_assurance_icon"].items():
        result = run_mdc(case["input"], target=float(target))
        assert result.assurance is not None
        assert ASSURANCE[result.assurance.value] == expected, f"target {target}"


STATED = [c for c in cases(FILE) if "stated_values" in c.values[0]]


@pytest.mark.parametrize("case", STATED)
def test_stated_values(case: dict[str, Any]) -> None:
    result = run_mdc(case["input"])
    stated = case["stated_values"]
    mean = result.centre[0]
    assert abs(mean - stated["mean"]) <= printed_tolerance(stated["mean"])
    if "upl" in stated:
        upper, lower = result.upper[0], result.lower[0]
        assert upper is not None and lower is not None
        assert abs(upper - stated["upl"]) <= printed_tolerance(stated["upl"])
        assert abs(lower - stated["lpl"]) <= printed_tolerance(stated["lpl"])
        mr_mean = (upper - mean) / 2.66
        assert abs(mr_mean - stated["mr_mean"]) <= printed_tolerance(stated["mr_mean"])
        assert abs(mr_mean / 1.128 - stated["sigma"]) <= printed_tolerance(stated["sigma"])


PTD_CASES = [
    pytest.param(case.values[0], screen, id=f"{case.id}-screen_{screen}")
    for case in cases(FILE)
    if case.values[0].get("nhsrplotthedots_0_2_2_computed")
    for screen in (True, False)
    if f"screen_outliers_{str(screen).upper()}" in case.values[0]["nhsrplotthedots_0_2_2_computed"]
]


@pytest.mark.parametrize(("case", "screen"), PTD_CASES)
def test_same_series_under_nhsrplotthedots(case: dict[str, Any], screen: bool) -> None:
    inp = case["input"]
    want = case["nhsrplotthedots_0_2_2_computed"][f"screen_outliers_{str(screen).upper()}"]
    result = run_ptd(
        inp["y"],
        PTD_DIRECTIONS[inp["improvement_direction"]],
        screen=screen,
        rebase=as_list(inp.get("recalculation_starts_at_index_1based")),
        fix_after=inp.get("baseline_first_n_points"),
    )
    types = [special_cause_type(result, i) for i in range(result.n)]
    assert_series("special_cause_type", types, want["special_cause_type"])
    assert_series(
        "point_type", [point_type(result, i) for i in range(result.n)], want["point_type"]
    )
