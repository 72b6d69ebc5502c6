"""The driver diagram and stakeholder pages in a real browser at 320 px: axe-clean, no sideways
scroll of the page (the diagrams scroll inside their own region), and HTMX adds a driver in
place with the diagram redrawn."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.db import make_engine
from tests.browser.conftest import assert_accessible
from tests.web.coach_draw_helpers import add_measure, id_of, make_project
from tests.web.helpers import PASSWORD, register

pytestmark = pytest.mark.browser


def test_driver_and_people_pages_at_320_px(
    page: Page, live_url: str, live_database_url: str
) -> None:
    engine = make_engine(live_database_url)
    with httpx.Client(base_url=live_url) as http:
        email = register(http, name="Grace Mensah")
    pid = make_project(engine, id_of(engine, email), aim_what="Antibiotics within 1 hour")
    add_measure(engine, pid, "Antibiotics < 1 hour")
    engine.dispose()

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_url}/projects/{pid}/drivers")
    page.get_by_label("New primary driver").fill("Reliable recognition of sepsis at triage")
    page.get_by_role("button", name="Add primary driver").click()
    tree = page.locator("#driver-tree")
    tree.get_by_text("Add under this driver").click()
    tree.get_by_label("Text").last.fill("Screening tool used for every adult")
    tree.get_by_role("button", name="Add under").click()
    # expect, not wait_for_function: that one evaluates a string, which the CSP refuses.
    expect(page.locator("#driver-tree svg .qi-driver")).to_have_count(3)
    assert "Screening tool used" in page.locator("#driver-tree svg").inner_html()
    for path in (f"/projects/{pid}/drivers", f"/projects/{pid}/people"):
        page.goto(f"{live_url}{path}")
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.get_by_label("Name", exact=True).fill("Dr Ade Okafor")
    page.locator("#power").check()
    page.locator("#interest").check()
    page.get_by_role("button", name="Add stakeholder").click()
    assert "Dr Ade Okafor" in page.locator("svg").first.inner_html()
    assert_accessible(page)
