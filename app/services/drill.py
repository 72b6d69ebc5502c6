""" "Spot the signal": seeded series, some with an injected shift or trend, some pure noise.

Pure and deterministic: the same seed always gives the same charts, so an attempt can be replayed.
Each series is redrawn (from the same seeded generator) until the rule set agrees with what was
injected, so "noise" never fires a rule by chance and "signal" always does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.catalog.charts import view_of
from app.catalog.schema import ChartView
from app.measurement import PROFILES, ChartResult, analyse

CHARTS_PER_DRILL = 6
POINTS = 24
MAX_DRAWS = 200


@dataclass(frozen=True)
class DrillChart:
    values: tuple[float, ...]
    injected: str | None  # "shift", "trend" or None for noise
    result: ChartResult

    @property
    def has_signal(self) -> bool:
        return bool(self.result.signals)


@dataclass(frozen=True)
class DrillScore:
    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int

    @property
    def total(self) -> int:
        return self.hits + self.misses + self.false_alarms + self.correct_rejections

    @property
    def right(self) -> int:
        return self.hits + self.correct_rejections


def make_drill(seed: int, profile: str = "ihi") -> list[DrillChart]:
    rng = random.Random(seed)  # nosec B311  # practice charts, reproducible by seed; no secret
    kinds: list[str | None] = ["shift", "trend", None, None]
    kinds += [rng.choice(["shift", "trend", None]) for _ in range(CHARTS_PER_DRILL - len(kinds))]
    rng.shuffle(kinds)
    return [_chart(rng, kind, profile) for kind in kinds]


def _chart(rng: random.Random, kind: str | None, profile: str) -> DrillChart:
    labels = [f"week {i}" for i in range(1, POINTS + 1)]
    for _ in range(MAX_DRAWS):
        base = rng.uniform(40, 70)
        spread = rng.uniform(3, 8)
        values = [round(rng.gauss(base, spread)) for _ in range(POINTS)]
        if kind == "shift":
            start = rng.randint(POINTS // 2, POINTS - 8)
            jump = rng.choice([-1, 1]) * spread * rng.uniform(1.8, 2.5)
            values = values[:start] + [round(v + jump) for v in values[start:]]
        elif kind == "trend":
            start = rng.randint(4, POINTS - 8)
            step = rng.choice([-1, 1]) * spread * 0.6
            length = rng.randint(6, 8)
            level = values[start]
            for i in range(start, start + length):
                values[i] = round(level + step * (i - start))
        result = analyse(values, "run", profile=PROFILES[profile], labels=labels)
        fired = {signal.rule.value for signal in result.signals}
        if (kind is None and not fired) or (kind is not None and kind in fired):
            return DrillChart(tuple(values), kind, result)
    raise RuntimeError("could not draw a drill chart")  # pragma: no cover - bounded retries


def score(charts: list[DrillChart], answers: list[str]) -> DrillScore:
    """answers: "s" (signal) or "n" (no signal), one per chart."""
    hits = misses = false_alarms = rejections = 0
    for chart, answer in zip(charts, answers, strict=True):
        said_signal = answer == "s"
        if chart.has_signal:
            hits += said_signal
            misses += not said_signal
        else:
            false_alarms += said_signal
            rejections += not said_signal
    return DrillScore(hits, misses, false_alarms, rejections)


def drill_views(charts: list[DrillChart], *, reveal: bool) -> list[ChartView]:
    """Before the answers, bare charts: no signal shapes, legend rows, table column or summary
    sentence gives the answer away. After, the same charts with everything revealed."""
    return [
        view_of(c.result, f"Chart {i}", {}, reveal=reveal) for i, c in enumerate(charts, start=1)
    ]
