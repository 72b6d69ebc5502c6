"""SVG charts and icons: well-formed, accessible, escaped, no script, bounded labels."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from app.measurement import (
    MDC_SINGLE_CHART_TOOL_V5,
    Assurance,
    VariationIcon,
    analyse,
    assurance_icon_svg,
    render_svg,
    variation_icon_svg,
)

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


@pytest.mark.parametrize("n", [2, 7, 50, 500, 5000])
def test_x_axis_labels_stay_few(n: int) -> None:
    values = [float(i % 7) for i in range(n)]
    labels = [f"2024-week-{i}" for i in range(n)]
    root = parse(render_svg(analyse(values, "run", labels=labels), title="t"))
    ticks = [t for t in root.iter(f"{{{NS['svg']}}}text") if (t.text or "").startswith("2024")]
    assert 1 <= len(ticks) <= 5
    assert all(len(t.text or "") <= 9 for t in ticks)
    boxes = [(float(t.get("x", 0)), len(t.text or "") * 6.8 / 2) for t in ticks]
    assert all(x - half >= 0 and x + half <= 360 for x, half in boxes)  # inside the viewBox
    for (x1, h1), (x2, h2) in itertools.pairwise(boxes):
        assert x2 - h2 >= x1 + h1, "x-axis labels overlap"


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
