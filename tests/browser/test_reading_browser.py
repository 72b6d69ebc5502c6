"""A learner reads a lesson in a real browser: accessible, narrow-screen safe, HTMX and no-JS."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from app.catalog import load_catalog
from tests.browser.conftest import assert_accessible
from tests.conftest import CONTENT_DIR, course_module

pytestmark = pytest.mark.browser
CATALOG = load_catalog(CONTENT_DIR)
MODULE = course_module()
FIRST, SECOND = MODULE.lessons[0], MODULE.lessons[1]


def fits_width(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [320, 1280])
def test_lesson_pages_are_accessible_and_fit_the_screen(
    page: Page, live_url: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    for path in (
        "/",
        "/modules",
        f"/modules/{MODULE.slug}",
        f"/modules/{MODULE.slug}/{FIRST.slug}",
    ):
        page.goto(live_url + path)
        assert_accessible(page)
        assert fits_width(page), f"{path} scrolls sideways at {width}px"
    expect(page.locator("h1")).to_have_text(FIRST.title)
    expect(page.locator(f"#q-{FIRST.questions[0].id}")).to_be_visible()


def test_next_lesson_swaps_in_without_a_reload(page: Page, live_url: str) -> None:
    page.goto(f"{live_url}/modules/{MODULE.slug}/{FIRST.slug}")
    page.evaluate("window.__marker = 'kept'")
    page.get_by_role("link", name=f"Next : {SECOND.title}").click()
    expect(page.locator("h1")).to_have_text(SECOND.title)
    expect(page).to_have_url(f"{live_url}/modules/{MODULE.slug}/{SECOND.slug}")
    expect(page).to_have_title(f"{SECOND.title} \N{EN DASH} QI Skills")
    assert page.evaluate("window.__marker") == "kept"
    assert page.evaluate("document.activeElement.id") == "lesson-title"
    assert_accessible(page)


def test_lessons_work_with_javascript_off(browser: Browser, live_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/modules/{MODULE.slug}/{FIRST.slug}")
    page.get_by_role("link", name=f"Next : {SECOND.title}").click()
    expect(page.locator("h1")).to_have_text(SECOND.title)
    question = SECOND.questions[0]
    right = next(o for o in question.options if o.correct)
    page.locator(f"#q-{question.id}-{right.key}").check()
    page.locator(f"#q-{question.id}").get_by_role("button", name="Check answer").click()
    expect(page).to_have_url(re.compile(rf"answered={question.id}.*#q-{question.id}$"))
    expect(page.locator(f"#q-{question.id} .qi-feedback__title")).to_have_text("Correct")
    context.close()
