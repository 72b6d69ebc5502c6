"""Live content (app/preview/live.py): errors are kept, not raised; a change swaps the catalog."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.catalog import ContentErrors, load_catalog
from app.config import ConfigError, Settings
from app.main import create_app
from app.models import LessonVersion
from app.preview import LiveContent, Snapshot, load_snapshot
from tests.preview_helpers import BROKEN_LESSON, preview_database, write_content


def test_broken_content_is_a_snapshot_with_errors_not_an_exception(tmp_path: Path) -> None:
    lesson = write_content(tmp_path)
    good = load_snapshot(tmp_path)
    lesson.write_text(BROKEN_LESSON)
    with pytest.raises(ContentErrors):  # what `qiskills serve` does
        load_catalog(tmp_path)
    broken = load_snapshot(tmp_path, good.catalog)  # what the preview does
    assert not broken.ok
    assert [(e.path, e.line) for e in broken.errors] == [(lesson, 3)]
    assert "minutes" in broken.errors[0].reason
    assert broken.catalog is good.catalog  # the last good catalog is kept for the app
    assert broken.version != good.version


def test_reload_tells_listeners_and_swaps_only_when_the_content_changed(tmp_path: Path) -> None:
    lesson = write_content(tmp_path, "Before")
    live = LiveContent(tmp_path)
    seen: list[Snapshot] = []
    live.on_change(seen.append)
    assert live.reload() is False and seen == []  # nothing changed on disk
    first = live.snapshot
    lesson.write_text(lesson.read_text().replace("Before", "After"))
    assert live.reload() is True
    assert seen == [live.snapshot] and live.snapshot is not first
    assert live.snapshot.catalog.lessons[0].title == "After"
    lesson.write_text(BROKEN_LESSON)
    assert live.reload() is True and not live.snapshot.ok
    assert live.relative(live.snapshot.errors[0].path) == "modules/01-test/01-first.md"


def test_the_watcher_reloads_when_a_file_is_saved(tmp_path: Path) -> None:
    lesson = write_content(tmp_path, "Before")
    live = LiveContent(tmp_path)
    live.start()
    try:
        time.sleep(0.3)  # let the watcher start watching
        lesson.write_text(lesson.read_text().replace("Before", "Saved"))
        deadline = time.monotonic() + 10
        while live.snapshot.catalog.lessons[0].title != "Saved":
            assert time.monotonic() < deadline, "the watcher never reloaded the content"
            time.sleep(0.05)
    finally:
        live.stop()


@pytest.fixture
def preview_db(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with preview_database(backend, tmp_path_factory.mktemp("preview")) as url:
        yield url


def test_a_change_swaps_the_app_catalog_and_records_the_new_version(
    tmp_path: Path, preview_db: str
) -> None:
    lesson = write_content(tmp_path, "Before")
    settings = Settings(database_url=preview_db, content_dir=tmp_path, password_profile="test")
    app = create_app(settings, preview=True)
    live: LiveContent = app.state.live_content
    lesson.write_text(lesson.read_text().replace("Before", "After"))
    assert live.reload()
    new = live.snapshot.catalog
    assert app.state.catalog is new
    assert app.state.templates.env.globals["catalog"] is new
    with Session(app.state.engine) as session:
        rows = session.exec(select(LessonVersion))
        recorded = {(r.lesson_slug, r.title, r.version) for r in rows}
    assert ("first", "After", new.lessons[0].version) in recorded
    app.state.engine.dispose()


def test_preview_starts_on_broken_content_where_serving_refuses(
    tmp_path: Path, preview_db: str
) -> None:
    (write_content(tmp_path)).write_text(BROKEN_LESSON)
    settings = Settings(database_url=preview_db, content_dir=tmp_path, password_profile="test")
    with pytest.raises(ContentErrors):
        create_app(settings)
    app = create_app(settings, preview=True)
    assert not app.state.live_content.snapshot.ok
    assert app.state.catalog.modules == ()
    app.state.engine.dispose()


def test_production_never_runs_live_content(tmp_path: Path) -> None:
    settings = Settings(
        environment="production",
        secret_key="s" * 48,
        certificate_key=base64.b64encode(bytes(range(32))).decode(),
        base_url="https://qi.example.nhs.uk",
        content_dir=tmp_path,
    )
    with pytest.raises(ConfigError, match="never production"):
        create_app(settings, preview=True)
