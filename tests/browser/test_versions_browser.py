"""The educators' pages and the versions a trainee sees, at 320 px and axe-clean: the catalogue
with drafts, warnings and a changelog; question statistics with flags; a draft lesson; and a
lesson "updated since you completed it", redone without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.catalog import load_catalog
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.models import Role
from tests.browser.test_page_sweep import check_page
from tests.live_server import serve
from tests.web.helpers import PASSWORD, register
from tests.web.supervision_helpers import set_role, user_id
from tests.web.test_question_stats import seed
from tests.web.test_versions import backdate, finish_lesson
from tests.web.versions_content import DRAFT_LESSON, MAJOR_LESSON, MFI, build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def versions_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    root = tmp_path_factory.mktemp("versions-browser")
    content = build(root)
    url = f"sqlite:///{root / 'versions.db'}"
    upgrade(url)
    settings = Settings(database_url=url, content_dir=content, password_profile="test")
    with serve(create_app(settings)) as base:
        yield base, url, content


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_author_pages_and_a_redo_at_320px(page: Page, versions_site: tuple[str, str, Path]) -> None:
    base, url, content = versions_site
    catalog = load_catalog(content)
    engine = make_engine(url)
    with httpx.Client(base_url=base) as educator, httpx.Client(base_url=base) as trainee:
        educator_email = register(educator, name="Eddie Educator")
        set_role(engine, educator_email, Role.educator)
        trainee_email = register(trainee, name="Tess Trainee")
        finish_lesson(trainee, catalog, MAJOR_LESSON)
    backdate(engine, user_id(engine, trainee_email), MAJOR_LESSON)
    seed(engine)
    engine.dispose()

    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, base, educator_email)
    for path in ("/author", f"/author/modules/{MFI}", f"/modules/{MFI}/{DRAFT_LESSON}", "/modules"):
        check_page(page, f"{base}{path}")
    expect(page.get_by_text("Draft").first).to_be_visible()
    page.context.clear_cookies()

    sign_in(page, base, trainee_email)
    check_page(page, f"{base}/modules/{MFI}")
    page.get_by_role("link", name="See what changed and redo it").click()
    assert_updated = page.get_by_text("Updated since you completed it")
    expect(assert_updated).to_be_visible()
    check_page(page, page.url)
    page.get_by_role("button", name="Redo this lesson").click()
    expect(page.get_by_text("You are redoing this lesson")).to_be_visible()
    check_page(page, page.url)
