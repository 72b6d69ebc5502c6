"""SVG charts and icons: well-formed, accessible, escaped, no script, bounded labels."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from app.measurement import (
    IHI,
    MDC_SINGLE_CHART_TOOL_V5,
    Assurance,
    VariationIcon,
    analyse,
    assurance_icon_svg,
    render_svg,
    variation_icon_svg,
)
from app.measurement.svg import AXIS_FONT, CHAR_WIDTH, LABEL_CHARS, short_labels

NS = {"svg": "http://www.w3.org/2000/svg"}
SHIFTED = [10, 12, 9, 11, 13, 8, 10, 12, 9, 11, 10, 13, 15, 16, 14, 17, 15, 16, 18, 14, 15, 30]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises if the markup is not well-formed XML


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_chart_is_an_accessible_image() -> None:
    svg = render_svg(analyse(SHIFTED, "i"), title="Falls per week", svg_id="falls")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 360 ")
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Falls per week"
    assert desc.text and "A point outside the limits" in (desc.text or "")


def test_no_script_and_no_inline_style() -> None:
    svg = render_svg(analyse(SHIFTED, "i"), title="t")
    assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert "javascript:" not in svg.lower() and " on" not in svg.split(">", 1)[0]


def test_every_label_is_escaped() -> None:
    labels = [f'<b>"wk" & {i}</b>' for i in range(len(SHIFTED))]
    result = analyse(SHIFTED, "i", labels=labels)
    svg = render_svg(result, title="A & B <c>", y_label="<y>", description="d & e")
    root = parse(svg)
    assert root.find("svg:title", NS).text == "A & B <c>"  # type: ignore[union-attr]
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "<y>" in texts(root)


def test_signals_have_a_legend_in_words_and_a_distinct_shape() -> None:
    root = parse(render_svg(analyse(SHIFTED, "i"), title="t", svg_id="c"))
    legend = " ".join(texts(root))
    assert "Special cause: point outside the limits" in legend
    assert "Control limits" in legend and "Mean" in legend
    uses = [u.get("href") for u in root.iter("{http://www.w3.org/2000/svg}use")]
    assert "#c-sig" in uses  # the signal point is a triangle, not just another colour


def test_mdc_legend_names_improvement_and_concern() -> None:
    values = [43, 41, 37, 36, 31, 23, 15, 13, 15, 18, 23, 27, 31, 36, 27, 19, 17, 27, 15, 22]
    result = analyse(
        values, "i", profile=MDC_SINGLE_CHART_TOOL_V5, direction="higher_is_better", target=30
    )
    legend = " ".join(texts(parse(render_svg(result, title="t"))))
    assert "Special cause: improvement" in legend and "Special cause: concern" in legend
    assert "Process limits" in legend and "Target (30)" in legend


def x_axis_texts(root: ET.Element) -> list[ET.Element]:
    return [
        t
        for t in root.iter(f"{{{NS['svg']}}}text")
        if t.get("text-anchor") == "middle" and t.get("font-size") == str(AXIS_FONT)
    ]


def assert_fit(ticks: list[ET.Element]) -> None:
    boxes = [(float(t.get("x", 0)), len(t.text or "") * CHAR_WIDTH / 2) for t in ticks]
    assert all(x - half >= 0 and x + half <= 360 for x, half in boxes)  # inside the viewBox
    for (x1, h1), (x2, h2) in itertools.pairwise(boxes):
        assert x2 - h2 >= x1 + h1, "x-axis labels overlap"


@pytest.mark.parametrize("n", [1, 2, 7, 50, 500, 5000])
def test_x_axis_labels_stay_few(n: int) -> None:
    values = [float(i % 7) for i in range(n)]
    labels = [f"2024-week-{i}" for i in range(n)]
    root = parse(render_svg(analyse(values, "run", labels=labels), title="t"))
    ticks = [t for t in x_axis_texts(root) if (t.text or "").startswith("2024")]
    assert 1 <= len(ticks) <= 5
    assert all(len(t.text or "") <= LABEL_CHARS for t in ticks)
    assert_fit(ticks)


def weekly(n: int, start: date = date(2026, 1, 5)) -> list[str]:
    return [(start + timedelta(weeks=i)).isoformat() for i in range(n)]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (weekly(3), ["5 Jan", "12 Jan", "19 Jan"]),
        (weekly(2, date(2025, 12, 29)), ["29 Dec 25", "5 Jan 26"]),
        (["2026-01", "2026-02"], ["Jan 26", "Feb 26"]),
        (["2025-12-01", "2026-01-01"], ["Dec 25", "Jan 26"]),
        (["2024-01-01", "2025-01-01"], ["2024", "2025"]),
        (["05/01/2026", "12/01/2026"], ["5 Jan", "12 Jan"]),  # UK day/month/year
        (["2026-01-05T00:00:00", "2026-01-12T00:00:00"], ["5 Jan", "12 Jan"]),
        (["2026-01-05", "Week 2"], ["2026-01-05", "Week 2"]),  # not all dates: as typed
        (["2026-13-45", "2026-01-05"], ["2026-13-45", "2026-01-05"]),
        (["Quarter one of 2026"], ["Quarter one…"]),
    ],
)
def test_dates_are_shortened_to_fit(labels: list[str], expected: list[str]) -> None:
    assert short_labels(labels) == expected


@pytest.mark.parametrize("n", [2, 8, 20, 52, 104, 500])
def test_date_labels_are_never_cut_and_never_overlap(n: int) -> None:
    result = analyse([float(i % 5) for i in range(n)], "run", labels=weekly(n))
    ticks = x_axis_texts(parse(render_svg(result, title="t")))
    assert ticks and all("…" not in (t.text or "") for t in ticks)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d\d)?", t.text or "") for t in ticks)
    assert_fit(ticks)


def test_parts_freeze_and_exclusions_are_drawn_and_named() -> None:
    values = [5, 6, 4, 5, 7, 3, 6, 4, 20, 21, 19, 22, 18, 20, 21, 19]
    svg = render_svg(analyse(values, "run", parts=[8], exclude=[3]), title="t")
    legend = " ".join(texts(parse(svg)))
    assert "limits recalculated" in legend and "Hollow: left out" in legend
    frozen = render_svg(analyse(values, "i", freeze=8), title="t")
    assert "end of the baseline" in " ".join(texts(parse(frozen)))


def test_missing_values_break_the_line() -> None:
    svg = render_svg(analyse([1, 2, None, 4, 5, 6], "run"), title="t")
    data = [
        p
        for p in parse(svg).iter("{http://www.w3.org/2000/svg}path")
        if p.get("stroke") == "#425563"
    ]
    assert data and data[0].get("d", "").count("M") == 2


@pytest.mark.parametrize("icon", list(VariationIcon))
def test_variation_icons_say_what_they_mean(icon: VariationIcon) -> None:
    root = parse(variation_icon_svg(icon))
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    assert title is not None and title.text == icon.label
    assert root.get("aria-labelledby") == title.get("id")


def test_icon_labels() -> None:
    assert VariationIcon.IMPROVEMENT_HIGH.label == "Special cause variation: improvement (high)"
    assert VariationIcon.COMMON_CAUSE.label == "Common cause variation"
    assert Assurance.CONSISTENT_PASS.label == "Assurance: consistently passes the target"


@pytest.mark.parametrize("assurance", list(Assurance))
def test_assurance_icons_say_what_they_mean(assurance: Assurance) -> None:
    root = parse(assurance_icon_svg(assurance, svg_id="a<b"))
    title = root.find("svg:title", NS)
    assert title is not None and title.text == assurance.label
    assert title.get("id") == "a-b-title"


def test_reveal_false_draws_the_bare_chart() -> None:
    """The same renderer draws a chart to ask about (no signals) and its answer."""
    result = analyse(SHIFTED, "i")
    asked = render_svg(result, title="t", svg_id="c", reveal=False)
    answer = render_svg(result, title="t", svg_id="c")
    for svg in (asked, answer):
        assert "Control limits" in svg and "Mean" in svg
    assert asked.count("<circle") == len(SHIFTED)  # every point, none singled out
    assert "<use" not in asked and "Special cause" not in asked and "outside" not in asked
    assert "<use" in answer and "Special cause" in answer and "outside the limits" in answer
    runs = analyse([1, 2] * 10, "run", profile=IHI)  # too many runs: a dashed centre line
    assert 'stroke-dasharray="10 4"' in render_svg(runs, title="t")
    assert 'stroke-dasharray="10 4"' not in render_svg(runs, title="t", reveal=False)


def numbers_in(svg: str) -> list[str]:
    """Every attribute value and path coordinate, as text."""
    root = parse(svg)
    return [v for el in root.iter() for k, v in el.attrib.items() if k not in ("id", "href")]


EXTREMES = {
    "huge": [1e308, -1e308] * 6,
    "huge-one-side": [1e308, 1.7e308, 1.5e308] * 4,
    "smallest": [5e-324] * 12,
    "smallest-and-zero": [5e-324, 0.0] * 6,
    "tiny-span": [1e-200, 2e-200, 3e-200] * 4,
    "all-equal": [7.0] * 12,
    "one-point": [7.0],
    "two-points": [1.0, 2.0],
    "mixed-magnitudes": [1e300, 1.0, -1e-300, 5.0] * 3,
}


@pytest.mark.parametrize(
    ("chart", "values"),
    [
        pytest.param(chart, values, id=f"{name}-{chart}")
        for name, values in EXTREMES.items()
        for chart in ("run", "i", "mr", "c")
        if chart != "c" or min(values) >= 0  # a c chart refuses negative counts
    ],
)
def test_extreme_values_never_put_inf_or_nan_in_the_svg(chart: str, values: list[float]) -> None:
    try:
        result = analyse(values, chart)
    except ValueError:
        assert chart in ("i", "mr") and len(values) == 1  # one point has no moving range
        return
    except OverflowError:  # sums beyond the largest float: the lab refuses values over 1e15
        assert max(abs(v) for v in values) > 1e307
        return
    for reveal in (True, False):
        svg = render_svg(result, title="t", reveal=reveal)
        bad = [v for v in numbers_in(svg) if re.search(r"\b(inf|nan)\b", v, re.I)]
        assert bad == []
        coords = [float(n) for n in re.findall(r"-?\d+\.\d+", " ".join(numbers_in(svg)))]
        assert all(math.isfinite(c) and -1000 < c < 5000 for c in coords)


def test_wide_y_axis_numbers_widen_the_margin() -> None:
    root = parse(render_svg(analyse([1e12, 3e12, 2e12] * 4, "run"), title="t"))
    y_texts = [t for t in root.iter(f"{{{NS['svg']}}}text") if t.get("text-anchor") == "end"]
    assert y_texts and all(len(t.text or "") <= 7 for t in y_texts)  # "2e12", "2.5e12"
    assert all(float(t.get("x", 0)) - len(t.text or "") * 6.8 >= 0 for t in y_texts)
