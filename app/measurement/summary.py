"""Text and table forms of a result: what a screen reader, a learner or a template needs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.measurement.checks import runs_sentence
from app.measurement.explain import number
from app.measurement.results import ChartResult, Variation

CHART_NAMES = {
    "run": "Run chart",
    "i": "I chart (XmR)",
    "mr": "Moving range chart",
    "p": "p chart",
    "u": "u chart",
    "c": "c chart",
}

NO_SIGNALS = "No signals: the variation looks like common cause (random) variation."

VARIATION_TEXT = {
    Variation.COMMON_CAUSE: "common cause",
    Variation.IMPROVEMENT: "special cause: improvement",
    Variation.CONCERN: "special cause: concern",
    Variation.NEUTRAL: "special cause",
}


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the data table under a chart."""

    index: int
    label: str
    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    part: int
    baseline: bool
    included: bool
    signals: tuple[str, ...]
    variation: str


def table_rows(result: ChartResult) -> list[TableRow]:
    """The data as rows: label, value, centre, limits and the names of the signals at each point."""
    return [
        TableRow(
            index=i,
            label=result.labels[i],
            value=result.values[i],
            centre=result.centre[i],
            lower=result.lower[i],
            upper=result.upper[i],
            part=result.part[i],
            baseline=result.baseline[i],
            included=result.included[i],
            signals=tuple(rule.value for rule in result.point_rules[i]),
            variation=VARIATION_TEXT[result.variation[i]],
        )
        for i in range(result.n)
    ]


def without_signals(result: ChartResult) -> ChartResult:
    """The same chart as it looks before anyone judges it: every point common cause, no signals.

    For a question or a drill asked before its answer, and a series too short to judge.
    """
    n = result.n
    return replace(
        result,
        signals=(),
        point_rules=((),) * n,
        point_rule=(None,) * n,
        point_direction=(0,) * n,
        variation=(Variation.COMMON_CAUSE,) * n,
        variation_icon=None,
        assurance=None,
    )


def summary_sentences(
    result: ChartResult, *, max_signals: int = 8, reveal: bool = True
) -> list[str]:
    """A few sentences: what the chart is, its centre line, each signal, icons and warnings.

    reveal=False leaves out everything that judges the chart (signals, "no signals", the runs
    count against its limits, icons), so a learner can be asked about it first.
    """
    if not reveal:
        return _sentences(without_signals(result), max_signals, judge=False)
    return _sentences(result, max_signals, judge=True)


def _sentences(result: ChartResult, max_signals: int, *, judge: bool) -> list[str]:
    parts = len(result.parts)
    shape = f" in {parts} parts" if parts > 1 else ""
    out = [
        f"{CHART_NAMES[result.chart.value]} of {result.n} points{shape}. "
        f"Rules: {result.profile.name}."
    ]
    centres = [result.centre[p.start] for p in result.parts]
    if parts == 1:
        out.append(f"The {result.centre_name} is {number(centres[0])}.")
    else:
        each = ", ".join(f"{number(c)} in part {k}" for k, c in enumerate(centres, start=1))
        out.append(f"The {result.centre_name} is {each}.")
    if not all(result.baseline):
        first = result.parts[0]
        kept = sum(result.baseline[first.start : first.stop])
        each = " of each part" if parts > 1 else ""
        out.append(f"The centre line comes from a baseline: the first {kept} points{each}.")
    if result.signals:
        shown = result.signals[:max_signals]
        out.extend(s.explanation for s in shown)
        if len(result.signals) > len(shown):
            more = len(result.signals) - len(shown)
            out.append(f"And {more} more signal{'s' if more > 1 else ''}: see the table.")
    elif judge:
        out.append(NO_SIGNALS)
    if judge:
        out.extend(filter(None, (runs_sentence(result, part) for part in result.parts)))
    if result.variation_icon is not None:
        out.append(f"{result.variation_icon.label}.")
    if result.assurance is not None:
        out.append(f"{result.assurance.label}.")
    out.extend(result.warnings)
    return out


def summary_text(result: ChartResult, *, max_signals: int = 8, reveal: bool = True) -> str:
    """The summary sentences as one paragraph."""
    return " ".join(summary_sentences(result, max_signals=max_signals, reveal=reveal))
