"""Draw a lab chart from parsed input: the engine does the maths, this only wires it up."""

from __future__ import annotations

from app.catalog.charts import view_of
from app.catalog.schema import ChartView
from app.measurement import PROFILES, ChartType, analyse
from app.services.lab_input import LabInput

CHART_NAMES = {
    ChartType.RUN.value: "Run chart (median)",
    ChartType.I.value: "I chart (XmR, individual values)",
    ChartType.MR.value: "Moving range chart",
    ChartType.P.value: "p chart (proportions, with denominators)",
    ChartType.U.value: "u chart (rates, with denominators)",
    ChartType.C.value: "c chart (counts)",
}
PROFILE_NAMES = {key: profile.name for key, profile in PROFILES.items()}


def lab_chart(
    data: LabInput, title: str, annotations: dict[int, str] | None = None
) -> ChartView | str:
    """The chart, or a sentence saying why the engine could not draw it."""
    try:
        result = analyse(
            data.values,
            data.chart,
            profile=data.profile_obj,
            denominators=data.denominators,
            labels=data.labels,
            direction=data.direction,
            target=data.target,
        )
    except ValueError as exc:
        return f"The chart could not be drawn: {exc}"
    return view_of(result, title or "Your data", annotations or {})
