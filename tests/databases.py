"""Throwaway databases for tests: a SQLite file, or a fresh database on the PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BACKENDS = ("sqlite", "postgresql")
PG_ENV = "QI_TEST_DATABASE_URL"
PG_HINT = (
    "PostgreSQL tests need a server: run `make test` (it starts one), or set "
    f"{PG_ENV}=postgresql+psycopg://USER@HOST:PORT/DB"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_postgres() -> str:
    url = os.environ.get(PG_ENV)
    if url:
        return url
    if in_ci():
        pytest.fail(f"{PG_ENV} is not set in CI: {PG_HINT}")
    pytest.skip(PG_HINT)


@contextmanager
def fresh_database(backend: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.db'}"
        return
    base = make_url(require_postgres())
    name = f"qitest_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
