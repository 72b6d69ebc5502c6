"""A small content tree and a fresh database for the live-content (preview) tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from tests.content_builder import lesson_md, write_module
from tests.databases import fresh_database
from tests.live_server import serve

LESSON_URL = "/modules/test/first"
BROKEN_LESSON = "---\ntitle: First\nminutes: five\noutcomes: [aims]\n---\nSome text.\n"


def write_content(root: Path, title: str = "The first lesson") -> Path:
    """content/modules/01-test/ with one lesson; returns the lesson file, for the test to edit."""
    module = write_module(root, {"01-first.md": lesson_md(title)})
    return module / "01-first.md"


@contextmanager
def preview_database(backend: str, tmp: Path) -> Iterator[str]:
    with fresh_database(backend, tmp) as url:
        upgrade(url)
        yield url


@contextmanager
def preview_server(database_url: str, content_dir: Path) -> Iterator[str]:
    settings = Settings(database_url=database_url, content_dir=content_dir, password_profile="test")
    with serve(create_app(settings, preview=True)) as url:
        yield url
