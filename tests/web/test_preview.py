"""`qiskills content preview` over real HTTP: a saved file reaches the open page, broken content
shows its errors instead of stopping the server, and answers can be shown for checking."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import PROJECT_ROOT
from tests.preview_helpers import (
    BROKEN_LESSON,
    LESSON_URL,
    preview_database,
    preview_server,
    write_content,
)
from tests.web.helpers import csrf

VERSION = re.compile(r'id="qi-preview"[^>]*data-version="([^"]+)"')


@pytest.fixture(scope="module")
def preview_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with preview_database(backend, tmp_path_factory.mktemp("preview-web")) as url:
        yield url


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    return write_content(tmp_path, "The first lesson")


@pytest.fixture
def preview(preview_db: str, tmp_path: Path, lesson: Path) -> Iterator[httpx.Client]:
    with preview_server(preview_db, tmp_path) as url, httpx.Client(base_url=url, timeout=10) as c:
        yield c


def page_version(response: httpx.Response) -> str:
    match = VERSION.search(response.text)
    assert match, "no preview banner with the page's version"
    return match.group(1)


def next_change(client: httpx.Client, since: str, seconds: float = 15) -> str:
    """Read the event stream, reconnecting as EventSource does, until its `changed` event;
    return the version it carries."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with client.stream("GET", "/preview/events", params={"since": since}) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            event = None
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event == "changed":
                    return line.split(":", 1)[1].strip()
    raise AssertionError(f"no change reported in {seconds} s")


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text().replace(old, new))


def test_a_saved_file_is_streamed_as_a_change_and_the_page_shows_it(
    preview: httpx.Client, lesson: Path
) -> None:
    page = preview.get(LESSON_URL)
    assert page.status_code == 200 and "The first lesson" in page.text
    assert "js/preview.js" in page.text
    before = page_version(page)
    assert next_change(preview, "an older version") == before  # a stale page reloads at once
    edit(lesson, "The first lesson", "The lesson, rewritten")
    after = next_change(preview, before)  # waits for the watcher
    assert after != before
    page = preview.get(LESSON_URL)
    assert "The lesson, rewritten" in page.text and page_version(page) == after
    assert "The lesson, rewritten" in preview.get("/modules/test").text  # templates' catalog too


def test_broken_content_shows_its_errors_on_every_page_and_the_fix_recovers(
    preview: httpx.Client, lesson: Path
) -> None:
    good = lesson.read_text()
    before = page_version(preview.get(LESSON_URL))
    lesson.write_text(BROKEN_LESSON)
    broken = next_change(preview, before)
    for path in (LESSON_URL, "/modules", "/", "/no-such-page"):
        page = preview.get(path)
        assert page.status_code == 500, path
        assert "<title>Content errors" in page.text
        assert "modules/01-test/01-first.md:3</code>: " in page.text  # file and line
        assert "minutes" in page.text  # and the reason
        assert page_version(page) == broken  # so the page reloads when it is fixed
    assert preview.get("/static/js/preview.js").status_code == 200  # the page still works
    lesson.write_text(good)
    fixed = next_change(preview, broken)
    page = preview.get(LESSON_URL)
    assert page.status_code == 200 and "The first lesson" in page.text
    assert page_version(page) == fixed == before


def test_preview_starts_on_broken_content_and_shows_it_once_fixed(
    preview_db: str, tmp_path: Path
) -> None:
    lesson = write_content(tmp_path)
    good = lesson.read_text()
    lesson.write_text(BROKEN_LESSON)
    with preview_server(preview_db, tmp_path) as url, httpx.Client(base_url=url) as client:
        page = client.get(LESSON_URL)
        assert page.status_code == 500 and "01-first.md:3" in page.text
        lesson.write_text(good)
        next_change(client, page_version(page))
        assert "The first lesson" in client.get(LESSON_URL).text


def test_the_answers_toggle_shows_every_answer_feedback_and_explanation(
    preview: httpx.Client,
) -> None:
    assert 'id="preview-q-q1"' not in preview.get(LESSON_URL).text
    token = csrf(preview, LESSON_URL)
    form = {"csrf_token": token, "show": "1", "next": LESSON_URL}
    assert preview.post("/preview/answers", data={**form, "csrf_token": ""}).status_code == 403
    shown = preview.post("/preview/answers", data=form)
    assert shown.status_code == 303 and shown.headers["location"] == LESSON_URL
    page = preview.get(LESSON_URL).text
    key = page[page.index('id="preview-q-q1"') :]
    assert "<strong>Correct:</strong> The aim \N{EN DASH} Yes." in key
    assert "<strong>Not correct:</strong> The change \N{EN DASH} No." in key
    assert "Aims come first." in key
    assert "Hide the answers" in page
    hidden = preview.post("/preview/answers", data={**form, "show": "0", "next": "//evil.example"})
    assert hidden.headers["location"] == "/"  # never off the site
    assert 'id="preview-q-q1"' not in preview.get(LESSON_URL).text


def test_outside_preview_there_is_no_stream_banner_script_or_toggle(
    client: httpx.Client,
) -> None:
    page = client.get("/modules").text
    assert "preview.js" not in page and "qi-preview" not in page
    assert client.get("/preview/events").status_code == 404


def qiskills(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_still_refuses_broken_content_even_when_it_would_reload(tmp_path: Path) -> None:
    write_content(tmp_path).write_text(BROKEN_LESSON)
    result = qiskills("serve", "--reload-content", "--port", "1", QI_CONTENT_DIR=str(tmp_path))
    assert result.returncode == 1
    assert "Refusing to start" in result.stderr and "01-first.md:3" in result.stderr


def test_content_preview_refuses_production(tmp_path: Path) -> None:
    result = qiskills(
        "content",
        "preview",
        str(tmp_path),
        QI_ENVIRONMENT="production",
        QI_SECRET_KEY="s" * 48,
        QI_CERTIFICATE_KEY="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        QI_BASE_URL="https://qi.example.nhs.uk",
    )
    assert result.returncode == 2 and "for development" in result.stderr


def test_a_stream_without_a_change_ends_by_itself(preview: httpx.Client) -> None:
    """EventSource reconnects, so a short stream misses nothing and never holds up a shutdown."""
    since = page_version(preview.get(LESSON_URL))
    started = time.monotonic()
    with preview.stream("GET", "/preview/events", params={"since": since}) as stream:
        lines = list(stream.iter_lines())
    assert "event: changed" not in lines and "retry: 1000" in lines
    assert time.monotonic() - started < 5


def test_make_run_reloads_content() -> None:
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "VENV=/nonexistent/venv"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "serve --host 127.0.0.1 --port 8000 --reload-content" in dry
