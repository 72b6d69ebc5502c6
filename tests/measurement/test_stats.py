"""The exact statistics behind the Anhøj and IHI limits."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from app.measurement.stats import (
    anhoej_crossings_min,
    anhoej_longest_run_max,
    median,
    qbinom_half,
    runs_limits,
)


def cdf(k: int, size: int) -> Fraction:
    return Fraction(sum(comb(size, i) for i in range(k + 1)), 2**size)


@pytest.mark.parametrize("size", [0, 1, 2, 5, 11, 19, 23, 63, 199, 1000])
@pytest.mark.parametrize("p", [0.025, 0.05, 0.5, 0.975])
def test_qbinom_is_the_smallest_k_reaching_p(size: int, p: float) -> None:
    k = qbinom_half(p, size)
    assert cdf(k, size) >= Fraction(p).limit_denominator(10**12)
    assert k == 0 or cdf(k - 1, size) < Fraction(p).limit_denominator(10**12)


def test_anhoej_limits_match_the_qicharts2_table() -> None:
    # n useful: (longest run limit, crossings limit), from qicharts2's critical values table
    table = {10: (6, 2), 11: (6, 2), 12: (7, 3), 20: (7, 6), 24: (8, 8), 30: (8, 10), 40: (8, 14)}
    for n, limits in table.items():
        assert (anhoej_longest_run_max(n), anhoej_crossings_min(n)) == limits, n


def test_runs_limits_from_the_binomial_approximation() -> None:
    # The approximation, used by the IHI profile only beyond the published table (which gives
    # 6 to 16 for 20 useful points; see test_runs_table.py).
    assert runs_limits(20) == (6, 15)
    low, high = runs_limits(5000)
    assert low + high == 5001  # symmetric around the expected (n + 1) / 2 runs
    assert 2400 < low < 2500


def test_median_of_an_even_count_is_the_mean_of_the_middle_two() -> None:
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
