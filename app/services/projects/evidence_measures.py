"""A measure in the evidence pack: its definition, points and signals, charted the way the lab
charts (lab_input parses, the measurement engine judges), with each PDSA cycle's start placed on
the first point whose label is a date on or after it (timeline.parse_date reads the labels).
Pure: rows in, plain values out.
"""

from __future__ import annotations

from typing import Any

from app.measurement import summary_sentences
from app.measurement.results import ChartResult
from app.models import Measure, PdsaCycle
from app.services.lab import analyse_input, too_few_text
from app.services.lab_input import parse_lab_input
from app.services.projects.measures import as_input
from app.services.projects.timeline import parse_date

DIGITS = 4  # plotted numbers keep 4 decimals: enough to redraw, short enough to read


def cycle_points(labels: tuple[str, ...], cycles: list[PdsaCycle]) -> list[dict[str, Any]]:
    """Each cycle on the first point whose label is a date on or after the cycle's start."""
    dates = [parse_date(label) for label in labels]
    if not dates or None in dates:  # as on the chart: every label a date, or no cycle placed
        return []
    found = []
    for cycle in cycles:
        if cycle.starts_on is None:
            continue
        point = next((i for i, d in enumerate(dates) if d and d >= cycle.starts_on), None)
        if point is not None:
            text = f"PDSA {cycle.number}: {cycle.change}"
            found.append({"point": point, "label": labels[point], "text": text})
    return found


# ---- measures -------------------------------------------------------------------------------


def _num(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS)


def _marked(result: ChartResult, i: int) -> bool:
    """Part of a point-level signal; runs and crossings judge a whole part, not its points."""
    return result.outside_limits[i] or any(not r.whole_part for r in result.point_rules[i])


def measure_content(measure: Measure, cycles: list[PdsaCycle]) -> dict[str, Any]:
    """One measure: its definition, its points and what the chart engine says about them."""
    out: dict[str, Any] = {
        "name": measure.name,
        "kind": measure.kind,
        "definition": {
            "numerator": measure.numerator,
            "denominator": measure.denominator,
            "inclusions": measure.inclusions,
            "exclusions": measure.exclusions,
            "source": measure.source,
            "frequency": measure.frequency,
        },
        "chart": measure.chart,
        "profile": measure.profile,
        "direction": measure.direction,
        "points": [],
        "signals": [],
        "annotations": [],
        "summary": "",
        "note": "",
    }
    data = parse_lab_input(**as_input(measure))
    if not data.ok:
        out["note"] = "No data yet." if not data.values_text.strip() else "The data cannot be read."
        return out
    try:
        result = analyse_input(data)
    except ValueError as exc:
        out["note"] = f"The chart could not be drawn: {exc}"
        return out
    reveal = not data.too_few
    out["centre_name"] = result.centre_name
    out["points"] = [
        {
            "label": result.labels[i],
            "value": _num(result.values[i]),
            "centre": _num(result.centre[i]),
            "lower": _num(result.lower[i]),
            "upper": _num(result.upper[i]),
            "signal": reveal and _marked(result, i),
        }
        for i in range(result.n)
    ]
    if reveal:
        out["signals"] = [
            {
                "rule": s.rule.value,
                "points": [result.labels[i] for i in s.indices],
                "text": s.explanation,
            }
            for s in result.signals
        ]
    else:
        out["note"] = too_few_text(data.present)
    said = {s.explanation for s in result.signals}  # listed one by one above, not twice
    out["summary"] = " ".join(s for s in summary_sentences(result, reveal=reveal) if s not in said)
    out["annotations"] = cycle_points(result.labels, cycles)
    return out
