"""The project journey in Chromium at 320 px, axe on every page: start a project, write the aim
(through HTMX, one part missing at first), build a driver diagram, add a measure with 12 weekly
points, run two PDSA cycles with predictions, invite a colleague who joins by the link, hand over
with the note, and the successor accepts and carries on (a 13th point, PDSA 2's study). The same
pages without JavaScript save too."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.test_page_sweep import check_page
from tests.web.helpers import PASSWORD, register

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_start_aim_invite_handover_accept(page: Page, browser: Browser, live_url: str) -> None:
    with httpx.Client(base_url=live_url) as a, httpx.Client(base_url=live_url) as b:
        ada = register(a, name="Ada Lead")
        bo = register(b, name="Bo Next")
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_url, ada)
    page.goto(f"{live_url}/projects")
    assert_accessible(page)
    page.get_by_label("Project title").fill("Antibiotics within the hour")
    page.get_by_role("button", name="Start project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antibiotics within the hour")
    project = page.url.removeprefix(live_url)
    check_page(page, page.url)

    # The aim, through HTMX: without a date first (the section says what is missing).
    page.get_by_text("Edit the aim").click()
    page.get_by_label("What will you improve?").fill("give antibiotics within one hour")
    page.get_by_label("How much? (a number)").fill("90%")
    page.get_by_label("For whom?").fill("adults with sepsis")
    page.get_by_role("button", name="Save the aim").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("#aim")).to_contain_text("still needs by when")
    page.get_by_text("Edit the aim").click()
    page.get_by_label("By when?").fill("2027-03-31")
    page.get_by_role("button", name="Save the aim").click()
    expect(page.locator("#aim .nhsuk-lede-text")).to_have_text(
        "We aim to give antibiotics within one hour to 90% by 31 March 2027 for adults with sepsis."
    )
    assert_accessible(page)

    build_the_method(page, live_url, project)

    # Invite Bo by email; the link is shown once.
    page.get_by_label("Their email address").fill(bo)
    page.get_by_role("button", name="Add to the team").click()
    link = page.locator("#invite-link").inner_text()
    assert_accessible(page)
    other = browser.new_page(viewport={"width": 320, "height": 800})
    other.goto(link)
    assert "/login?next=/projects/invites/" in other.url, "signed out: sign in first"
    other.get_by_label("Email address").fill(bo)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("button", name="Join the team")).to_be_visible()
    assert_accessible(other)
    other.get_by_role("button", name="Join the team").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Antibiotics within the hour")

    # Hand over: the note is required.
    page.goto(f"{live_url}{project}/handover")
    page.get_by_label("Someone on the team").select_option(label="Bo Next (member)")
    page.get_by_label("What works").fill("Daily huddle")
    page.get_by_role("button", name="Offer the lead").click()
    expect(page.get_by_role("alert")).to_contain_text("Write “what to do next”")
    assert_accessible(page)
    expect(page.get_by_label("What works")).to_have_value("Daily huddle")
    page.get_by_label("What to do next").fill("PDSA 3")
    page.get_by_label("Who to talk to").fill("Sister Grey")
    page.get_by_role("button", name="Offer the lead").click()
    expect(page.get_by_role("heading", name="Waiting for Bo Next")).to_be_visible()
    check_page(page, f"{live_url}{project}/reflections")

    other.goto(f"{live_url}/projects")
    assert_accessible(other)
    other.get_by_role("link", name="Antibiotics within the hour").first.click()  # "Offered to you"
    expect(other.get_by_role("heading", level=1)).to_contain_text("Take over")
    assert_accessible(other)
    other.get_by_role("button", name="Accept and lead the project").click()
    expect(other.locator("#handovers")).to_contain_text("From Ada Lead to Bo Next")
    expect(other.locator("#team")).to_contain_text("Bo Next \N{EN DASH} lead")
    assert re.search(r"/projects/\d+", other.url)
    carry_on(other, live_url, project)
    check_page(other, f"{live_url}/learning/record")
    check_page(page, f"{live_url}/learning/record")
    expect(page.locator("#projects ~ dl")).to_contain_text("handed over to Bo Next")
    other.close()


WEEKS = (
    [f"2026-01-{day:02d}" for day in (5, 12, 19, 26)]
    + [f"2026-02-{day:02d}" for day in (2, 9, 16, 23)]
    + [f"2026-03-{day:02d}" for day in (2, 9, 16, 23)]
)
VALUES = [52, 55, 50, 53, 51, 54, 70, 74, 72, 75, 73, 76]  # a shift after PDSA 1 (9 Feb)


def build_the_method(page: Page, live_url: str, project: str) -> None:
    """Driver diagram, a measure with 12 dated points, and two PDSA cycles with predictions."""
    page.goto(f"{live_url}{project}/drivers")
    page.get_by_label("New primary driver").fill("Sepsis recognised at triage")
    page.get_by_role("button", name="Add primary driver").click()
    tree = page.locator("#driver-tree")
    tree.get_by_text("Add under this driver").click()
    tree.get_by_label("Text").last.fill("Screening tool used for every adult")
    tree.get_by_role("button", name="Add under").click()
    expect(page.locator("#driver-tree svg .qi-driver")).to_have_count(2)
    tree.get_by_text("Add under this driver").last.click()
    tree.get_by_label("New change idea").fill("Sepsis prompt on the triage form")
    tree.get_by_role("button", name="Add under").last.click()
    expect(page.locator("#driver-tree svg .qi-driver")).to_have_count(3)
    assert_accessible(page)

    page.goto(f"{live_url}{project}/measures")
    page.get_by_label("Name").fill("Antibiotics within 1 hour (%)")
    page.locator("#kind").check()  # the first kind: outcome
    page.get_by_role("button", name="Add the measure").click()
    page.get_by_label("Values").fill("\n".join(str(v) for v in VALUES))
    page.get_by_label("Labels or dates (optional)").fill("\n".join(WEEKS))
    page.get_by_role("button", name="Save the data").click()
    expect(page.locator("#measure-chart svg")).to_be_visible()
    expect(page.locator("#measure-chart table")).to_contain_text("2026-03-23", use_inner_text=False)
    measure = page.url.split("?")[0].split("#")[0].removeprefix(live_url)
    assert_accessible(page)

    for number, (change, start, prediction) in enumerate(
        [
            ("Sepsis prompt on the triage form", "2026-02-09", "8 in 10 get antibiotics in time"),
            ("Prompt plus a grab bag", "2026-03-02", "Time to antibiotics falls by 10 minutes"),
        ],
        start=1,
    ):
        page.goto(f"{live_url}{project}/pdsa")
        page.get_by_label("The change you will test").fill(change)
        page.get_by_label("When it starts (optional)").fill(start)
        page.get_by_label("Your prediction").fill(prediction)
        page.get_by_role("button", name="Start the cycle").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(f"PDSA {number}")
        assert_accessible(page)
    page.goto(f"{live_url}{measure}")
    expect(page.locator("#measure-chart")).to_contain_text("PDSA 1 starts")
    expect(page.locator("#measure-chart")).to_contain_text("PDSA 2 starts")
    page.goto(f"{live_url}{project}")
    expect(page.locator(".qi-coach")).to_contain_text("PDSA 1")  # the shift after PDSA 1
    assert_accessible(page)


def carry_on(page: Page, live_url: str, project: str) -> None:
    """The successor adds the 13th point and writes PDSA 2's study: the project continues."""
    page.goto(f"{live_url}{project}/measures")
    page.get_by_role("link", name="Antibiotics within 1 hour (%)").first.click()
    page.get_by_label("Label or date").fill("2026-03-30")
    page.get_by_label("Value", exact=True).fill("77")
    page.get_by_role("button", name="Add the point").click()
    expect(page.locator("#measure-chart")).to_contain_text("Point added and saved.")
    page.goto(f"{live_url}{project}/pdsa")
    page.get_by_role("link", name=re.compile("PDSA 2")).first.click()
    page.get_by_label(re.compile("result", re.I)).first.fill(
        "Predicted a 10 minute fall; we saw 12 minutes, better than expected."
    )
    page.get_by_role("button", name=re.compile("Save the study", re.I)).click()
    expect(page.locator("#stage-study")).to_contain_text("saved")
    assert_accessible(page)
