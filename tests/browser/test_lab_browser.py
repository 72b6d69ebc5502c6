"""A learner pastes data into the lab: the chart redraws in place and names the signal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
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
    expect(result).to_contain_text("Line 3 of the values is “three”")
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
    for i in range(1, 7):
        page.locator(f"#chart-{i}").check()  # "Signal" for every chart
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name=re.compile(r"You got \d of 6 right"))).to_be_visible()
    assert_accessible(page)
