"""The engine against independent, deliberately naive re-implementations of the published rules,
on hundreds of random series: a second opinion beyond the fixed reference cases."""

from __future__ import annotations

import itertools
import math
import random
import statistics
from math import comb

import pytest

from app.measurement import PROFILES, Rule, analyse

SEEDS = range(400)


def series(seed: int) -> list[float]:
    rng = random.Random(seed)
    n = rng.randint(10, 40)
    values = [float(rng.choice([rng.randint(1, 6), rng.randint(1, 12)])) for _ in range(n)]
    if seed % 3 == 0:  # inject a shift so that rules fire often enough to be tested
        k = rng.randint(0, n - 7)
        values[k : k + 7] = [x + 8 for x in values[k : k + 7]]
    return values


def naive_ihi_shift(values: list[float], median: float) -> bool:
    """6 or more in a row on one side; points on the median are skipped."""
    side, length, best = 0, 0, 0
    for x in values:
        if x == median:
            continue
        s = 1 if x > median else -1
        length = length + 1 if s == side else 1
        side = s
        best = max(best, length)
    return best >= 6


def naive_ihi_trend(values: list[float]) -> bool:
    """5 or more points going one way once repeated neighbours are counted once."""
    kept = [values[0]] + [x for prev, x in itertools.pairwise(values) if x != prev]
    best, length, direction = 1, 1, 0
    for prev, x in itertools.pairwise(kept):
        step = 1 if x > prev else -1
        length = length + 1 if step == direction else 2
        direction = step
        best = max(best, length)
    return best >= 5


def naive_anhoej(values: list[float], median: float) -> tuple[bool, bool]:
    sides = [1 if x > median else -1 for x in values if x != median]
    n = len(sides)
    longest = max(
        (len(list(group)) for group in _groups(sides)),
        default=0,
    )
    crossings = sum(a != b for a, b in itertools.pairwise(sides))
    cumulative, minimum = 0.0, 0
    for k in range(n):  # the 5th percentile of Binomial(n - 1, 0.5)
        cumulative += comb(n - 1, k) / 2 ** (n - 1)
        if cumulative >= 0.05:
            minimum = k
            break
    return longest > round(math.log2(n) + 3), crossings < minimum


def _groups(sides: list[int]) -> list[list[int]]:
    groups: list[list[int]] = []
    for s in sides:
        if groups and groups[-1][0] == s:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


@pytest.mark.parametrize("seed", SEEDS)
def test_ihi_and_anhoej_rules_agree_with_naive_versions(seed: int) -> None:
    values = series(seed)
    median = statistics.median(values)
    ihi = {s.rule for s in analyse(values, "run", profile=PROFILES["ihi"]).signals}
    assert (Rule.SHIFT in ihi) == naive_ihi_shift(values, median)
    assert (Rule.TREND in ihi) == naive_ihi_trend(values)
    anhoej = {s.rule for s in analyse(values, "run", profile=PROFILES["qicharts2"]).signals}
    long_run, few_crossings = naive_anhoej(values, median)
    assert (Rule.LONG_RUN in anhoej) == long_run
    assert (Rule.FEW_CROSSINGS in anhoej) == few_crossings


@pytest.mark.parametrize("seed", range(200))
def test_mdc_xmr_and_p_chart_limits_follow_their_formulas(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(13, 40)
    values = [round(rng.gauss(50, 5), 1) for _ in range(n)]
    if seed % 4 == 0:
        values[rng.randrange(n)] += 40
    result = analyse(values, "i", profile=PROFILES["mdc_v5"])
    mean = statistics.fmean(values)
    mean_mr = statistics.fmean(abs(b - a) for a, b in itertools.pairwise(values))
    upper, lower = mean + 2.66 * mean_mr, mean - 2.66 * mean_mr
    assert result.centre[0] == pytest.approx(mean, abs=1e-9)
    assert result.upper[0] == pytest.approx(upper, abs=1e-9)
    assert result.lower[0] == pytest.approx(lower, abs=1e-9)
    outside = {i for i, x in enumerate(values) if x > upper or x < lower}
    flagged = {i for s in result.signals if s.rule is Rule.OUTSIDE_LIMITS for i in s.indices}
    assert flagged == outside

    denominators = [rng.randint(20, 200) for _ in range(n)]
    numerators = [rng.randint(0, d) for d in denominators]
    p = analyse(numerators, "p", profile=PROFILES["qicharts2"], denominators=denominators)
    p_bar = sum(numerators) / sum(denominators)
    for i, d in enumerate(denominators):
        sd = math.sqrt(p_bar * (1 - p_bar) / d)
        assert p.upper[i] == pytest.approx(min(1.0, p_bar + 3 * sd), abs=1e-9)
        assert p.lower[i] == pytest.approx(max(0.0, p_bar - 3 * sd), abs=1e-9)
