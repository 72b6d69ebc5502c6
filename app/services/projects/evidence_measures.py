"""A measure in the evidence pack: its definition, points and signals, charted the way the lab
charts (lab_input parses, the measurement engine judges), with each PDSA cycle's start placed on
the first point whose label is a date on or after it. Pure: rows in, plain values out.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.measurement import analyse, summary_sentences
from app.measurement.results import ChartResult
from app.models import Measure, PdsaCycle
from app.services.lab import too_few_text
from app.services.lab_input import LabInput, parse_lab_input

DIGITS = 4  # plotted numbers keep 4 decimals: enough to redraw, short enough to read


# ---- labels that are dates, so PDSA cycles land on the right point ----------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})$")


def label_date(label: str) -> date | None:
    """A point's label as a date: 2026-01-05, 05/01/2026 (day first, as in the UK) or
    5 Jan 2026. Anything else ("Week 3") is not a date."""
    text = label.strip()
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _UK.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _WORDS.match(text)) and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    except ValueError:  # 31/02/2026
        return None
    return None


def cycle_points(labels: tuple[str, ...], cycles: list[PdsaCycle]) -> list[dict[str, Any]]:
    """Each cycle on the first point whose label is a date on or after the cycle's start."""
    dates = [label_date(label) for label in labels]
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


def _input(measure: Measure) -> LabInput:
    return parse_lab_input(
        values_text=measure.values_text,
        labels_text=measure.labels_text,
        denominators_text=measure.denominators_text,
        chart=measure.chart,
        profile=measure.profile,
        direction=measure.direction,
        freeze_text=measure.freeze_text,
        parts_text=measure.parts_text,
        exclude_text=measure.exclude_text,
    )


def _analyse(data: LabInput) -> ChartResult:
    """As the lab does it: a learner counts points from 1, the engine from 0."""
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
    data = _input(measure)
    if not data.ok:
        out["note"] = "No data yet." if not data.values_text.strip() else "The data cannot be read."
        return out
    try:
        result = _analyse(data)
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
