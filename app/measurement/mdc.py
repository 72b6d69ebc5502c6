"""Improvement or concern: point colours, conflicts, the variation icon and assurance.

The rules say *that* something happened; the improvement direction says whether it is good news.
When rules disagree about a point, the profile's `conflict` setting decides (rule priority for
NHSRplotthedots, "improvement wins" for the MDC tool).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.measurement.profiles import Conflict, Direction, Profile, Rule
from app.measurement.results import Assurance, Variation, VariationIcon
from app.measurement.rules import Hit


def variation_of(direction: int, improvement: Direction) -> Variation:
    """A signal pointing up or down is an improvement, a concern, or neutral with no direction."""
    if improvement.sign == 0 or direction == 0:
        return Variation.NEUTRAL
    return Variation.IMPROVEMENT if direction == improvement.sign else Variation.CONCERN


@dataclass(frozen=True, slots=True)
class PointClasses:
    """Per-point outcome of classification."""

    rules: tuple[tuple[Rule, ...], ...]
    variation: tuple[Variation, ...]
    rule: tuple[Rule | None, ...]
    direction: tuple[int, ...]


def classify(n: int, hits: Sequence[Hit], profile: Profile, improvement: Direction) -> PointClasses:
    """Give each point one colour, even when several rules (maybe disagreeing) involve it."""
    rank = {r: k for k, r in enumerate(profile.priority)}
    per_point: list[list[tuple[int, bool, Rule, int]] | None] = [None] * n
    for hit in hits:
        if hit.rule.whole_part:
            continue
        last = hit.indices[-1]
        for i in hit.indices:
            # A point where a falling trend turns into a rising one belongs to both; like
            # NHSRplotthedots, prefer the trend that carries on after it.
            entry = (rank.get(hit.rule, len(rank)), i == last, hit.rule, hit.direction)
            bucket = per_point[i]
            if bucket is None:
                per_point[i] = [entry]
            else:
                bucket.append(entry)

    rules: list[tuple[Rule, ...]] = []
    variation: list[Variation] = []
    chosen_rule: list[Rule | None] = []
    chosen_dir: list[int] = []
    sign = improvement.sign
    for bucket in per_point:
        if not bucket:
            rules.append(())
            variation.append(Variation.COMMON_CAUSE)
            chosen_rule.append(None)
            chosen_dir.append(0)
            continue
        pool = bucket
        if profile.conflict is Conflict.IMPROVEMENT_WINS and sign:
            pool = [e for e in bucket if e[3] == sign] or bucket
        best = min(pool, key=lambda e: (e[0], e[1]))
        rules.append(tuple(dict.fromkeys(e[2] for e in sorted(bucket, key=lambda e: e[0]))))
        variation.append(variation_of(best[3], improvement))
        chosen_rule.append(best[2])
        chosen_dir.append(best[3])
    return PointClasses(tuple(rules), tuple(variation), tuple(chosen_rule), tuple(chosen_dir))


def variation_icon(variation: Variation, direction: int) -> VariationIcon:
    """The icon for the last point: its colour, and whether the special cause is high or low."""
    level = "high" if direction > 0 else "low"
    match variation:
        case Variation.COMMON_CAUSE:
            return VariationIcon.COMMON_CAUSE
        case Variation.IMPROVEMENT:
            return VariationIcon(f"improvement_{level}")
        case Variation.CONCERN:
            return VariationIcon(f"concern_{level}")
        case _:
            return VariationIcon(f"neither_{level}")


def assurance(
    target: float, lower: float | None, upper: float | None, improvement: Direction
) -> Assurance | None:
    """Compare the target with the latest process limits; a target needs a direction."""
    if improvement.sign == 0 or lower is None or upper is None:
        return None
    if target > upper:
        return Assurance.CONSISTENT_FAIL if improvement.sign > 0 else Assurance.CONSISTENT_PASS
    if target < lower:
        return Assurance.CONSISTENT_PASS if improvement.sign > 0 else Assurance.CONSISTENT_FAIL
    return Assurance.HIT_AND_MISS
