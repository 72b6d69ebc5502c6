"""Every remaining page, seen by an admin who also supervises, at 320 px: axe-clean, no sideways
scroll. The data comes from real HTTP requests to the live server first."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page

from app.db import make_engine
from app.models import Role
from tests.browser.conftest import assert_accessible
from tests.web.helpers import PASSWORD, register
from tests.web.supervision_helpers import accept, finish_module, invite_code, set_role

pytestmark = pytest.mark.browser


def test_admin_supervisor_and_trainee_pages(
    page: Page, live_url: str, live_database_url: str
) -> None:
    engine = make_engine(live_database_url)
    with httpx.Client(base_url=live_url) as admin, httpx.Client(base_url=live_url) as trainee:
        admin_email = register(admin, name="Ada Admin")
        set_role(engine, admin_email, Role.admin)
        register(trainee, name="Tess Trainee")
        accept(trainee, invite_code(admin))
        location = finish_module(trainee).headers["location"]
    engine.dispose()
    cert_id = re.search(r"/certificates/(QI-[A-Z0-9]+)", location).group(1)

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(admin_email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_url}/supervise")
    trainee_link = page.get_by_role("link", name="Tess Trainee").get_attribute("href")
    page.goto(f"{live_url}/lab?example=1")
    page.get_by_label("Name (to save it)").fill("Sweep dataset")
    page.get_by_role("button", name="Save this dataset").click()
    dataset = page.url.removeprefix(live_url)
    for path in (
        "/",
        "/modules",
        "/lab",
        "/lab?example=1",
        "/lab/drill?seed=7",
        dataset,
        "/supervise",
        trainee_link,
        "/admin/users",
        "/admin/supervision",
        "/admin/certificates",
        f"/verify/{cert_id}",
        "/account",
        "/account/supervisors",
        "/account/delete",
        "/learning",
        "/learning/record",
        "/learning/certificates",
        "/lab/datasets",
        "/author",
        "/nowhere",
    ):
        check_page(page, f"{live_url}{path}")


PYTHON_REPR = re.compile(r"built-in method|object at 0x|<bound method")


def check_page(page: Page, url: str) -> None:
    """Every swept page: axe-clean, no sideways scroll at 320 px, and no Python object printed
    by a template (the lab once showed "<built-in method values of dict object at 0x...>")."""
    page.goto(url)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    text = page.content() + page.locator("body").inner_text()
    found = PYTHON_REPR.search(text)
    assert found is None, f"{url} prints a Python object: {text[found.start() - 80 :][:200]}"


def test_the_three_minute_review(page: Page, live_url: str, live_database_url: str) -> None:
    """The home panel, a review question, its feedback (swapped by HTMX) and the round's end."""
    from tests.web.test_review import LESSON, answer_in_lesson, hours_pass, wrong

    engine = make_engine(live_database_url)
    with httpx.Client(base_url=live_url) as trainee:
        email = register(trainee, name="Rita Reviewer")
        question = LESSON.questions[0]
        answer_in_lesson(trainee, question, wrong(question))
    hours_pass(engine)
    engine.dispose()

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{live_url}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    check_page(page, f"{live_url}/")
    page.get_by_role("button", name="1 question ready").click()
    assert "Question 1 of 1" in page.content()
    check_page(page, page.url)
    correct = next(o for o in question.options if o.correct)
    page.locator(f"#q-{question.id}-{correct.key}").check()
    page.get_by_role("button", name="Check answer").click()
    page.get_by_text("Correct", exact=True).wait_for()
    page.get_by_role("button", name="Finish the review").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Finish the review").click()
    page.get_by_text("Review done").wait_for()
    check_page(page, page.url)
