"""A browser rendering pages that show every XSS payload (issue 13) opens no dialog."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.conftest import course_module
from tests.security.test_xss import PAYLOADS

pytestmark = pytest.mark.browser
MODULE = course_module()
LESSON = f"/modules/{MODULE.slug}/{MODULE.lessons[0].slug}"
NAME = '<img src=x onerror=alert(1)>"><svg onload=alert(2)><script>alert(3)</script>'


def test_no_payload_runs_in_a_browser(page: Page, live_url: str) -> None:
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    page.goto(f"{live_url}/register")
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Email address").fill(f"xss-{uuid.uuid4().hex[:8]}@example.nhs.uk")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("F1").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
    page.goto(f"{live_url}{LESSON}")
    page.locator("#reflection-text").fill("\n".join(PAYLOADS))
    page.locator("#reflection").get_by_role("button").first.click()
    for path in (LESSON, "/account", "/learning/record", "/learning"):
        page.goto(f"{live_url}{path}")
        page.wait_for_timeout(200)
    expect(page.locator("body")).to_contain_text("QI Skills")
    assert dialogs == []
    page.goto(f"{live_url}/account")
    assert page.get_by_label("Full name").input_value() == NAME  # kept exactly, shown inert
