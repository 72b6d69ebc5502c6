"""Draw a lab chart from parsed input: the engine does the maths, this only wires it up."""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.charts import view_of
from app.catalog.schema import ChartView
from app.measurement import PROFILES, ChartType, analyse
from app.measurement.checks import runs_limits_note
from app.measurement.results import ChartResult
from app.services.lab_input import MIN_POINTS, LabInput

CHART_NAMES = {
    ChartType.RUN.value: "Run chart (median)",
    ChartType.I.value: "I chart (XmR, individual values)",
    ChartType.MR.value: "Moving range chart",
    ChartType.P.value: "p chart (proportions, with denominators)",
    ChartType.U.value: "u chart (rates, with denominators)",
    ChartType.C.value: "c chart (counts)",
}
PROFILE_NAMES = {key: profile.name for key, profile in PROFILES.items()}


@dataclass(frozen=True)
class LabChart:
    """The chart, and when it is too short to judge, a sentence saying so (signals hidden)."""

    view: ChartView
    too_few: str | None = None
    runs_note: str | None = None  # where the runs limits come from: the table or an approximation


def too_few_text(present: int) -> str:
    values = "1 value" if present == 1 else f"{present} values"
    return (
        f"Too few points to judge: with {values}, no rule can tell a signal from noise, so "
        f"none is applied. Add values until there are at least {MIN_POINTS}."
    )


def analyse_input(data: LabInput) -> ChartResult:
    """The engine's analysis of parsed input (ValueError when it cannot be analysed). Freeze,
    parts and exclusions arrive as a learner counts points (from 1); the engine counts from 0."""
    return analyse(
        data.values,
        data.chart,
        profile=data.profile_obj,
        denominators=data.denominators,
        labels=data.labels,
        freeze=data.freeze,
        parts=[p - 1 for p in data.parts],
        exclude=[p - 1 for p in data.exclude],
        direction=data.direction,
        target=data.target,
    )


def lab_chart(
    data: LabInput, title: str, annotations: dict[int, str] | None = None
) -> LabChart | str:
    """The chart, or a sentence saying why the engine could not draw it."""
    try:
        result = analyse_input(data)
    except ValueError as exc:
        return f"The chart could not be drawn: {exc}"
    reveal = not data.too_few
    view = view_of(result, title or "Your data", annotations or {}, reveal=reveal)
    if not reveal:
        return LabChart(view, too_few_text(data.present))
    return LabChart(view, None, runs_limits_note(result))
