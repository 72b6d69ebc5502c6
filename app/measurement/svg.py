"""Server-drawn SVG chart: no JavaScript, no style attributes (the CSP allows neither inline).

Readable on a 320 px phone: a narrow viewBox scaled to width="100%", text at 12-13 user units,
at most five x-axis labels. Colour is never the only cue: signal points are larger and shaped by
meaning (square improvement, diamond concern, triangle other signal), lines differ by dash
pattern, and the legend says all of it in words. Every label is XML-escaped.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from xml.sax.saxutils import escape

from app.measurement.explain import number
from app.measurement.legend import (
    CENTRE,
    DATA,
    GRID,
    INK,
    LEGEND_ROW,
    LIMIT,
    MARKS,
    SHAPES,
    TARGET,
    fmt,
    legend_rows,
    legend_svg,
    note_glyph,
)
from app.measurement.results import ChartResult
from app.measurement.summary import summary_text

WIDTH = 360
LEFT, RIGHT, TOP, PLOT_H = 46, 10, 10, 190
AXIS_GAP = 30  # x tick labels under the plot
MAX_X_LABELS = 5
LABEL_CHARS = 9
CHAR_WIDTH = 6.8  # a generous average width of a 12-unit Arial character
MARKERS_UP_TO = 100  # above this many points, only signal points get a marker
Scale = Callable[[float], float]


def render_svg(
    result: ChartResult,
    *,
    title: str,
    description: str | None = None,
    y_label: str | None = None,
    svg_id: str | None = None,
    annotations: Mapping[int, str] | None = None,
) -> str:
    """The chart as an SVG string, with <title> and <desc> for assistive technology.

    description defaults to `summary_text(result)`; svg_id must be unique on the page (the
    default is derived from the title and the data). annotations: 0-based point -> note, drawn
    as numbered circles above the points and spelled out in the legend.
    """
    annotations = {i: t for i, t in (annotations or {}).items() if 0 <= i < result.n}
    ident = _ident(svg_id or "qi-chart-" + _digest(title, result))
    legend = legend_rows(result, annotations)
    rows = sum(len(lines) for _, lines in legend)
    height = TOP + PLOT_H + AXIS_GAP + LEGEND_ROW * rows + 8
    lo, hi, ticks = _y_scale(result)
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / result.n

    def x(i: float) -> float:
        return LEFT + (i + 0.5) * step

    def y(v: float) -> float:
        return TOP + PLOT_H * (hi - v) / (hi - lo)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc" class="qi-chart"'
        ' font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description or summary_text(result))}</desc>',
        "<defs>",
        *(f'<path id="{ident}-{k}" d="{d}"/>' for k, d in SHAPES.items()),
        "</defs>",
    ]
    out += _axes(ticks, y, result, x, y_label)
    out += _boundaries(result, x)
    out += _level_lines(result, x, y, step)
    out.append(_data_line(result, x, y))
    out += _markers(result, x, y, ident)
    out += _notes(annotations, x)
    out += legend_svg(legend, TOP + PLOT_H + AXIS_GAP + 6, ident)
    out.append("</svg>")
    return "".join(out)


def _ident(raw: str) -> str:
    """An id safe in an attribute and a URL fragment, starting with a letter."""
    clean = re.sub(r"[^A-Za-z0-9_-]", "-", raw)
    return clean if clean[:1].isalpha() else "qi-" + clean


def _digest(title: str, result: ChartResult) -> str:
    text = title + repr(result.values[:50]) + str(result.n)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


def _y_scale(result: ChartResult) -> tuple[float, float, list[float]]:
    """A range covering data, lines and target, rounded out to 'nice' tick values."""
    seen = [
        v
        for col in (result.values, result.centre, result.lower, result.upper)
        for v in col
        if v is not None
    ]
    if result.target is not None:
        seen.append(result.target)
    lo, hi = min(seen), max(seen)
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / 4
    mag = 10 ** math.floor(math.log10(raw))
    tick = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first, last = math.floor(lo / tick) * tick, math.ceil(hi / tick) * tick
    count = round((last - first) / tick)
    return first, last, [first + k * tick for k in range(count + 1)]


def _axes(
    ticks: list[float], y: Scale, result: ChartResult, x: Scale, y_label: str | None
) -> list[str]:
    out = []
    right = WIDTH - RIGHT
    for t in ticks:
        yy = fmt(y(t))
        out.append(f'<line x1="{LEFT}" x2="{right}" y1="{yy}" y2="{yy}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{LEFT - 4}" y="{yy}" dy="4" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(number(round(t, 10)))}</text>'
        )
    bottom = fmt(TOP + PLOT_H)
    out.append(f'<line x1="{LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="{INK}"/>')
    tick_y, text_y = fmt(TOP + PLOT_H + 4), fmt(TOP + PLOT_H + 17)
    for i, short, centre in _x_labels(result, x):
        out.append(
            f'<line x1="{fmt(x(i))}" x2="{fmt(x(i))}" y1="{bottom}" y2="{tick_y}" stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{fmt(centre)}" y="{text_y}" font-size="12" text-anchor="middle" '
            f'fill="{INK}">{escape(short)}</text>'
        )
    if y_label:
        mid = fmt(TOP + PLOT_H / 2)
        out.append(
            f'<text x="12" y="{mid}" font-size="12" text-anchor="middle" fill="{INK}" '
            f'transform="rotate(-90 12 {mid})">{escape(y_label)}</text>'
        )
    return out


def _x_labels(result: ChartResult, x: Scale) -> list[tuple[int, str, float]]:
    """At most MAX_X_LABELS evenly spaced labels that fit and never overlap: (index, text, x)."""
    n = result.n
    count = min(MAX_X_LABELS, n)
    picks = sorted({round(k * (n - 1) / max(count - 1, 1)) for k in range(count)})
    placed: list[tuple[int, str, float, float]] = []  # index, text, centre, half width
    for i in picks:
        label = result.labels[i]
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        half = len(short) * CHAR_WIDTH / 2
        centre = min(max(x(i), half), WIDTH - half)  # keep the text inside the viewBox
        label_gap = 6
        while placed and placed[-1][2] + placed[-1][3] + label_gap > centre - half:
            if len(placed) == 1:  # keep the first label; drop this one instead
                break
            placed.pop()  # keep the last label rather than the one before it
        else:
            placed.append((i, short, centre, half))
    return [(i, short, centre) for i, short, centre, _ in placed]


def _boundaries(result: ChartResult, x: Scale) -> list[str]:
    """Dotted verticals where a part starts; a dash-dot vertical where the baseline ends."""
    out = []
    top, bottom = fmt(TOP), fmt(TOP + PLOT_H)
    for p in result.parts[1:]:
        xx = fmt(x(p.start - 0.5))
        out.append(
            f'<line x1="{xx}" x2="{xx}" y1="{top}" y2="{bottom}" stroke="{INK}" '
            'stroke-dasharray="2 3"/>'
        )
    if not all(result.baseline):
        end = max(i for i, b in enumerate(result.baseline) if b)
        xx = fmt(x(end + 0.5))
        out.append(
            f'<line x1="{xx}" x2="{xx}" y1="{top}" y2="{bottom}" stroke="{INK}" '
            'stroke-dasharray="8 3 2 3"/>'
        )
    return out


def _steps(
    column: Sequence[float | None], result: ChartResult, x: Scale, y: Scale, step: float
) -> str:
    """A stepped path through per-point levels, broken at missing levels and part boundaries."""
    d: list[str] = []
    prev_part, prev = 0, None
    for i, v in enumerate(column):
        if v is None:
            prev = None
            continue
        left, yy = fmt(x(i) - step / 2), fmt(y(v))
        if prev is None or result.part[i] != prev_part:
            d.append(f"M{left} {yy}")
        elif v != prev:
            d.append(f"V{yy}")
        d.append(f"H{fmt(x(i) + step / 2)}")
        prev, prev_part = v, result.part[i]
    return "".join(d)


def _level_lines(result: ChartResult, x: Scale, y: Scale, step: float) -> list[str]:
    out = []
    for column in (result.lower, result.upper):
        d = _steps(column, result, x, y, step)
        if d:
            out.append(
                f'<path d="{d}" fill="none" stroke="{LIMIT}" stroke-width="1.5" '
                'stroke-dasharray="6 4"/>'
            )
    dashed = {s.part for s in result.signals if s.rule.whole_part}
    for k in sorted({*result.part}):
        column = [c if p == k else None for c, p in zip(result.centre, result.part, strict=True)]
        d = _steps(column, result, x, y, step)
        dash = ' stroke-dasharray="10 4"' if k in dashed else ""
        out.append(f'<path d="{d}" fill="none" stroke="{CENTRE}" stroke-width="2"{dash}/>')
    if result.target is not None:
        yy = fmt(y(result.target))
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{yy}" y2="{yy}" stroke="{TARGET}" '
            'stroke-width="1.5" stroke-dasharray="12 3 2 3"/>'
        )
    return out


def _data_line(result: ChartResult, x: Scale, y: Scale) -> str:
    d: list[str] = []
    pen_down = False
    for i, v in enumerate(result.values):
        if v is None:
            pen_down = False
            continue
        d.append(f"{'L' if pen_down else 'M'}{fmt(x(i))} {fmt(y(v))}")
        pen_down = True
    return f'<path d="{"".join(d)}" fill="none" stroke="{DATA}" stroke-width="1.5"/>'


def _markers(result: ChartResult, x: Scale, y: Scale, ident: str) -> list[str]:
    out = []
    small = result.n <= MARKERS_UP_TO
    for i, v in enumerate(result.values):
        if v is None:
            continue
        xx, yy = fmt(x(i)), fmt(y(v))
        mark = MARKS.get(result.variation[i])
        if mark:
            fill = mark[1] if result.included[i] else f'#ffffff" stroke="{mark[1]}'
            out.append(f'<use href="#{ident}-{mark[0]}" x="{xx}" y="{yy}" fill="{fill}"/>')
        elif not result.included[i]:
            out.append(
                f'<circle cx="{xx}" cy="{yy}" r="3.5" fill="#ffffff" stroke="{DATA}" '
                'stroke-width="1.5"/>'
            )
        elif small:
            out.append(f'<circle cx="{xx}" cy="{yy}" r="3" fill="{DATA}"/>')
    return out


def _notes(annotations: Mapping[int, str], x: Scale) -> list[str]:
    """A dotted line down from a numbered circle at the top of the plot, one per annotation."""
    out = []
    for number_, index in enumerate(sorted(annotations), start=1):
        xx = x(index)
        out.append(
            f'<line x1="{fmt(xx)}" x2="{fmt(xx)}" y1="{fmt(TOP + 16)}" y2="{fmt(TOP + PLOT_H)}" '
            f'stroke="{INK}" stroke-dasharray="1 3"/>'
        )
        out += note_glyph(xx, TOP + 8, str(number_))
    return out
