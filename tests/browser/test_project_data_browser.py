"""A team member on a phone: add a point (the chart redraws in place), write a PDSA stage (only
that section changes), and every page of measures and cycles is axe-clean at 320 px."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.db import make_engine
from tests.browser.conftest import assert_accessible
from tests.web.helpers import PASSWORD, csrf, register
from tests.web.project_data_helpers import project_for
from tests.web.test_project_measures import add_measure, paste

pytestmark = pytest.mark.browser


def test_measures_and_cycles_on_a_phone(page: Page, live_url: str, live_database_url: str) -> None:
    engine = make_engine(live_database_url)
    with httpx.Client(base_url=live_url) as lead:
        email = register(lead, name="Lee Lead")
        pid = project_for(engine, email)
        measure = add_measure(lead, pid)
        paste(lead, measure)
        cycles = f"/projects/{pid}/pdsa"
        plan = {"change": "Grab bag", "starts_on": "2026-02-03", "prediction": "8 of 10"}
        started = lead.post(cycles, data={"csrf_token": csrf(lead, cycles), **plan})
        cycle = started.headers["location"]
    engine.dispose()

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in (f"/projects/{pid}/measures", measure, cycles, cycle):
        page.goto(f"{live_url}{path}")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path

    page.goto(f"{live_url}{measure}")
    page.evaluate("window.__marker = 'no reload'")
    chart = page.locator("#measure-chart")
    expect(chart).to_contain_text("PDSA 1 starts at point 6")
    page.get_by_label("Label or date").fill("2026-03-30")
    page.get_by_label("Value", exact=True).fill("71")
    page.get_by_role("button", name="Add the point").click()
    expect(chart).to_contain_text("Point added and saved.")
    expect(chart.locator("table")).to_contain_text("2026-03-30", use_inner_text=False)
    assert page.evaluate("window.__marker") == "no reload"
    expect(page.get_by_label("Value", exact=True)).to_have_value("")
    assert_accessible(page)

    page.goto(f"{live_url}{cycle}")
    page.evaluate("window.__marker = 'no reload'")
    page.get_by_label("What happened?").fill("Used for 9 patients")
    page.get_by_role("button", name="Save what happened").click()
    expect(page.locator("#stage-do")).to_contain_text("Do saved.")
    assert page.evaluate("window.__marker") == "no reload"
    assert re.search(r"Used for 9 patients", page.locator("#stage-do").inner_text())
    assert_accessible(page)
