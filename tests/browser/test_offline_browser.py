"""Offline in Chromium, with the service worker (static/js/sw.js) at work: an answer given with
no network is kept on the phone and stored once when the network returns; a lesson read online
opens offline, saying it is the copy saved at a given time, and an edited lesson replaces it;
"Save this module for offline" makes lessons never opened readable offline. Axe-clean."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import text

from app.catalog import load_catalog
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.browser.conftest import assert_accessible
from tests.conftest import CONTENT_DIR, course_module
from tests.live_server import free_port, serve

pytestmark = pytest.mark.browser
MODULE = course_module()
LESSON = MODULE.lessons[0]
URL = f"/modules/{MODULE.slug}/{LESSON.slug}"
HELD = "Saved on this phone, will send when you're back online."


def offline_context(browser: Browser, base: str) -> BrowserContext:
    return browser.new_context(
        base_url=base, service_workers="allow", viewport={"width": 360, "height": 800}
    )


def register(page: Page) -> str:
    email = f"offline-{uuid.uuid4().hex[:8]}@example.nhs.uk"
    page.goto("/register")
    page.get_by_label("Full name").fill("Olu Offline")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("F1").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
    return email


# page.evaluate, not wait_for_function: that one evaluates strings, which the CSP refuses.
def worker_ready(page: Page) -> None:
    eventually(lambda: page.evaluate("() => navigator.serviceWorker.controller !== null"))


def kept(page: Page, path: str, containing: str = "") -> None:
    """Wait until the worker has kept `path` (with `containing` in it)."""
    script = """([path, text]) => caches.match(path)
        .then((r) => (r ? r.text() : "")).then((t) => t !== "" && t.includes(text))"""
    eventually(lambda: page.evaluate(script, [path, containing]))


def stored(database_url: str, email: str, question_id: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                text(
                    "SELECT count(*) FROM attempt JOIN app_user ON app_user.id = attempt.user_id"
                    " WHERE app_user.email = :email AND attempt.question_id = :q"
                ),
                {"email": email, "q": question_id},
            ).scalar_one()
    finally:
        engine.dispose()


def eventually(check, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def single_questions() -> list:  # type: ignore[type-arg]
    return [q for q in LESSON.questions if q.type.value == "single"]


def test_an_answer_given_offline_is_stored_once_when_the_network_returns(
    browser: Browser, live_url: str, live_database_url: str
) -> None:
    context = offline_context(browser, live_url)
    page = context.new_page()
    email = register(page)
    page.goto(URL)
    worker_ready(page)
    first, second = single_questions()[:2]
    section = page.locator(f"#q-{first.id}")

    context.set_offline(True)
    page.locator(f"#q-{first.id}-{first.options[0].key}").check()
    section.get_by_role("button", name="Check answer").click()
    expect(section.get_by_role("status")).to_have_text(HELD)
    section.get_by_role("button", name="Check answer").click()  # twice: still one answer
    expect(section.get_by_role("status")).to_have_text(HELD)
    expect(page.locator(f"#q-{first.id}-{first.options[0].key}")).to_be_checked()
    assert_accessible(page)
    assert stored(live_database_url, email, first.id) == 0

    context.set_offline(False)  # the page hears "online" and the worker sends it
    expect(section.get_by_text("Sent.", exact=True)).to_be_visible()
    expect(section.locator(".qi-feedback__title")).to_have_text(
        "Correct" if first.options[0].correct else "Not quite"
    )
    expect(section.get_by_text("Saved to your record.")).to_be_visible()
    assert_accessible(page)
    assert stored(live_database_url, email, first.id) == 1

    # Closed before the network returned: sent when the app is next opened.
    context.set_offline(True)
    page.locator(f"#q-{second.id}-{second.options[0].key}").check()
    page.locator(f"#q-{second.id}").get_by_role("button", name="Check answer").click()
    expect(page.locator(f"#q-{second.id}").get_by_role("status")).to_have_text(HELD)
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.goto(URL)
    eventually(lambda: stored(live_database_url, email, second.id) == 1)
    time.sleep(0.5)  # and no second copy arrives late
    assert stored(live_database_url, email, first.id) == 1
    assert stored(live_database_url, email, second.id) == 1

    # Signing out leaves no page of theirs on the phone for the next person.
    kept(page, URL)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert page.evaluate("(path) => caches.match(path).then((r) => r === undefined)", URL)
    context.close()


@contextmanager
def own_server(content: Path, database_url: str, port: int) -> Iterator[str]:
    settings = Settings(database_url=database_url, content_dir=content, password_profile="test")
    with serve(create_app(settings), port=port) as url:
        yield url


def test_a_lesson_read_online_opens_offline_and_an_edit_replaces_it(
    browser: Browser, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    source = next(content.glob(f"modules/*-{MODULE.slug}/*-{LESSON.slug}.md"))
    database_url = f"sqlite:///{tmp_path / 'offline.db'}"
    upgrade(database_url)
    port = free_port()
    old_version = load_catalog(content).lesson(MODULE.slug, LESSON.slug)[1].version[:12]

    with own_server(content, database_url, port) as base:
        context = offline_context(browser, base)
        page = context.new_page()
        page.goto(URL)  # the first visit installs the worker, which then keeps this page
        worker_ready(page)
        kept(page, URL, old_version)
        before = datetime.now(UTC)

        context.set_offline(True)
        page.reload()
        notice = page.locator("#offline-copy")
        expect(notice).to_contain_text("You are offline. This is the copy saved on this phone on")
        saved_at = datetime.fromisoformat(notice.locator("time").get_attribute("datetime"))
        assert before - timedelta(minutes=2) < saved_at <= datetime.now(UTC)
        expect(page.get_by_role("heading", level=1)).to_have_text(LESSON.title)
        expect(page.get_by_text(f"Content version {old_version}")).to_be_visible()
        assert_accessible(page)
        context.set_offline(False)

    # The lesson is edited and the site restarted (same address, same phone).
    added = "This paragraph was added after the copy on the phone was saved."
    source.write_text(source.read_text(encoding="utf-8") + f"\n{added}\n", encoding="utf-8")
    new_version = load_catalog(content).lesson(MODULE.slug, LESSON.slug)[1].version[:12]
    assert new_version != old_version
    with own_server(content, database_url, port):
        page.reload()  # online: the new version, and it replaces the copy kept
        expect(page.get_by_text(added)).to_be_visible()
        expect(page.locator("#offline-copy")).to_have_count(0)
        kept(page, URL, new_version)

        context.set_offline(True)
        page.reload()
        expect(page.locator("#offline-copy")).to_be_visible()
        expect(page.get_by_text(added)).to_be_visible()
        expect(page.get_by_text(f"Content version {new_version}")).to_be_visible()
        context.close()


def test_saving_a_module_makes_its_lessons_readable_offline(
    browser: Browser, live_url: str
) -> None:
    context = offline_context(browser, live_url)
    page = context.new_page()
    page.goto(f"/modules/{MODULE.slug}")
    save = page.get_by_role("button", name="Save this module for offline")
    expect(save).to_be_visible()
    save.click()
    lessons = len(MODULE.lessons)
    expect(page.locator("#save-offline [role=status]")).to_have_text(
        f"Saved: this module and its {lessons} lessons can be read on this phone"
        " with no connection."
    )
    assert_accessible(page)

    context.set_offline(True)
    third = MODULE.lessons[2]
    page.goto(f"/modules/{MODULE.slug}/{third.slug}")  # never opened before
    expect(page.get_by_role("heading", level=1)).to_have_text(third.title)
    expect(page.locator("#offline-copy")).to_contain_text("You are offline")
    assert_accessible(page)

    # The lesson-to-lesson links (HTMX fragments) work offline too.
    previous = re.compile(rf"Previous\W+{re.escape(MODULE.lessons[1].title)}")
    page.get_by_role("link", name=previous).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE.lessons[1].title)
    expect(page).to_have_url(re.compile(rf"/modules/{MODULE.slug}/{MODULE.lessons[1].slug}$"))
    expect(page.locator("#offline-copy")).to_be_visible()
    context.close()


def test_reading_a_lesson_keeps_the_rest_of_its_module(browser: Browser, live_url: str) -> None:
    """The module in progress is readable offline without pressing anything."""
    context = offline_context(browser, live_url)
    page = context.new_page()
    page.goto(URL)
    worker_ready(page)
    page.reload()  # now through the worker, which keeps the module's other lessons
    third = MODULE.lessons[2]
    kept(page, f"/modules/{MODULE.slug}/{third.slug}", third.title)

    context.set_offline(True)
    page.goto(f"/modules/{MODULE.slug}/{third.slug}")  # never opened before
    expect(page.get_by_role("heading", level=1)).to_have_text(third.title)
    expect(page.locator("#offline-copy")).to_contain_text("You are offline")
    assert_accessible(page)
    context.close()


def test_without_a_service_worker_the_module_page_offers_no_saving(
    page: Page, live_url: str
) -> None:
    page.goto(f"{live_url}/modules/{MODULE.slug}")  # the `page` fixture blocks service workers
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE.title)
    expect(page.get_by_role("button", name="Save this module for offline")).to_be_hidden()


def test_chromium_finds_the_app_installable(browser: Browser, live_url: str) -> None:
    context = offline_context(browser, live_url)
    page = context.new_page()
    page.goto("/")
    worker_ready(page)
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getAppManifest")["errors"] == []
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A Playwright context is a private window, which is never offered an install.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    context.close()
