"""A learner pastes data into the lab: the chart redraws in place and names the signal."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from app.measurement.svg import AXIS_FONT
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
SIGNAL_WORDS = re.compile(r"shift|trend|runs|special cause|signal", re.I)
SHIFT = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62, 70, 72, 69, 74, 71, 73, 75, 72]


@pytest.mark.parametrize("width", [320, 1280])
def test_paste_data_and_see_the_chart_and_its_signal(page: Page, live_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_url}/lab")
    assert_accessible(page)
    page.evaluate("window.__marker = 'no reload'")
    page.get_by_label("Values").fill("\n".join(str(v) for v in SHIFT))
    page.get_by_label("Labels or dates (optional)").fill(
        "\n".join(f"Week {i}" for i in range(1, 21))
    )
    result = page.locator("#lab-result")
    expect(result.locator("svg")).to_be_visible()
    expect(result).to_contain_text("A shift: 8 points in a row above the median")
    assert page.evaluate("window.__marker") == "no reload"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)

    # A typo among the numbers: a clear message, and nothing typed is lost.
    page.get_by_label("Values").fill("1\n2\nthree\n4")
    expect(result).to_contain_text("Line 3 of the values: “three” is not a number")
    expect(page.get_by_label("Values")).to_have_value("1\n2\nthree\n4")
    assert_accessible(page)


def test_the_lab_works_without_javascript(browser, live_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/lab")
    page.get_by_label("Values").fill("\n".join(str(v) for v in SHIFT))
    page.get_by_role("button", name="Draw the chart").click()
    expect(page.locator("#lab-result svg")).to_be_visible()
    expect(page.locator("#lab-result")).to_contain_text("shift")
    context.close()


def test_save_annotate_and_drill(page: Page, live_url: str) -> None:
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(f"{live_url}/register")
    page.get_by_label("Full name").fill("Lab User")
    page.get_by_label("Email address").fill(f"lab-{id(page)}@example.nhs.uk")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("CT", exact=True).check()
    page.get_by_role("button", name="Create account").click()
    page.goto(f"{live_url}/lab?example=1")
    page.get_by_label("Name (to save it)").fill("Sepsis antibiotics")
    page.get_by_role("button", name="Save this dataset").click()
    expect(page.locator("h1")).to_have_text("Sepsis antibiotics")
    page.get_by_label("Point number").fill("13")
    page.get_by_label("Note", exact=True).fill("PDSA 1 started")
    page.get_by_role("button", name="Add annotation").click()
    expect(page.get_by_text("Point 13: PDSA 1 started")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_url}/lab/drill")
    assert_accessible(page)
    figures = page.locator("figure.qi-chart")
    expect(figures).to_have_count(6)
    for text in figures.all_inner_texts():  # the bare charts: nothing gives the answer away
        assert not SIGNAL_WORDS.search(text), text
    assert page.locator("figure.qi-chart svg use").count() == 0  # no signal shapes either
    for i in range(1, 7):
        page.locator(f"#chart-{i}").check()  # "Signal" for every chart
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"You got \d of 6 right"))).to_be_visible()
    revealed = " ".join(page.locator("figure.qi-chart").all_inner_texts())
    assert SIGNAL_WORDS.search(revealed)  # the answers: signals named under their charts
    assert page.locator("figure.qi-chart svg use").count() > 0
    assert_accessible(page)


def test_dates_fit_the_axis_and_the_chart_comes_first_on_a_phone(page: Page, live_url: str) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/lab")
    start = date(2026, 1, 5)
    pasted = "Week,Rate\n" + "\n".join(
        f"{start + timedelta(weeks=i)},{v}" for i, v in enumerate(SHIFT * 2)
    )
    page.get_by_label("Values").fill(pasted)
    page.get_by_role("button", name="Draw the chart").click()
    chart = page.locator("#lab-result svg")
    expect(chart).to_be_visible()
    labels = chart.locator(f'text[text-anchor="middle"][font-size="{AXIS_FONT}"]')
    texts = labels.all_text_contents()
    assert len(texts) >= 2 and all("…" not in t and "..." not in t for t in texts), texts
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d\d)?", t) for t in texts), texts
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert all(b is not None for b in boxes)
    for left, right in itertools.pairwise(boxes):
        assert left["x"] + left["width"] <= right["x"], f"x-axis labels overlap: {texts}"
    svg_box = chart.bounding_box()
    assert svg_box is not None
    assert all(
        b["x"] >= svg_box["x"] and b["x"] + b["width"] <= svg_box["x"] + svg_box["width"]
        for b in boxes
    )
    assert min(b["height"] for b in boxes) >= 10, "x-axis text too small to read at 320 px"
    form = page.locator("form.qi-lab__form").bounding_box()
    assert form is not None and svg_box["y"] < form["y"], "the chart should come before the form"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_baseline_and_parts_from_the_form(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/lab?example=1")
    page.get_by_label("Baseline: the first how many points?").fill("12")
    page.get_by_role("button", name="Draw the chart").click()
    expect(page.locator("#lab-result svg")).to_contain_text("Dash-dot line: end of the baseline")
    page.get_by_label("New part starts at point").fill("40")
    page.get_by_role("button", name="Draw the chart").click()
    expect(page.locator("#lab-result")).to_contain_text(
        "A new part must start at a point from 2 to 20, not 40"
    )
    expect(page.get_by_label("New part starts at point")).to_have_value("40")
    assert_accessible(page)
