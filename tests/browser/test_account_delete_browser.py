"""Deleting an account in Chromium with JavaScript off, at 320 px: the account page links to
the confirm step; a wrong password keeps the form; the right one signs out. (axe needs script:
the page sweep checks the confirm page.)"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.web.helpers import PASSWORD, register

pytestmark = pytest.mark.browser


@pytest.fixture
def no_script_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    yield context.new_page()
    context.close()


def test_deleting_an_account_without_javascript(no_script_page: Page, live_url: str) -> None:
    page = no_script_page
    with httpx.Client(base_url=live_url) as http:
        email = register(http, name="Della Deleted")
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_url}/account")
    page.get_by_role("link", name="Delete your account").click()

    page.get_by_label("I understand").check()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_label("I understand")).to_be_checked()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account has been deleted")).to_be_visible()
    page.goto(f"{live_url}/account")
    assert "/login" in page.url
