"""Server-drawn SVG chart: no JavaScript, no style attributes (the CSP allows neither inline).

Readable on a 320 px phone: a narrow viewBox scaled to width="100%", x-axis text at 13 user units,
at most five x-axis labels, as many as fit side by side (ISO and UK dates are shortened to
"5 Jan" or "Jan 26"). Colour is never the only cue: signal points are larger and shaped by
meaning (square improvement, diamond concern, triangle other signal), lines differ by dash
pattern, and the legend says all of it in words. Every label is XML-escaped. Extreme values
(1e308, 5e-324, an engine line that overflowed) never put inf or NaN into a coordinate.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from xml.sax.saxutils import escape  # nosec B406  # escapes our output; parses nothing

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
from app.measurement.summary import summary_text, without_signals

WIDTH = 360
LEFT, RIGHT, TOP, PLOT_H = 46, 10, 10, 190  # LEFT grows when the y-axis numbers are wide
AXIS_GAP = 30  # x tick labels under the plot
AXIS_FONT = 13  # about 10.5 px when the 360-unit viewBox fills a 320 px phone's column
MAX_X_LABELS = 5
LABEL_CHARS = 12
CHAR_WIDTH = 7.4  # a generous average width of a 13-unit Arial character
Y_CHAR_WIDTH = 6.8  # the same for the 12-unit y-axis numbers
LABEL_GAP = 8  # at least this much space between two x-axis labels
MARKERS_UP_TO = 100  # above this many points, only signal points get a marker
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][\d:.]+Z?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
Scale = Callable[[float], float]


def render_svg(
    result: ChartResult,
    *,
    title: str,
    description: str | None = None,
    y_label: str | None = None,
    svg_id: str | None = None,
    annotations: Mapping[int, str] | None = None,
    reveal: bool = True,
) -> str:
    """The chart as an SVG string, with <title> and <desc> for assistive technology.

    description defaults to `summary_text(result)`; svg_id must be unique on the page (the
    default is derived from the title and the data). annotations: 0-based point -> note, drawn
    as numbered circles above the points and spelled out in the legend. reveal=False draws the
    bare chart (points, line, centre line, limits) with no signal shapes, dashes or legend rows,
    for a learner to judge before the answer is shown.
    """
    if not reveal:
        description = description or summary_text(result, reveal=False)
        result = without_signals(result)
    annotations = {i: t for i, t in (annotations or {}).items() if 0 <= i < result.n}
    ident = _ident(svg_id or "qi-chart-" + _digest(title, result))
    legend = legend_rows(result, annotations)
    rows = sum(len(lines) for _, lines in legend)
    height = TOP + PLOT_H + AXIS_GAP + LEGEND_ROW * rows + 8
    lo, hi, ticks = _y_scale(result)
    tick_texts = [_tick_text(t, ticks) for t in ticks]
    left = max(LEFT, max(len(t) for t in tick_texts) * Y_CHAR_WIDTH + 8)
    step = (WIDTH - left - RIGHT) / result.n

    def x(i: float) -> float:
        return left + (i + 0.5) * step

    def y(v: float) -> float:  # halves first: hi - lo overflows when both are near 1e308
        return TOP + (hi / 2 - v / 2) / (hi / 2 - lo / 2) * PLOT_H

    used = sorted({MARKS[v][0] for v in result.variation if v in MARKS})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' role="img" aria-labelledby="{ident}-title {ident}-desc" class="qi-chart"'
        ' font-family="Arial, Helvetica, sans-serif">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description or summary_text(result))}</desc>',
    ]
    if used:
        out += ["<defs>", *(f'<path id="{ident}-{k}" d="{SHAPES[k]}"/>' for k in used), "</defs>"]
    out += _axes(list(zip(ticks, tick_texts, strict=True)), y, result, x, y_label, left)
    out += _boundaries(result, x)
    out += _level_lines(result, x, y, step, left)
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


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def _y_scale(result: ChartResult) -> tuple[float, float, list[float]]:
    """A range covering data, lines and target, rounded out to 'nice' tick values.

    Only finite numbers count. A flat series (all equal, or differences lost in rounding, as
    with 5e-324) gets a padded range; halves keep 1e308 - -1e308 from overflowing.
    """
    seen = [
        v
        for col in (result.values, result.centre, result.lower, result.upper)
        for v in col
        if v is not None and math.isfinite(v)
    ]
    if result.target is not None:
        seen.append(result.target)
    if not seen:
        return -1.0, 1.0, [-1.0, 0.0, 1.0]
    lo, hi = min(seen), max(seen)
    size = max(abs(lo), abs(hi))
    if hi / 2 - lo / 2 <= size * 1e-12 or hi / 2 - lo / 2 < 1e-300:
        pad = size * 0.1 if size > 1e-300 else 1.0
        lo, hi = lo - pad, hi + pad
    raw = hi / 4 - lo / 4  # a quarter of the range, without overflowing
    mag = 10.0 ** math.floor(math.log10(raw))
    tick = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first, last = math.floor(lo / tick), math.ceil(hi / tick)
    ticks = [k * tick for k in range(first, last + 1)]
    if not all(math.isfinite(t) for t in ticks):  # rounding out went past the largest float
        return lo, hi, [lo, lo / 2 + hi / 2, hi]
    return ticks[0], ticks[-1], ticks


def _tick_text(t: float, ticks: list[float]) -> str:
    """A y-axis number: float noise near zero is 0; very large or small numbers go compact."""
    spacing = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else abs(t)
    if abs(t) < spacing * 1e-9:
        return "0"
    if abs(t) >= 1e6 or abs(t) < 1e-3:
        mantissa, _, exponent = f"{t:.3g}".partition("e")
        return f"{mantissa}e{int(exponent)}" if exponent else mantissa
    return number(t)


def _axes(
    ticks: list[tuple[float, str]],
    y: Scale,
    result: ChartResult,
    x: Scale,
    y_label: str | None,
    left: float,
) -> list[str]:
    out = []
    right, x0 = WIDTH - RIGHT, fmt(left)
    for t, text in ticks:
        yy = fmt(y(t))
        out.append(f'<line x1="{x0}" x2="{right}" y1="{yy}" y2="{yy}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{fmt(left - 4)}" y="{yy}" dy="4" font-size="12" text-anchor="end" '
            f'fill="{INK}">{escape(text)}</text>'
        )
    bottom = fmt(TOP + PLOT_H)
    out.append(f'<line x1="{x0}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{INK}"/>')
    out.append(f'<line x1="{x0}" x2="{x0}" y1="{TOP}" y2="{bottom}" stroke="{INK}"/>')
    tick_y, text_y = fmt(TOP + PLOT_H + 4), fmt(TOP + PLOT_H + 18)
    for i, short, centre in x_labels(result.labels, x, left):
        out.append(
            f'<line x1="{fmt(x(i))}" x2="{fmt(x(i))}" y1="{bottom}" y2="{tick_y}" stroke="{INK}"/>'
        )
        out.append(
            f'<text x="{fmt(centre)}" y="{text_y}" font-size="{AXIS_FONT}" '
            f'text-anchor="middle" fill="{INK}">{escape(short)}</text>'
        )
    if y_label:
        mid = fmt(TOP + PLOT_H / 2)
        out.append(
            f'<text x="12" y="{mid}" font-size="12" text-anchor="middle" fill="{INK}" '
            f'transform="rotate(-90 12 {mid})">{escape(y_label)}</text>'
        )
    return out


def _as_date(label: str) -> tuple[date, bool] | None:
    """An ISO (2026-01-05, 2026-01) or UK (05/01/2026) date, and whether it named a day."""
    label = label.strip()
    try:
        if m := _ISO_DATE.match(label):
            return date(int(m[1]), int(m[2]), int(m[3] or 1)), m[3] is not None
        if m := _UK_DATE.match(label):
            return date(int(m[3]), int(m[2]), int(m[1])), True
    except ValueError:  # 2026-13-45 is not a date
        return None
    return None


def short_labels(labels: Sequence[str]) -> list[str]:
    """Labels short enough for the axis: dates as "5 Jan", "5 Jan 26", "Jan 26" or "2026".

    Only when every label is a date: daily or weekly series show the day and month (and the
    year when the series spans years); monthly series the month and year; yearly the year.
    Other labels longer than LABEL_CHARS are cut with an ellipsis (the table has them in full).
    """
    found = [_as_date(label) for label in labels]
    dates = [f[0] for f in found if f is not None]
    if labels and len(dates) == len(labels):
        years = {d.year for d in dates}
        monthly = not any(f[1] for f in found if f) or len({d.day for d in dates}) == 1
        if monthly and len(years) == len(dates) and all(d.month == dates[0].month for d in dates):
            return [str(d.year) for d in dates]
        if monthly:
            return [f"{_MONTHS[d.month - 1]} {d.year % 100:02d}" for d in dates]
        if len(years) > 1:
            return [f"{d.day} {_MONTHS[d.month - 1]} {d.year % 100:02d}" for d in dates]
        return [f"{d.day} {_MONTHS[d.month - 1]}" for d in dates]
    return [
        label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…" for label in labels
    ]


def x_labels(labels: Sequence[str], x: Scale, left: float = LEFT) -> list[tuple[int, str, float]]:
    """Evenly spaced labels, as many as fit side by side (at most MAX_X_LABELS), never
    overlapping each other or leaving the viewBox: (index, text, x of its centre)."""
    n = len(labels)
    shorts = short_labels(labels)
    widest = max(len(t) for t in shorts) * CHAR_WIDTH
    fit = int((WIDTH - left - RIGHT + LABEL_GAP) // (widest + LABEL_GAP))
    count = max(1, min(MAX_X_LABELS, n, fit))
    picks = sorted({round(k * (n - 1) / max(count - 1, 1)) for k in range(count)})
    placed: list[tuple[int, str, float, float]] = []  # index, text, centre, half width
    for i in picks:
        short = shorts[i]
        half = len(short) * CHAR_WIDTH / 2
        centre = min(max(x(i), half), WIDTH - half)  # keep the text inside the viewBox
        while placed and placed[-1][2] + placed[-1][3] + LABEL_GAP > centre - half:
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
    """A stepped path through per-point levels, broken at missing (or overflowed) levels and
    part boundaries."""
    d: list[str] = []
    prev_part, prev = 0, None
    for i, v in enumerate(column):
        if v is None or not math.isfinite(v):
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


def _level_lines(result: ChartResult, x: Scale, y: Scale, step: float, left: float) -> list[str]:
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
        if d:
            out.append(f'<path d="{d}" fill="none" stroke="{CENTRE}" stroke-width="2"{dash}/>')
    if result.target is not None:
        yy = fmt(y(result.target))
        out.append(
            f'<line x1="{fmt(left)}" x2="{WIDTH - RIGHT}" y1="{yy}" y2="{yy}" stroke="{TARGET}" '
            'stroke-width="1.5" stroke-dasharray="12 3 2 3"/>'
        )
    return out


def _data_line(result: ChartResult, x: Scale, y: Scale) -> str:
    d: list[str] = []
    pen_down = False
    for i, v in enumerate(result.values):
        if not _finite(v):
            pen_down = False
            continue
        d.append(f"{'L' if pen_down else 'M'}{fmt(x(i))} {fmt(y(v))}")  # type: ignore[arg-type]
        pen_down = True
    return f'<path d="{"".join(d)}" fill="none" stroke="{DATA}" stroke-width="1.5"/>'


def _markers(result: ChartResult, x: Scale, y: Scale, ident: str) -> list[str]:
    out = []
    small = result.n <= MARKERS_UP_TO
    for i, v in enumerate(result.values):
        if v is None or not math.isfinite(v):
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
