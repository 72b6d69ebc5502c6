"""A supervisor invites a trainee, who accepts and completes a module; the supervisor sees it on
the dashboard and downloads the CSV. axe-core runs on every page either of them visits."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Role, User
from tests.browser.conftest import assert_accessible
from tests.conftest import course_module

pytestmark = pytest.mark.browser
MODULE = course_module()
PASSWORD = "a long enough phrase"


def register(page: Page, base: str, name: str) -> str:
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.nhs.uk"
    page.goto(f"{base}/register")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("ST", exact=True).check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
    return email


def make_supervisor(database_url: str, email: str) -> None:
    engine = make_engine(database_url)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        user.role = Role.supervisor
        db.add(user)
        db.commit()
    engine.dispose()


def test_supervisor_sees_a_trainees_completed_module(
    browser: Browser, live_url: str, live_database_url: str
) -> None:
    sup = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    ).new_page()
    sup_email = register(sup, live_url, "Dr Supervisor")
    make_supervisor(live_database_url, sup_email)
    sup.goto(f"{live_url}/supervise")
    assert_accessible(sup)
    sup.get_by_text("Invite a trainee", exact=True).click()
    sup.get_by_role("button", name="Create an invitation").click()
    code = sup.locator("strong.qi-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert_accessible(sup)

    trainee = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    register(trainee, live_url, "Tomas Trainee")
    trainee.goto(f"{live_url}/invite")
    assert_accessible(trainee)
    trainee.get_by_label("Invitation code").fill(code)
    trainee.get_by_role("button", name="Accept").click()
    expect(trainee.get_by_text("Invitation accepted.")).to_be_visible()
    expect(trainee.get_by_text("Dr Supervisor", exact=True)).to_be_visible()
    assert_accessible(trainee)

    for lesson in MODULE.lessons:
        trainee.goto(f"{live_url}/modules/{MODULE.slug}/{lesson.slug}")
        for question in lesson.questions:
            for key in sorted(question.correct_keys):
                trainee.locator(f"#q-{question.id}-{key}").check()
            trainee.locator(f"#q-{question.id}").get_by_role("button", name="Check answer").click()
            expect(trainee.locator(f"#q-{question.id} .qi-feedback__title")).to_have_text("Correct")
        trainee.get_by_role("button", name="Mark lesson as done").click()
    expect(trainee).to_have_url(re.compile(r"/certificates/QI-"))
    assert_accessible(trainee)

    sup.goto(f"{live_url}/supervise")
    row = sup.get_by_role("row", name=re.compile("Tomas Trainee"))
    expect(row).to_contain_text("Passed")
    expect(row).to_contain_text("100%")
    assert_accessible(sup)
    with sup.expect_download() as download_info:
        sup.get_by_role("button", name="Download").click()
    content = download_info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    done = [r for r in rows if r["name"] == "Tomas Trainee" and r["module_id"] == MODULE.slug]
    assert len(done) == 1 and done[0]["status"] == "passed" and done[0]["certificate_id"]
