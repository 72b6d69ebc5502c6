"""A scenario played to an ending in Chromium at 320 px, with HTMX and without JavaScript,
axe-core clean at every step."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from tests.browser.conftest import assert_accessible
from tests.browser.test_question_types_browser import (
    PHONE,
    assert_accessible_as_rendered,
    fits_the_screen,
    register,
)
from tests.live_server import serve
from tests.scenario_content import LESSON_URL, PLAYER, write_content

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scenario_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("scenario")
    database = f"sqlite:///{root / 'scenario.db'}"
    upgrade(database)
    content = write_content(root / "content")
    settings = Settings(database_url=database, content_dir=content, password_profile="test")
    with serve(create_app(settings)) as base:
        yield base


def pick(page: Page, text: str) -> None:
    page.locator("#scenario-player").get_by_role("button", name=text).click()


def test_play_to_an_ending_with_htmx_at_320px(page: Page, scenario_url: str) -> None:
    page.set_viewport_size(PHONE)
    register(page, scenario_url)
    page.goto(f"{scenario_url}{LESSON_URL}")
    page.get_by_role("link", name="Play the scenario").click()
    expect(page.locator("#scenario-node")).to_contain_text("Dr Okafor")
    fits_the_screen(page)
    assert_accessible(page)
    pick(page, "Ask what matters most to them about the ward round.")
    player = page.locator("#scenario-player")
    expect(player).to_contain_text("Asking about interests opens the conversation.")
    expect(page.locator("#scenario-node")).to_be_focused()  # focus moved to the new node
    expect(page).to_have_url(f"{scenario_url}{PLAYER}?step=1")  # one URL per step
    assert_accessible(page)
    # Another tab chooses first: this page is stale, and says so, showing where the run is.
    token = page.locator("#scenario-player input[name=csrf_token]").input_value()
    other = page.request.post(
        f"{scenario_url}{PLAYER}/choose", form={"csrf_token": token, "step": "1", "choice": "0"}
    )
    assert other.ok
    pick(page, "Say the rota cannot change anyway.")
    expect(player.get_by_role("alert")).to_contain_text("moved on in another tab")
    expect(player.get_by_role("alert")).to_be_focused()  # the message first, then the node
    expect(page.locator("#scenario-node")).to_have_text("A one-week pilot is agreed")
    expect(player.get_by_role("heading", name="The strongest path")).to_be_visible()
    page.get_by_label("What would you say differently on your ward?").fill("Ask <first>")
    player.get_by_role("button", name="Save reflection").click()
    expect(player).to_contain_text("Reflection saved to your record.")
    expect(page.get_by_label("What would you say differently on your ward?")).to_have_value(
        "Ask <first>"
    )
    fits_the_screen(page)
    assert_accessible(page)
    page.goto(f"{scenario_url}{LESSON_URL}")
    expect(page.locator("#scenario-ward-round")).to_contain_text("Finished")


def test_play_to_an_ending_without_javascript_at_320px(browser: Browser, scenario_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        register(page, scenario_url)
        page.goto(f"{scenario_url}{PLAYER}")
        fits_the_screen(page)
        assert_accessible_as_rendered(browser, page)
        pick(page, "Tell them the audit proves they are wrong.")
        assert "?step=1" in page.url  # a real form post and redirect
        expect(page.locator("#scenario-player")).to_contain_text("Attacking the person")
        assert_accessible_as_rendered(browser, page)
        pick(page, "Apologise and start again.")
        pick(page, "Say you will take it to the medical director.")
        expect(page.locator("#scenario-node")).to_have_text("The consultant walks away")
        fits_the_screen(page)
        assert_accessible_as_rendered(browser, page)
        page.get_by_role("button", name="Start again").click()
        assert "?step=0" in page.url
        expect(page.locator("#scenario-node")).to_contain_text("Dr Okafor")
    finally:
        context.close()


def test_a_visitor_plays_without_javascript(browser: Browser, scenario_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{scenario_url}{PLAYER}")
        pick(page, "Say you will take it to the medical director.")
        assert "path=2" in page.url
        expect(page.locator("#scenario-node")).to_have_text("The consultant walks away")
        assert_accessible_as_rendered(browser, page)
    finally:
        context.close()
