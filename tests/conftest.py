"""Fixtures: each database test runs once on SQLite and once on PostgreSQL, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import SQLModel

from app.catalog import load_catalog
from app.catalog.schema import Module
from app.config import PROJECT_ROOT, Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.databases import BACKENDS, fresh_database, in_ci
from tests.live_server import serve

CONTENT_DIR = PROJECT_ROOT / "content"
# Tests that drive real lessons name the modules they use, so that adding a module to the
# course (which renumbers the list) never changes what a test exercises.
FIRST_MODULE = "model-for-improvement"
SECOND_MODULE = "run-charts"


def course_module(slug: str = FIRST_MODULE) -> Module:
    """The named module of the real course; fails loudly if it is renamed."""
    module = load_catalog(CONTENT_DIR).module(slug)
    assert module is not None, f"the course has no module {slug!r}"
    return module


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to the newest revision, shared by the tests of one backend."""
    with fresh_database(backend, tmp_path_factory.mktemp(backend)) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # The per-pair backoff (seconds between guesses) would make every test that types a wrong
    # password several times wait, and the whole suite registers far more accounts from
    # 127.0.0.1 than a ward would; tests/web/test_throttle.py runs both with real settings.
    return Settings(
        database_url=database_url,
        content_dir=CONTENT_DIR,
        password_profile="test",
        login_backoff_after=1000,
        registrations_per_address=1_000_000,
    )


@pytest.fixture(scope="session")
def server_url(settings: Settings) -> Iterator[str]:
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(server_url: str, engine: Engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, timeout=10) as http:
        yield http
    _empty_learner_tables(engine)


def _empty_learner_tables(engine: Engine) -> None:
    """Leave the content registry (written at start-up) and empty everything else."""
    keep = {"lesson_version", "alembic_version"}
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in keep:
                conn.execute(table.delete())


@pytest.fixture
def content_dir() -> Path:
    return CONTENT_DIR


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test means a missing part: fail the run instead of hiding it."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if in_ci() and skipped and exitstatus == 0:
        reporter.write_line(f"CI=true: {skipped} test(s) skipped; a missing part is a failure")
        session.exitstatus = 1
