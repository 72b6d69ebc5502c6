"""Answers in Chromium: a failed request says so and keeps the choice; a return shows answers."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.conftest import course_module

pytestmark = pytest.mark.browser
MODULE = course_module()
LESSON = MODULE.lessons[0]
URL = f"/modules/{MODULE.slug}/{LESSON.slug}"


def wrong_key(question) -> str:
    return next(o.key for o in question.options if not o.correct)


def right_keys(question) -> list[str]:
    return sorted(question.correct_keys)


def test_a_failed_answer_is_never_silent_and_keeps_the_choice(page: Page, live_url: str) -> None:
    question = next(q for q in LESSON.questions if q.type.value == "single")
    section = page.locator(f"#q-{question.id}")
    radio = page.locator(f"#q-{question.id}-{wrong_key(question)}")
    page.goto(f"{live_url}{URL}")
    radio.check()
    post = re.compile(rf".*/questions/{re.escape(question.id)}$")

    # The network fails: the answer never reaches the server.
    page.route(post, lambda route: route.abort("internetdisconnected"))
    section.get_by_role("button", name="Check answer").click()
    alert = section.get_by_role("alert")
    expect(alert).to_have_text(
        "Not sent: you seem to be offline. Your answer is still selected; try again."
    )
    expect(radio).to_be_checked()
    assert_accessible(page)

    # The server fails.
    page.unroute(post)
    page.route(post, lambda route: route.fulfill(status=500, body="Internal Server Error"))
    section.get_by_role("button", name="Check answer").click()
    expect(alert).to_have_text(
        "Not saved: the server had a problem. Your answer is still selected; try again."
    )
    expect(section.get_by_role("alert")).to_have_count(1)
    expect(radio).to_be_checked()
    assert_accessible(page)

    # It works again: the feedback replaces the form and the message.
    page.unroute(post)
    section.get_by_role("button", name="Check answer").click()
    expect(page.locator(f"#q-{question.id} .qi-feedback__title")).to_have_text("Not quite")
    expect(page.locator(f"#q-{question.id}").get_by_role("alert")).to_have_count(0)


def register(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/register")
    page.get_by_label("Full name").fill("Sam Okafor")
    page.get_by_label("Email address").fill(f"return-{uuid.uuid4().hex[:8]}@example.nhs.uk")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("F1").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()


def test_returning_shows_the_answers_and_continue_lands_at_the_next_question(
    page: Page, live_url: str
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    register(page, live_url)
    first, second = LESSON.questions[0], LESSON.questions[1]
    page.goto(f"{live_url}{URL}")
    for key in right_keys(first):
        page.locator(f"#q-{first.id}-{key}").check()
    page.locator(f"#q-{first.id}").get_by_role("button", name="Check answer").click()
    expect(page.locator(f"#q-{first.id} .qi-feedback__title")).to_have_text("Correct")

    # Come back later: the answer, its feedback and explanation are there, with "Try again".
    page.reload()
    answered = page.locator(f"#q-{first.id}")
    expect(answered.locator(".qi-feedback__title")).to_have_text("Correct")
    expect(answered.get_by_role("link", name=re.compile("Try again"))).to_be_visible()
    expect(answered.get_by_role("button", name="Check answer")).to_have_count(0)
    unanswered = page.locator(f"#q-{second.id}")
    expect(unanswered.get_by_role("button", name="Check answer")).to_be_visible()
    assert_accessible(page)

    # "Continue" opens the lesson at the first question not yet answered.
    page.goto(f"{live_url}/")
    page.locator("#continue").click()
    expect(page).to_have_url(f"{live_url}{URL}#resume")
    expect(page.locator(f"#q-{second.id}")).to_be_in_viewport()
    assert_accessible(page)
