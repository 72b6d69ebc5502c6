"""Time analysis plus SVG for run, XmR and p charts of 50, 500 and 5,000 points.

Run from the repository root: `.venv/bin/python bench/measurement_bench.py [--repeats N]`.
Prints the median of N runs in milliseconds, and the first (cold) run, which also fills the
cache of exact binomial limits. Target: 500 points in under 20 ms. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.measurement import analyse, render_svg
from app.measurement.stats import qbinom_half

SIZES = (50, 500, 5000)
TARGET_MS = 20.0


def series(n: int, seed: int) -> tuple[list[float], list[int], list[int]]:
    """Noise with a shift half-way, so every chart has signals to find and draw."""
    rng = random.Random(seed)
    values = [rng.gauss(50 if i < n // 2 else 54, 4) for i in range(n)]
    denominators = [rng.randint(80, 120) for _ in range(n)]
    rates = [0.10 if i < n // 2 else 0.13 for i in range(n)]
    numerators = [
        sum(rng.random() < p for _ in range(d)) for p, d in zip(rates, denominators, strict=True)
    ]
    return values, numerators, denominators


def charts(n: int) -> dict[str, Callable[[], str]]:
    values, numerators, denominators = series(n, seed=n)
    labels = [f"week {i}" for i in range(1, n + 1)]
    return {
        "run chart": lambda: render_svg(analyse(values, "run", labels=labels), title="Run chart"),
        "XmR chart": lambda: render_svg(analyse(values, "i", labels=labels), title="XmR chart"),
        "p chart": lambda: render_svg(
            analyse(numerators, "p", denominators=denominators, labels=labels), title="p chart"
        ),
    }


def time_ms(job: Callable[[], str]) -> float:
    start = time.perf_counter()
    job()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    print(
        f"{'chart':<10} {'points':>6} {'median ms':>10} {'cold ms':>8}  (median of {args.repeats})"
    )
    slow = []
    for n in SIZES:
        for name, job in charts(n).items():
            qbinom_half.cache_clear()
            cold = time_ms(job)
            median = statistics.median(time_ms(job) for _ in range(args.repeats))
            print(f"{name:<10} {n:>6} {median:>10.2f} {cold:>8.2f}")
            if n == 500 and median >= TARGET_MS:
                slow.append(name)
    verdict = "missed by " + ", ".join(slow) if slow else "met"
    print(f"target: 500 points in under {TARGET_MS:.0f} ms: {verdict}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
