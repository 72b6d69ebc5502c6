"""The stakeholder map as SVG: a 2x2 grid of power (up) against interest (across).

Each quadrant lists its people by name (and role). Like the driver diagram it is drawn at its
natural size for a scrolling figure, and the page's table, grouped by quadrant, says the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.diagrams.text import FONT, esc, text_lines, wrap


@dataclass(frozen=True)
class Quadrant:
    key: str
    label: str
    power: str  # high | low
    interest: str  # high | low
    advice: str


QUADRANTS = (
    Quadrant("manage", "Manage closely", "high", "high", "Involve them fully and often."),
    Quadrant("satisfy", "Keep satisfied", "high", "low", "Meet their needs; do not overload."),
    Quadrant("inform", "Keep informed", "low", "high", "Tell them how it is going; listen."),
    Quadrant("monitor", "Monitor", "low", "low", "Check in now and then."),
)


def quadrant_of(power: str, interest: str) -> Quadrant:
    return next(q for q in QUADRANTS if q.power == power and q.interest == interest)


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    power: str
    interest: str


AXIS, MARGIN, CELL_W, MIN_CELL_H = 56, 8, 300, 150
SIZE, LINE, PAD, CHARS, MAX_NAMES = 14, 18, 12, 36, 12
FILL = {"manage": "#e8edee", "satisfy": "#ffffff", "inform": "#ffffff", "monitor": "#f0f4f5"}


def _names(people: Sequence[Person]) -> list[str]:
    lines: list[str] = []
    for person in people[:MAX_NAMES]:
        shown = f"{person.name} ({person.role})" if person.role.strip() else person.name
        lines += wrap("• " + shown, CHARS, max_lines=2)
    if len(people) > MAX_NAMES:
        lines.append(f"and {len(people) - MAX_NAMES} more (see the table)")
    return lines


def stakeholder_svg(people: Sequence[Person], *, svg_id: str = "stakeholder-map") -> str:
    grouped = {
        q.key: [p for p in people if quadrant_of(p.power, p.interest) is q] for q in QUADRANTS
    }
    text = {key: _names(found) for key, found in grouped.items()}

    def row_height(keys: tuple[str, str]) -> int:
        tallest = max(len(text[k]) for k in keys)
        return max(MIN_CELL_H, PAD * 2 + LINE * (tallest + 2))

    heights = (row_height(("satisfy", "manage")), row_height(("monitor", "inform")))
    x0, y0 = AXIS + MARGIN, MARGIN
    cells = {
        "satisfy": (x0, y0, heights[0]),
        "manage": (x0 + CELL_W, y0, heights[0]),
        "monitor": (x0, y0 + heights[0], heights[1]),
        "inform": (x0 + CELL_W, y0 + heights[0], heights[1]),
    }
    parts = []
    for q in QUADRANTS:
        x, y, h = cells[q.key]
        parts.append(
            f'<g class="qi-quadrant"><rect x="{x}" y="{y}" width="{CELL_W}" height="{h}" '
            f'fill="{FILL[q.key]}" stroke="#425563" stroke-width="1.5"/>'
            + text_lines(x + PAD, y + PAD + SIZE, [q.label], SIZE + 1, LINE, font_weight="bold")
            + text_lines(
                x + PAD, y + PAD + SIZE + LINE + 4, text[q.key] or ["(nobody yet)"], SIZE, LINE
            )
            + "</g>"
        )
    grid_h = heights[0] + heights[1]
    width = x0 + 2 * CELL_W + MARGIN
    height = y0 + grid_h + AXIS
    mid_y = y0 + grid_h / 2
    axes = (
        f'<text x="{AXIS / 2 - 4:g}" y="{mid_y:g}" font-size="{SIZE}" font-weight="bold" '
        f'text-anchor="middle" transform="rotate(-90 {AXIS / 2 - 4:g} {mid_y:g})">Power</text>'
        f'<text x="{AXIS - 6}" y="{y0 + SIZE + 4}" font-size="{SIZE - 1}" '
        'text-anchor="end">High</text>'
        f'<text x="{AXIS - 6}" y="{y0 + grid_h - 6}" font-size="{SIZE - 1}" '
        'text-anchor="end">Low</text>'
        f'<text x="{x0 + CELL_W}" y="{y0 + grid_h + AXIS - 12}" font-size="{SIZE}" '
        f'font-weight="bold" text-anchor="middle">Interest</text>'
        f'<text x="{x0 + 4}" y="{y0 + grid_h + SIZE + 6}" font-size="{SIZE - 1}">Low</text>'
        f'<text x="{x0 + 2 * CELL_W - 4}" y="{y0 + grid_h + SIZE + 6}" font-size="{SIZE - 1}" '
        'text-anchor="end">High</text>'
    )
    counts = "; ".join(f"{q.label}: {len(grouped[q.key])}" for q in QUADRANTS)
    desc = (
        f"Power and interest grid of {len(people)} stakeholders. {counts}. "
        "The table that follows lists them."
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="qi-diagram" '
        f'viewBox="0 0 {width} {height:g}" width="{width}" height="{height:g}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" font-family="{FONT}" fill="#212b32">'
        f'<title id="{svg_id}-title">Stakeholder map: power and interest</title>'
        f'<desc id="{svg_id}-desc">{esc(desc)}</desc>{"".join(parts)}{axes}</svg>'
    )
