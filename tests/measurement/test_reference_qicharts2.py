"""qicharts2 0.8.1 reference cases: run charts (Anhøj rules), I, MR, p, u and c charts.

Three files share one input format: runchart_anhoej_qicharts2.json,
control_charts_qicharts2.json and qicharts2_reference_snapshots.json.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.measurement import QICHARTS2, ChartResult, analyse
from tests.measurement.reference_cases import as_list, assert_series, cases, close, tolerance

RUN_FILE = "runchart_anhoej_qicharts2.json"
CONTROL_FILE = "control_charts_qicharts2.json"
SNAPSHOT_FILE = "qicharts2_reference_snapshots.json"

# reference per-point key -> ChartResult column
COLUMNS = {
    "y_plotted": "values",
    "cl": "centre",
    "ucl": "upper",
    "lcl": "lower",
    "ucl_2sigma": "upper_2sigma",
    "lcl_2sigma": "lower_2sigma",
    "baseline": "baseline",
    "include": "included",
    "part": "part",
    "sigma_signal": "outside_limits",
}
SUMMARY_FIELDS = (
    "part",
    "n_obs",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
    "runs_signal",
    "sigma_signal_count",
)


def run_qic(inp: dict[str, Any]) -> ChartResult:
    """Call the engine as the reference called qic(): 1-based points become 0-based indices."""
    return analyse(
        inp["y"],
        inp["chart"],
        profile=QICHARTS2,
        denominators=inp.get("n"),
        freeze=inp.get("freeze"),
        parts=as_list(inp.get("part")),  # part = k: a new part starts after point k
        exclude=[k - 1 for k in as_list(inp.get("exclude"))],
        multiply=inp.get("multiply") or 1,
    )


def check_points(result: ChartResult, expected: dict[str, list[Any]], tol: float) -> None:
    assert {"y_plotted", "cl"} <= expected.keys()
    for key, values in expected.items():
        if key in COLUMNS:  # columns the engine has no counterpart for (none so far) are skipped
            assert_series(key, getattr(result, COLUMNS[key]), values, tol)


def check_parts(result: ChartResult, expected: list[dict[str, Any]]) -> None:
    assert len(result.parts) == len(expected)
    for summary, want in zip(result.parts, expected, strict=True):
        for field in SUMMARY_FIELDS:
            if field in want:
                got = getattr(summary, field)
                assert got == want[field], f"part {want['part']} {field}: {got} != {want[field]}"


@pytest.mark.parametrize("case", cases(RUN_FILE))
def test_run_chart_anhoej(case: dict[str, Any]) -> None:
    result = run_qic(case["input"])
    check_points(result, case["expected"]["per_point"], tolerance(RUN_FILE))
    check_parts(result, case["expected"]["summary_by_part"])


@pytest.mark.parametrize("case", cases(CONTROL_FILE))
def test_control_chart(case: dict[str, Any]) -> None:
    result = run_qic(case["input"])
    check_points(result, case["expected"]["per_point"], tolerance(CONTROL_FILE))
    check_parts(result, case["expected"]["summary_by_part"])


@pytest.mark.parametrize("case", cases(SNAPSHOT_FILE))
def test_snapshot(case: dict[str, Any]) -> None:
    result = run_qic(case["input"])
    tol = tolerance(SNAPSHOT_FILE)
    expected = case["expected"]
    check_points(result, expected.get("per_point") or expected["per_point_recomputed"], tol)
    if "summary_by_part" in expected:
        check_parts(result, expected["summary_by_part"])
    if "summary" in expected:
        want = expected["summary"]
        check_parts(result, [{"part": 1, **want}])
        uppers = [u for u in result.upper if u is not None]
        lowers = [lo for lo in result.lower if lo is not None]
        assert close(result.centre[0], want["cl"], tol)
        assert close(sum(uppers) / len(uppers), want["mean_ucl"], tol)
        assert close(sum(lowers) / len(lowers), want["mean_lcl"], tol)
