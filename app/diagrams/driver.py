"""The driver diagram as SVG: columns Aim | Primary drivers | Secondary drivers | Change ideas.

Drawn at its natural size (14 px text, 900 px wide) for a horizontally scrolling figure: it is
never shrunk to fit a phone, where text would become unreadable; the page's nested list says
the same thing as text. Each box is centred on the boxes it leads to; a change idea directly
under a primary driver sits in the change-ideas column, its connector crossing the secondary
column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.diagrams.text import FONT, esc, text_lines, wrap

COL_W, GAP, MARGIN, HEADER = 200, 36, 12, 36
SIZE, LINE, PAD, V_GAP, CHARS = 14, 18, 8, 12, 24
COLUMNS = ("Aim", "Primary drivers", "Secondary drivers", "Change ideas")
COLUMN_OF = {"aim": 0, "primary": 1, "secondary": 2, "change": 3}
STYLE = {  # fill, stroke, text colour: every pair passes WCAG AA contrast
    "aim": ("#005eb8", "#003087", "#ffffff"),
    "primary": ("#e8edee", "#425563", "#212b32"),
    "secondary": ("#ffffff", "#425563", "#212b32"),
    "change": ("#fff9c4", "#425563", "#212b32"),
}


@dataclass(frozen=True)
class DriverBox:
    """One node as drawn: kind is primary, secondary or change; children in their order."""

    text: str
    kind: str
    children: tuple[DriverBox, ...] = field(default_factory=tuple)


@dataclass
class _Laid:
    box: DriverBox
    lines: list[str]
    height: int
    span: int  # the height of this box and everything it leads to
    children: list[_Laid]


def _lay(box: DriverBox) -> _Laid:
    lines = wrap(box.text, CHARS)
    height = len(lines) * LINE + 2 * PAD
    children = [_lay(child) for child in box.children]
    below = sum(c.span for c in children) + V_GAP * max(len(children) - 1, 0)
    return _Laid(box, lines, height, max(height, below), children)


def _x(column: int) -> int:
    return MARGIN + column * (COL_W + GAP)


class _Canvas:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lines: list[str] = []

    def box(self, kind: str, lines: list[str], column: int, y: float, dashed: bool = False) -> None:
        fill, stroke, ink = STYLE[kind]
        x = _x(column)
        height = len(lines) * LINE + 2 * PAD
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        self.parts.append(
            f'<g class="qi-driver qi-driver--{kind}"><rect x="{x}" y="{y:g}" width="{COL_W}" '
            f'height="{height}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
            + text_lines(x + PAD, y + PAD + SIZE, lines, SIZE, LINE, fill=ink)
            + "</g>"
        )

    def connect(self, from_column: int, y1: float, to_column: int, y2: float) -> None:
        x1, x2 = _x(from_column) + COL_W, _x(to_column)
        mid = x1 + GAP / 2
        self.lines.append(f'<path d="M{x1} {y1:g}H{mid:g}V{y2:g}H{x2}"/>')


def _place(canvas: _Canvas, laid: _Laid, top: float) -> float:
    """Draw a box and what it leads to from `top`; return the box's vertical centre."""
    column = COLUMN_OF.get(laid.box.kind, 3)
    below = sum(c.span for c in laid.children) + V_GAP * max(len(laid.children) - 1, 0)
    y = top + (laid.span - below) / 2
    centres = []
    for child in laid.children:
        centres.append((COLUMN_OF.get(child.box.kind, 3), _place(canvas, child, y)))
        y += child.span + V_GAP
    centre = (centres[0][1] + centres[-1][1]) / 2 if centres else top + laid.span / 2
    canvas.box(laid.box.kind, laid.lines, column, centre - laid.height / 2)
    for child_column, child_centre in centres:
        canvas.connect(column, centre, child_column, child_centre)
    return centre


def _count(boxes: Sequence[DriverBox], kind: str) -> int:
    return sum((b.kind == kind) + _count(b.children, kind) for b in boxes)


def describe(aim: str, primaries: Sequence[DriverBox], loose: Sequence[DriverBox] = ()) -> str:
    counts = [
        (_count(primaries, "primary"), "primary driver"),
        (_count(primaries, "secondary"), "secondary driver"),
        (_count(primaries, "change") + len(loose), "change idea"),
    ]
    listed = ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts)
    return f"Aim: {aim or 'not written yet'}. {listed}. The list that follows gives every box."


def driver_svg(
    aim: str,
    primaries: Sequence[DriverBox],
    loose: Sequence[DriverBox] = (),
    *,
    svg_id: str = "driver-diagram",
) -> str:
    """The diagram; `loose` are change ideas with no driver, drawn dashed at the bottom."""
    canvas = _Canvas()
    laid = [_lay(p) for p in primaries]
    y = float(HEADER)
    centres = []
    for item in laid:
        centres.append(_place(canvas, item, y))
        y += item.span + V_GAP
    if loose:
        y += LINE
        canvas.parts.append(
            text_lines(_x(3), y, ["Not linked to a driver:"], SIZE - 1, LINE, fill="#212b32")
        )
        y += PAD
        for box in loose:
            lines = wrap(box.text, CHARS)
            canvas.box("change", lines, 3, y, dashed=True)
            y += len(lines) * LINE + 2 * PAD + V_GAP
    aim_lines = wrap(aim or "(no aim yet)", CHARS, max_lines=16)
    aim_height = len(aim_lines) * LINE + 2 * PAD
    body_bottom = max(y, HEADER + aim_height)
    aim_centre = (centres[0] + centres[-1]) / 2 if centres else HEADER + aim_height / 2
    aim_top = max(float(HEADER), aim_centre - aim_height / 2)
    canvas.box("aim", aim_lines, 0, aim_top)
    for centre in centres:
        canvas.connect(0, aim_top + aim_height / 2, 1, centre)
    width = _x(4) - GAP + MARGIN
    height = int(max(body_bottom, aim_top + aim_height) + MARGIN)
    heads = "".join(
        f'<text x="{_x(i)}" y="{SIZE + 8}" font-size="{SIZE}" font-weight="bold" '
        f'fill="#212b32">{esc(name)}</text>'
        for i, name in enumerate(COLUMNS)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="qi-diagram" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" font-family="{FONT}">'
        f'<title id="{svg_id}-title">Driver diagram</title>'
        f'<desc id="{svg_id}-desc">{esc(describe(aim, primaries, loose))}</desc>'
        f"{heads}"
        f'<g fill="none" stroke="#425563" stroke-width="1.5">{"".join(canvas.lines)}</g>'
        f"{''.join(canvas.parts)}</svg>"
    )
