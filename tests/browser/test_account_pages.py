"""The account pages issue 8 added, in Chromium at 320 px: forgotten password, reset, account
edit, the certificate check form and an invitee's sign-in. axe-core runs on every state."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Role, User
from app.services import password_reset
from tests.browser.conftest import assert_accessible
from tests.web.helpers import PASSWORD, register
from tests.web.supervision_helpers import invite_code, set_role

pytestmark = pytest.mark.browser


def check(page: Page) -> None:
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_account_pages_are_accessible_at_320px(
    page: Page, live_url: str, live_database_url: str
) -> None:
    engine = make_engine(live_database_url)
    with httpx.Client(base_url=live_url) as http:
        email = register(http, name="Rosa Reset")
        sup_email = register(http, name="Dr Ada Lovelace")
        set_role(engine, sup_email, Role.supervisor)
        code = invite_code(http)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        token = password_reset.issue(db, user)
    engine.dispose()
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(f"{live_url}/invite/{code}")  # signed out: sent to sign in, told whose invite
    expect(page.get_by_text("You are accepting an invitation from")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_text("Dr Ada Lovelace")).to_be_visible()
    check(page)

    page.goto(f"{live_url}/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    check(page)
    page.get_by_role("button", name="Send a reset link").click()  # empty: an error
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page)
    page.get_by_label("Email address").fill("nobody-at-all@example.nhs.uk")
    page.get_by_role("button", name="Send a reset link").click()
    expect(page.get_by_text("If an account uses that address")).to_be_visible()
    check(page)

    page.goto(f"{live_url}/password/reset/{token}")
    check(page)
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page)
    page.get_by_label("New password").fill("a perfectly long phrase")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password has been changed")).to_be_visible()
    page.goto(f"{live_url}/password/reset/{token}")  # used: the dead-link page
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    check(page)

    page.goto(f"{live_url}/account")
    check(page)
    page.get_by_label("Full name").fill("")
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Enter your name").first).to_be_visible()
    check(page)
    page.get_by_label("Full name").fill("Rosa Reset")
    page.get_by_label("F2", exact=True).check()
    page.get_by_role("button", name="Save details").click()
    expect(page.get_by_text("Your details have been saved")).to_be_visible()
    page.get_by_label("New email address").fill("rosa-new@example.nhs.uk")
    page.get_by_label("Your password").fill(PASSWORD)  # the old one: refused
    page.get_by_role("button", name="Change email address").click()
    expect(page.get_by_text("Your password is not correct").first).to_be_visible()
    check(page)

    page.goto(f"{live_url}/verify")
    check(page)
    page.get_by_label("Certificate ID").fill("QI-NOTAREALONE")
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_text("We have no certificate with that ID").first).to_be_visible()
    check(page)

    page.context.clear_cookies()
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(sup_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_url}/supervise")  # a supervisor's landing page
    page.get_by_text("Invite a trainee", exact=True).click()
    page.get_by_label("Their name (optional)").fill("Sam Patel")
    page.get_by_label("Their email address (optional)").fill("sam at trust")
    page.get_by_role("button", name="Create an invitation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check(page)
    page.get_by_label("Their email address (optional)").fill("sam@example.nhs.uk")
    page.get_by_role("button", name="Create an invitation").click()
    expect(page.get_by_text("Invitation ready for Sam Patel")).to_be_visible()
    expect(page.get_by_text("for Sam Patel (sam@example.nhs.uk)")).to_be_visible()
    check(page)

    engine = make_engine(live_database_url)
    set_role(engine, sup_email, Role.admin)
    engine.dispose()
    page.goto(f"{live_url}/admin/users")
    page.get_by_role("button", name="Reset link for Rosa Reset").click()
    expect(page.get_by_role("heading", name="Reset link for Rosa Reset")).to_be_visible()
    check(page)
