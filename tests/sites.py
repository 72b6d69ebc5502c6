"""A whole app on a fresh database of its own, served over real HTTP: for tests that need their
own content or settings rather than the shared server in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import CONTENT_DIR
from tests.databases import fresh_database
from tests.live_server import serve


@dataclass(frozen=True)
class Site:
    url: str
    engine: Engine  # for the test's own look-ups, separate from the app's


@contextmanager
def own_site(
    backend: str, tmp_dir: Path, content_dir: Path = CONTENT_DIR, **settings: Any
) -> Iterator[Site]:
    with fresh_database(backend, tmp_dir) as database:
        upgrade(database)
        app = create_app(
            Settings(
                database_url=database,
                content_dir=content_dir,
                password_profile="test",
                **settings,
            )
        )
        engine = make_engine(database)
        try:
            with serve(app) as url:
                yield Site(url, engine)
        finally:
            engine.dispose()
            app.state.engine.dispose()
