"""The chart's palette, point shapes and legend: everything drawn is also said in words."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from xml.sax.saxutils import escape  # nosec B406  # escapes our output; parses nothing

from app.measurement.explain import number
from app.measurement.results import ChartResult, Variation

INK, GRID, DATA = "#212b32", "#d8dde0", "#425563"
CENTRE, LIMIT, TARGET = "#005eb8", "#4c6272", "#007f3b"
MARKS = {  # variation -> (symbol id suffix, colour, legend text)
    Variation.IMPROVEMENT: ("imp", "#0072c6", "Special cause: improvement"),
    Variation.CONCERN: ("con", "#c05400", "Special cause: concern"),
    Variation.NEUTRAL: ("sig", "#5b2c86", "Special cause"),
}
SHAPES = {
    "imp": "M-5 -5h10v10h-10z",  # square
    "con": "M0 -6.5L6.5 0L0 6.5L-6.5 0z",  # diamond
    "sig": "M0 -6.5L6 4.5h-12z",  # triangle
}
LEGEND_CHARS = 44  # wrap legend text to fit the narrow viewBox
LEGEND_LEFT = 16
LEGEND_ROW = 18  # one line of legend text, in user units


def fmt(v: float) -> str:
    """Coordinates to one decimal: enough on any screen, and half the bytes."""
    return f"{v:.1f}"


def legend_rows(
    result: ChartResult, annotations: Mapping[int, str] | None = None
) -> list[tuple[str, list[str]]]:
    """(glyph kind, text) rows, in words, for everything drawn, annotations last."""
    rows = [("data", "Values"), ("centre", result.centre_name.capitalize())]
    if result.has_limits:
        rows.append(
            ("limit", "Control limits" if not result.profile.mdc_icons else "Process limits")
        )
    if result.target is not None:
        rows.append(("target", f"Target ({number(result.target)})"))
    for variation, (kind, _, text) in MARKS.items():
        rules = {
            r.value
            for i, v in enumerate(result.variation)
            if v is variation
            for r in result.point_rules[i]
        }
        if rules:
            rows.append((kind, f"{text}: {', '.join(sorted(rules))}"))
    whole = sorted({s.rule.value for s in result.signals if s.rule.whole_part})
    if whole:
        rows.append(("dashed", f"Dashed centre line: {', '.join(whole)}"))
    if not all(result.included):
        rows.append(("excluded", "Hollow: left out of the calculations"))
    if len(result.parts) > 1:
        rows.append(("part", "Dotted line: limits recalculated"))
    if not all(result.baseline):
        rows.append(("baseline", "Dash-dot line: end of the baseline"))
    for number_, (index, text) in enumerate(sorted((annotations or {}).items()), start=1):
        rows.append((f"note:{number_}", f"{result.labels[index]}: {text}"))
    return [(kind, textwrap.wrap(text, LEGEND_CHARS)) for kind, text in rows]


def legend_svg(rows: list[tuple[str, list[str]]], top: float, ident: str) -> list[str]:
    out = []
    lines = {
        "data": (DATA, ""),
        "centre": (CENTRE, ""),
        "limit": (LIMIT, "6 4"),
        "target": (TARGET, "12 3 2 3"),
        "dashed": (CENTRE, "10 4"),
    }
    gx = LEGEND_LEFT
    cy = top + 6
    for kind, text in rows:
        if kind in lines:
            colour, dash = lines[kind]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line x1="{gx}" x2="{gx + 22}" y1="{fmt(cy)}" y2="{fmt(cy)}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
        elif kind in SHAPES:
            colour = next(c for s, c, _ in MARKS.values() if s == kind)
            out.append(f'<use href="#{ident}-{kind}" x="{gx + 11}" y="{fmt(cy)}" fill="{colour}"/>')
        elif kind.startswith("note:"):
            out += note_glyph(gx + 11, cy, kind.removeprefix("note:"))
        elif kind == "excluded":
            out.append(
                f'<circle cx="{gx + 11}" cy="{fmt(cy)}" r="3.5" fill="#ffffff" stroke="{DATA}" '
                'stroke-width="1.5"/>'
            )
        else:
            dash = "2 3" if kind == "part" else "8 3 2 3"
            out.append(
                f'<line x1="{gx + 11}" x2="{gx + 11}" y1="{fmt(cy - 7)}" y2="{fmt(cy + 7)}" '
                f'stroke="{INK}" stroke-dasharray="{dash}"/>'
            )
        for line in text:
            out.append(
                f'<text x="{gx + 30}" y="{fmt(cy)}" dy="4.5" font-size="13" fill="{INK}">'
                f"{escape(line)}</text>"
            )
            cy += LEGEND_ROW
    return out


def note_glyph(cx: float, cy: float, label: str) -> list[str]:
    """A numbered circle: marks an annotated point on the chart and in the legend alike."""
    return [
        f'<circle cx="{fmt(cx)}" cy="{fmt(cy)}" r="8" fill="#ffffff" stroke="{INK}" '
        'stroke-width="1.5"/>',
        f'<text x="{fmt(cx)}" y="{fmt(cy)}" dy="4" font-size="11" text-anchor="middle" '
        f'fill="{INK}">{escape(label)}</text>',
    ]
