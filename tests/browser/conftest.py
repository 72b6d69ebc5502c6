"""Browser tests drive Debian's Chromium through Playwright; axe-core checks every page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from app.config import PROJECT_ROOT, Settings
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import CONTENT_DIR
from tests.databases import in_ci
from tests.live_server import serve

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _require(ok: bool, message: str) -> None:
    if ok:
        return
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    _require(
        CHROMIUM.exists() or shutil.which("chromium") is not None,
        "Chromium is missing: install it with `sudo apt-get install -y chromium`",
    )
    _require(AXE.exists(), "axe-core is missing: install it with `npm ci`")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """The `page` fixture's pages run without the service worker (offline.py): they test pages
    as they behave without one, and `page.route` never sees a request a service worker
    handles. tests/browser/test_offline_browser.py opens contexts that allow it."""
    return {**browser_context_args, "service_workers": "block"}


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def live_url(live_database_url: str) -> Iterator[str]:
    url = live_database_url
    settings = Settings(
        database_url=url,
        content_dir=CONTENT_DIR,
        password_profile="test",
        registrations_per_address=1_000_000,  # the suite registers many accounts from one address
    )
    with serve(create_app(settings)) as base:
        yield base


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG A and AA) and fail with each violation's id and targets."""
    # Evaluated through DevTools, so the page's strict CSP stays on while axe runs.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"axe-core on {page.url}:\n{json.dumps(violations, indent=1)}"
