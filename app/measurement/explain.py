"""One plain-English sentence per signal, using the chart's own point labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.measurement.profiles import Rule
from app.measurement.results import Variation
from app.measurement.rules import Hit
from app.measurement.runs_table import CITATION


@dataclass(frozen=True, slots=True)
class Context:
    """What a sentence may mention about the chart."""

    labels: Sequence[str]
    values: Sequence[float | None]
    lower: Sequence[float | None]
    upper: Sequence[float | None]
    centre_name: str


def number(x: float | None) -> str:
    """A short, readable number: 59.19, 0.35, 1,234."""
    if x is None:
        return "missing"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    text = f"{x:.4g}"
    return text if "e" not in text else f"{x:.3g}"


def points(k: int) -> str:
    return f"{k} point" if k == 1 else f"{k} points"


def span(labels: Sequence[str], indices: Sequence[int]) -> str:
    """'from week 9 to week 15', or 'at week 9' for one point."""
    first, last = labels[indices[0]], labels[indices[-1]]
    return f"at {first}" if len(indices) == 1 else f"from {first} to {last}"


def listing(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(hit: Hit, ctx: Context, variation: Variation) -> str:
    """The sentence for one signal, ending with what it means when a direction is known."""
    text = _describe(hit, ctx)
    if variation is Variation.IMPROVEMENT:
        text += " This is an improvement."
    elif variation is Variation.CONCERN:
        text += " This is a concern."
    return text


def _describe(hit: Hit, ctx: Context) -> str:
    f, centre = hit.facts, ctx.centre_name
    where = "above" if hit.direction > 0 else "below"
    if hit.rule in (Rule.SHIFT, Rule.LONG_RUN):
        name = "A shift" if hit.rule is Rule.SHIFT else "An unusually long run"
        text = (
            f"{name}: {points(f['length'])} in a row {where} the {centre}, "
            f"{span(ctx.labels, hit.indices)}."
        )
        if f.get("on_centre"):
            text += " " + _on_line(f["on_centre"], centre)
        if hit.rule is Rule.LONG_RUN:
            text += (
                f" With {f['n_useful']} useful points, a run longer than {f['limit']} "
                "is unlikely by chance."
            )
        return text
    if hit.rule is Rule.TREND:
        way = "going up" if hit.direction > 0 else "going down"
        text = f"A trend: {points(f['length'])} in a row {way}, {span(ctx.labels, hit.indices)}."
        if f.get("ties"):
            text += " Equal neighbouring values count once."
        return text
    if hit.rule is Rule.FEW_CROSSINGS:
        times = "once" if f["crossings"] == 1 else f"{f['crossings']} times"
        return (
            f"Too few crossings: the line crosses the {centre} {times}; with {f['n_useful']} "
            f"useful points, fewer than {f['limit']} crossings is unlikely by chance."
        )
    if hit.rule in (Rule.FEW_RUNS, Rule.MANY_RUNS):
        few = hit.rule is Rule.FEW_RUNS
        return (
            f"Too {'few' if few else 'many'} runs: {f['runs']} runs on either side of the "
            f"{centre}; with {f['n_useful']} useful points, {f['low']} to {f['high']} runs are "
            f"expected by chance {runs_source(bool(f['table']))}."
        )
    if hit.rule is Rule.OUTSIDE_LIMITS:
        i = hit.indices[0]
        which, limit = ("upper", ctx.upper[i]) if hit.direction > 0 else ("lower", ctx.lower[i])
        return (
            f"A point outside the limits: {ctx.labels[i]} ({number(ctx.values[i])}) is "
            f"{where} the {which} limit ({number(limit)})."
        )
    names = [ctx.labels[i] for i in hit.indices]
    return (
        f"Two of three points near the limit: {listing(names)} "
        f"{'is' if len(names) == 1 else 'are'} beyond two sigma {where} the {centre}, "
        "with all three points on the same side."
    )


def runs_source(table: bool) -> str:
    """Where a runs range comes from, in brackets: the published table or the approximation."""
    if table:
        return f"({CITATION})"
    return "(a binomial approximation, not the published table)"


def _on_line(k: int, centre: str) -> str:
    if k == 1:
        return f"The point on the {centre} in between neither breaks nor extends it."
    return f"The {k} points on the {centre} in between neither break nor extend it."
