"""Reference test: the IHI profile's runs limits are the published table wherever it has a row.

The table is data (app/measurement/runs_table.py: Perla, Provost and Murray 2011, Table 1). Each
row is checked through the whole engine: a series with exactly n useful points is analysed with
the IHI profile, and its part's limits must equal the row.
"""

from __future__ import annotations

import pytest

from app.measurement import IHI, Rule, analyse, summary_text
from app.measurement.profiles import RunsLimits
from app.measurement.rules import profile_runs_limits
from app.measurement.runs_table import CITATION, DISPUTED_ROWS, PERLA_2011_TABLE_1, TABLES
from app.measurement.stats import runs_limits

FIRST, LAST = min(PERLA_2011_TABLE_1), max(PERLA_2011_TABLE_1)


def series_with_useful_points(n: int) -> list[float]:
    """n points off the median: b below, a above, and two on the median when n is odd."""
    below, above = n // 2, n - n // 2
    middle = [5.0, 5.0] if above != below else []
    return [0.0] * below + middle + [10.0] * above


@pytest.mark.parametrize("n", sorted(PERLA_2011_TABLE_1))
def test_ihi_limits_equal_the_published_table(n: int) -> None:
    result = analyse(series_with_useful_points(n), "run", profile=IHI)
    (part,) = result.parts
    assert part.n_useful == n
    assert (part.runs_min, part.runs_max) == PERLA_2011_TABLE_1[n]
    assert part.runs_limits is RunsLimits.TABLE


def test_the_table_rows_the_issue_quotes_from_the_paper() -> None:
    assert PERLA_2011_TABLE_1[10] == (3, 9)
    assert PERLA_2011_TABLE_1[20] == (6, 16)


def test_the_table_covers_10_to_40_with_sensible_rows() -> None:
    assert sorted(PERLA_2011_TABLE_1) == list(range(10, 41))
    for n, (low, high) in PERLA_2011_TABLE_1.items():
        assert 2 <= low < high <= n, n
    lows = [PERLA_2011_TABLE_1[n][0] for n in range(FIRST, LAST + 1)]
    highs = [PERLA_2011_TABLE_1[n][1] for n in range(FIRST, LAST + 1)]
    assert lows == sorted(lows) and highs == sorted(highs)
    assert set(DISPUTED_ROWS) <= set(PERLA_2011_TABLE_1)
    assert TABLES[IHI.runs_table or ""] is PERLA_2011_TABLE_1


@pytest.mark.parametrize("n", range(2, FIRST))
def test_under_the_first_row_the_runs_rule_is_not_applied(n: int) -> None:
    assert profile_runs_limits(IHI, n) == (None, None, RunsLimits.NOT_APPLIED)
    assert profile_runs_limits(IHI, 1) == (None, None, RunsLimits.NOT_APPLIED)
    # All below then all above: 2 runs, which would be too few at any n the table covers.
    result = analyse([0.0] * (n // 2) + [10.0] * (n - n // 2), "run", profile=IHI)
    assert not [s for s in result.signals if s.rule in (Rule.FEW_RUNS, Rule.MANY_RUNS)]
    assert result.parts[0].runs_limits is RunsLimits.NOT_APPLIED


def test_a_short_chart_says_it_is_too_short_to_judge_runs() -> None:
    result = analyse([3, 5, 4, 6, 5, 7, 4, 6], "run", profile=IHI)
    text = summary_text(result)
    assert "Too few points to judge runs" in text
    assert f"(the table starts at {FIRST})" in text
    assert "Too few points to judge runs" not in summary_text(result, reveal=False)


@pytest.mark.parametrize("n", [41, 48, 60, 100, 501])
def test_above_the_last_row_the_binomial_approximation_is_used(n: int) -> None:
    low, high, source = profile_runs_limits(IHI, n)
    assert (low, high) == runs_limits(n)
    assert source is RunsLimits.APPROXIMATION
    result = analyse(series_with_useful_points(n), "run", profile=IHI)
    assert result.parts[0].runs_limits is RunsLimits.APPROXIMATION


def test_a_runs_signal_cites_the_table_or_says_it_is_an_approximation() -> None:
    (few,) = [
        s
        for s in analyse([1] * 10 + [9] * 10, "run", profile=IHI).signals
        if s.rule is Rule.FEW_RUNS
    ]
    assert few.explanation.endswith(f"6 to 16 runs are expected by chance ({CITATION}).")
    many = analyse([1, 9] * 25, "run", profile=IHI).signals
    (signal,) = [s for s in many if s.rule is Rule.MANY_RUNS]
    assert "a binomial approximation, not the published table" in signal.explanation


def test_within_the_table_the_summary_adds_no_runs_sentence() -> None:
    values = [12, 9, 14, 13, 8, 10, 15, 13, 9, 8, 11, 14, 13, 9, 10, 15, 12, 8, 9, 14]
    text = summary_text(analyse(values, "run", profile=IHI))
    assert "runs" not in text.lower()
