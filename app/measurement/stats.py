"""Small exact statistics the rules need, with no dependency beyond the standard library."""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache


def mean(values: Iterable[float]) -> float | None:
    """The mean, summed exactly (math.fsum) so results do not depend on the order of points."""
    items = list(values)
    if not items:
        return None
    return math.fsum(items) / len(items)


def median(values: Iterable[float]) -> float | None:
    """The median; for an even count, the mean of the two middle values (as R does)."""
    items = sorted(values)
    n = len(items)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return float(items[mid])
    return (items[mid - 1] + items[mid]) / 2


@lru_cache(maxsize=4096)
def qbinom_half(p: float, size: int) -> int:
    """R's qbinom(p, size, 0.5): the smallest k with P(X <= k) >= p, for X ~ Binomial(size, 1/2).

    Computed with exact integers, so a chart of 5,000 points gets the same answer as R without
    floating-point doubt at the boundary. Cached: the limits depend on n only.
    """
    if size < 0:
        raise ValueError("size must be at least 0")
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    target = Fraction(p).limit_denominator(10**12) * (1 << size)
    term = 1  # C(size, k)
    cumulative = 0
    for k in range(size + 1):
        cumulative += term
        if cumulative >= target:
            return k
        term = term * (size - k) // (k + 1)
    return size


def anhoej_longest_run_max(n_useful: int) -> int:
    """Anhøj's upper limit for the longest run: round(log2(n) + 3) (qicharts2's formula).

    log2 of a whole number is never exactly half-way between integers, so rounding is unambiguous.
    """
    return round(math.log2(n_useful) + 3)


def anhoej_crossings_min(n_useful: int) -> int:
    """Anhøj's lower limit for crossings: the 5th percentile of Binomial(n - 1, 0.5)."""
    return qbinom_half(0.05, max(n_useful - 1, 0))


def runs_limits(n_useful: int, alpha: float = 0.05) -> tuple[int, int]:
    """An APPROXIMATION of the fewest and most runs expected by chance in n useful points.

    Binomial computation: crossings ~ Binomial(n - 1, 0.5), runs = crossings + 1, with alpha/2 in
    each tail. Fewer runs than the first number are too few; more than the second, too many.
    This is not the published table (runs_table.py: Perla et al. 2011, Table 1, from Swed and
    Eisenhart 1943), and differs from it by one run at some n (20 useful points: table 6 to 16,
    this 6 to 15). The IHI profile uses it only beyond the table's last row.
    """
    size = max(n_useful - 1, 0)
    low = qbinom_half(alpha / 2, size)
    high = qbinom_half(1 - alpha / 2, size)
    return low + 1, high + 1
