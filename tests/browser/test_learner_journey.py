"""A trainee's journey in Chromium, on a phone and on a desktop, with axe-core on every page."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.conftest import course_module

pytestmark = pytest.mark.browser
MODULE = course_module()
FIRST, SECOND = MODULE.lessons[0], MODULE.lessons[1]
PASSWORD = "a long enough phrase"


def progress(page: Page) -> str:
    return page.locator(f"#progress-{MODULE.slug}").get_attribute("value") or ""


@pytest.mark.parametrize("width", [360, 1280])
def test_register_learn_sign_out_and_continue(page: Page, live_url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_url) else elsewhere.append(request.url),
    )
    email = f"journey-{uuid.uuid4().hex[:8]}@example.nhs.uk"

    # Register, first with a mistake: the error summary appears and the input is kept.
    page.goto(f"{live_url}/register")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Asha Patel")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("short")
    page.get_by_label("F2").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Asha Patel")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()

    # The module starts at zero.
    page.goto(f"{live_url}/modules/{MODULE.slug}")
    assert progress(page) == "0"
    assert_accessible(page)

    # Answer every question without a reload: the marker on window survives.
    page.get_by_role("link", name=FIRST.title).click()
    expect(page.locator("h1")).to_have_text(FIRST.title)
    page.evaluate("window.__marker = 'still here'")
    for question in FIRST.questions:
        section = page.locator(f"#q-{question.id}")
        for key in sorted(question.correct_keys):
            page.locator(f"#q-{question.id}-{key}").check()
        section.get_by_role("button", name="Check answer").click()
        expect(page.locator(f"#q-{question.id} .qi-feedback__title")).to_have_text("Correct")
    assert page.evaluate("window.__marker") == "still here"
    assert_accessible(page)

    # Try again brings the form back in place.
    retry = FIRST.questions[0]
    page.locator(f"#q-{retry.id}").get_by_role("link", name=re.compile("Try again")).click()
    expect(
        page.locator(f"#q-{retry.id}").get_by_role("button", name="Check answer")
    ).to_be_visible()
    assert page.evaluate("window.__marker") == "still here"

    # Mark done: the lesson says what was done, then "Next lesson" opens the next one.
    page.get_by_role("button", name="Mark lesson as done").click()
    done = page.locator("#lesson-done")
    expect(done).to_contain_text("Lesson done")
    expect(done).to_contain_text(f"{len(MODULE.lessons) - 1} lessons left")
    expect(done).to_contain_text("Your score so far: 100%")
    assert_accessible(page)
    done.get_by_role("button", name=re.compile("Next lesson")).click()
    expect(page.locator("h1")).to_have_text(SECOND.title)
    page.goto(f"{live_url}/modules")
    assert progress(page) == "1"
    assert_accessible(page)

    # Sign out and in again; Continue opens the next unfinished lesson.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(f"{live_url}/login")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    continue_button = page.get_by_role("button", name=re.compile("Continue")).or_(
        page.locator("#continue")
    )
    expect(continue_button.first).to_be_visible()
    assert_accessible(page)
    continue_button.first.click()
    expect(page.locator("h1")).to_have_text(SECOND.title)
    expect(page).to_have_url(f"{live_url}/modules/{MODULE.slug}/{SECOND.slug}#resume")
    assert_accessible(page)
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"  # fonts included
