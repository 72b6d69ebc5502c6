"""Each newer question type answered in Chromium at 320 px, with HTMX and without JavaScript,
keyboard only for ordering, with axe-core clean on every state."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from tests.browser.conftest import assert_accessible
from tests.live_server import serve
from tests.question_types_content import URL, write_content

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 720}
STEPS = ["Plan", "Do", "Study", "Act"]
MATCHES = {
    "Falls per 1,000 bed days": "Outcome",
    "Share of patients with a falls risk assessment": "Process",
    "Staff time spent on assessments": "Balancing",
}


@pytest.fixture(scope="module")
def types_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("types")
    database = f"sqlite:///{root / 'types.db'}"
    upgrade(database)
    content = write_content(root / "content")
    settings = Settings(database_url=database, content_dir=content, password_profile="test")
    with serve(create_app(settings)) as base:
        yield base


def register(page: Page, base: str) -> None:
    page.goto(f"{base}/register")
    page.get_by_label("Full name").fill("Ada Types")
    page.get_by_label("Email address").fill(f"types-{uuid.uuid4().hex[:8]}@example.nhs.uk")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("F1").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()


def question(page: Page, qid: str) -> Locator:
    return page.locator(f"#q-{qid}")


def check(page: Page, qid: str, title: str = "Correct") -> None:
    question(page, qid).get_by_role("button", name="Check answer").click()
    expect(question(page, qid).locator(".qi-feedback__title")).to_have_text(title)


def fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def shown_order(section: Locator) -> list[str]:
    selects = section.locator("select")
    return [
        selects.nth(i).evaluate("s => s.selectedOptions[0].text") for i in range(selects.count())
    ]


def put_in_order_with_the_keyboard(page: Page, section: Locator) -> None:
    """Move each step up to its place with the Up buttons, pressing Enter, as a keyboard user."""
    live = section.locator("[aria-live]")
    for target, step in enumerate(STEPS):
        where = shown_order(section).index(step)
        if where == target:
            continue
        section.locator("li").nth(where).get_by_role("button", name=re.compile("^Up")).focus()
        for _ in range(where - target):
            page.keyboard.press("Enter")  # focus follows the step, so Enter moves it again
        expect(live).to_have_text(f"{step} moved to position {target + 1}.")
    assert shown_order(section) == STEPS


def test_every_type_with_htmx_at_320px(page: Page, types_url: str) -> None:
    page.set_viewport_size(PHONE)
    register(page, types_url)
    page.goto(f"{types_url}{URL}")
    fits_the_screen(page)
    assert_accessible(page)

    question(page, "tf").get_by_label("True").check()
    check(page, "tf")

    number = question(page, "median").get_by_label("Your answer")
    number.fill("sixty")
    question(page, "median").get_by_role("button", name="Check answer").click()
    expect(question(page, "median").locator(".nhsuk-error-message")).to_contain_text(
        "Enter a number"
    )
    expect(question(page, "median").get_by_label("Your answer")).to_have_value("sixty")
    assert_accessible(page)
    question(page, "median").get_by_label("Your answer").fill("62,5")
    check(page, "median")
    expect(question(page, "median")).to_contain_text("You answered 62.5%")

    question(page, "pdsa-s").get_by_label("Your answer").fill("Check")
    check(page, "pdsa-s", "Not quite")
    expect(question(page, "pdsa-s")).to_contain_text("Deming preferred Study")

    order = question(page, "pdsa-order")
    expect(order.get_by_role("button", name=re.compile("^(Up|Down)")).first).to_be_visible()
    assert shown_order(order) != STEPS  # shuffled
    put_in_order_with_the_keyboard(page, order)
    order.get_by_role("button", name="Check answer").focus()
    page.keyboard.press("Enter")
    expect(order.locator(".qi-feedback__title")).to_have_text("Correct")

    matching = question(page, "measures")
    for item, category in MATCHES.items():
        matching.get_by_label(item).select_option(label=category)
    matching.get_by_label("Staff time spent on assessments").select_option(label="Outcome")
    check(page, "measures", "Not quite")
    expect(matching).to_contain_text("1 of 3 items is wrong")

    assert page.url == f"{types_url}{URL}"  # HTMX swapped sections; the page never reloaded
    fits_the_screen(page)
    assert_accessible(page)

    # Coming back shows the latest answer of every type with its feedback.
    page.reload()
    for qid, title in (
        ("tf", "Correct"),
        ("median", "Correct"),
        ("pdsa-s", "Not quite"),
        ("pdsa-order", "Correct"),
        ("measures", "Not quite"),
    ):
        expect(question(page, qid).locator(".qi-feedback__title")).to_have_text(title)
    assert_accessible(page)

    # "Try again" brings the ordering form back, and its buttons work there too.
    order.get_by_role("link", name=re.compile("Try again")).click()
    expect(order.get_by_role("button", name=re.compile("^Up")).first).to_be_visible()
    put_in_order_with_the_keyboard(page, order)
    assert_accessible(page)


def assert_accessible_as_rendered(browser: Browser, page: Page) -> None:
    """axe-core needs timers, which a page without JavaScript never runs: check the same HTML,
    with its stylesheet, in a page that runs axe alone (its own scripts are blocked)."""
    html, address = page.content(), page.url.split("#")[0]
    context = browser.new_context(viewport=PHONE)
    try:
        twin = context.new_page()
        twin.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
        twin.route(
            lambda url: url.split("#")[0] == address,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        twin.goto(address)
        assert twin.locator("[data-move]:visible").count() == 0  # as without JavaScript
        assert_accessible(twin)
    finally:
        context.close()


def test_every_type_without_javascript_at_320px(browser: Browser, types_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        register(page, types_url)
        page.goto(f"{types_url}{URL}")
        order = question(page, "pdsa-order")
        expect(order.get_by_role("button", name=re.compile("^(Up|Down)"))).to_have_count(0)
        fits_the_screen(page)
        assert_accessible_as_rendered(browser, page)

        question(page, "tf").get_by_label("False").check()
        check(page, "tf", "Not quite")
        assert "answered=tf" in page.url  # a real form post and redirect

        question(page, "median").get_by_label("Your answer").fill("62.0")
        check(page, "median", "Not quite")
        expect(question(page, "median")).to_contain_text("That is the mean")

        question(page, "pdsa-s").get_by_label("Your answer").fill("  STUDY. ")
        check(page, "pdsa-s")

        # Without JavaScript: a select per position. A step used twice is refused, kept.
        for position, step in enumerate(["Plan", "Plan", "Study", "Act"], start=1):
            order.get_by_label(f"Position {position}", exact=True).select_option(label=step)
        order.get_by_role("button", name="Check answer").click()
        expect(order.locator(".nhsuk-error-message")).to_contain_text("Use each step once")
        expect(order.get_by_label("Position 2", exact=True)).to_have_value("a")
        assert_accessible_as_rendered(browser, page)
        for position, step in enumerate(STEPS, start=1):
            order.get_by_label(f"Position {position}", exact=True).select_option(label=step)
        check(page, "pdsa-order")

        matching = question(page, "measures")
        for item, category in MATCHES.items():
            matching.get_by_label(item).select_option(label=category)
        check(page, "measures")

        fits_the_screen(page)
        assert_accessible_as_rendered(browser, page)
    finally:
        context.close()


def test_the_test_content_is_written_fresh(tmp_path: Path) -> None:
    assert (write_content(tmp_path) / "modules" / "01-test" / "01-types.md").exists()
