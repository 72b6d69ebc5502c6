"""The evidence pages in Chromium at 320 px: axe-clean, no sideways scroll; a supervisor's form
with its errors; and the public check of a pack taking the downloaded PDF through its form."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.config import Settings
from app.db import make_engine
from app.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_page_sweep import check_page
from tests.conftest import CONTENT_DIR
from tests.web.helpers import PASSWORD, register
from tests.web.supervision_helpers import set_role
from tests.web.test_project_evidence import LEAD, attest, generate, make_project, user

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_evidence_pages_and_the_public_check(
    page: Page, live_url: str, live_database_url: str, tmp_path
) -> None:
    engine = make_engine(live_database_url)
    settings = Settings(database_url=live_database_url, content_dir=CONTENT_DIR)
    with httpx.Client(base_url=live_url) as lead, httpx.Client(base_url=live_url) as boss:
        lead_email = register(lead, name=LEAD)
        boss_email = register(boss, name="Dr Łukasz Nowak")
        set_role(engine, boss_email, Role.supervisor)
        setup = make_project(engine, settings, user(engine, lead_email), user(engine, boss_email))
        assert (
            attest(boss, setup.project_id, "comment", "Clear aim and good data").status_code == 303
        )
        pack_id = generate(lead, setup.project_id)
        pdf = lead.get(f"/projects/{setup.project_id}/evidence/{pack_id}.pdf").content
    engine.dispose()
    evidence = f"{live_url}/projects/{setup.project_id}/evidence"

    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_url, lead_email)
    for url in (evidence, f"{evidence}/text", f"{live_url}/verify/{pack_id}"):
        check_page(page, url)

    sign_in(page, live_url, boss_email)
    check_page(page, evidence)
    page.get_by_role("button", name="Sign and save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)  # the refused form, with its error summary

    page.context.clear_cookies()  # the public check needs no account
    page.goto(f"{live_url}/verify")
    page.get_by_label("Certificate ID").fill(pack_id.lower())
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("heading", name="This evidence pack is genuine")).to_be_visible()
    saved = tmp_path / "pack.pdf"
    saved.write_bytes(pdf)
    page.get_by_label("PDF or JSON file").set_input_files(saved)
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_text("This file matches the pack")).to_be_visible()
    assert_accessible(page)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(pdf.replace(b"%PDF", b"%PDf", 1))
    page.get_by_label("PDF or JSON file").set_input_files(changed)
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_text("This file does not match: it has been changed")).to_be_visible()
    assert re.search(r"/verify/QIE-", page.url)
