"""`qiskills content preview` in Chromium: the open lesson follows its file on disk by itself,
shows its errors while broken, and shows the answers for checking; axe-core on each page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.catalog import load_catalog
from app.migrate import upgrade
from tests.browser.conftest import assert_accessible
from tests.conftest import CONTENT_DIR, FIRST_MODULE
from tests.preview_helpers import preview_server

pytestmark = pytest.mark.browser
RELOAD_MS = 10_000  # the watcher reacts within a fraction of a second; CI machines are slow


def replace_line(path: Path, key: str, value: str) -> None:
    """Set the first `key: ...` line (the front matter's) to `key: value`."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text, count=1), "utf-8")


def test_the_open_lesson_follows_its_file_without_a_manual_reload(
    page: Page, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)  # never edit content/ itself
    module = load_catalog(content).module(FIRST_MODULE)  # its first question is single-choice
    assert module is not None
    lesson = module.lessons[0]
    folder = content / "modules" / f"{module.position:02d}-{module.slug}"
    source = folder / f"{lesson.position:02d}-{lesson.slug}.md"
    original = source.read_text(encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'preview.db'}"
    upgrade(database)

    with preview_server(database, content) as base:
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(f"{base}/modules/{module.slug}/{lesson.slug}")
        expect(page.locator("h1")).to_have_text(lesson.title)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)

        # Edit the file: the page reloads itself (a fresh document loses the marker).
        page.evaluate("window.__marker = 'the page before the edit'")
        replace_line(source, "title", "Edited while the preview was open")
        expect(page.locator("h1")).to_have_text(
            "Edited while the preview was open", timeout=RELOAD_MS
        )
        assert page.evaluate("window.__marker") is None

        # The answers toggle: every question's answers, feedback and explanation.
        question = lesson.questions[0]
        page.get_by_role("button", name="Show the answers and feedback").click()
        key = page.locator(f'section[aria-labelledby="preview-q-{question.id}"]')
        expect(key).to_contain_text("Correct:")
        assert_accessible(page)

        # Break the file: the page shows the error with file and line, then recovers.
        replace_line(source, "minutes", "five")
        expect(page.locator("h1")).to_have_text("The content has 1 error", timeout=RELOAD_MS)
        relative = source.relative_to(content).as_posix()
        expect(page.locator("#content-errors")).to_contain_text(f"{relative}:")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_accessible(page)
        source.write_text(original, encoding="utf-8")
        expect(page.locator("h1")).to_have_text(lesson.title, timeout=RELOAD_MS)
        page.goto("about:blank")  # close the page's event stream before the server stops
