"""IHI run-chart rules (Perla, Provost and Murray 2011), worked out by hand in the reference."""

from __future__ import annotations

from typing import Any

import pytest

from app.measurement import IHI, QICHARTS2, Rule, analyse
from tests.measurement.reference_cases import cases

FILE = "runchart_ihi_rules.json"
RUNS_RULE = {Rule.FEW_RUNS: "too_few", Rule.MANY_RUNS: "too_many"}


@pytest.mark.parametrize("case", cases(FILE))
def test_ihi_rules(case: dict[str, Any]) -> None:
    result = analyse(case["input"]["y"], "run", profile=IHI)
    want = case["expected"]
    part = result.parts[0]
    assert result.centre[0] == want["median"]
    assert (part.n_useful, part.n_runs, part.longest_run) == (
        want["n_useful"],
        want["n_runs"],
        want["longest_run"],
    )
    for rule, key in ((Rule.SHIFT, "shift"), (Rule.TREND, "trend")):
        found = [s for s in result.signals if s.rule is rule]
        assert bool(found) == want[f"{key}_signal"], key
        points = sorted({i + 1 for s in found for i in s.indices})
        assert points == want[f"{key}_points_1based"], key
    runs = [RUNS_RULE[s.rule] for s in result.signals if s.rule in RUNS_RULE]
    assert (runs or ["none"])[0] == want["runs_rule"].split(" ")[0]


@pytest.mark.parametrize("case", cases(FILE))
def test_ihi_cases_under_anhoej_rules(case: dict[str, Any]) -> None:
    """The same series read with qicharts2's rules, for contrast."""
    result = analyse(case["input"]["y"], "run", profile=QICHARTS2)
    want = case["contrast_qicharts2_anhoej_computed"]
    part = result.parts[0]
    assert result.centre[0] == want["cl"]
    got = {k: getattr(part, k) for k in want if k != "cl"}
    assert got == {k: v for k, v in want.items() if k != "cl"}
