"""The database engine and the per-request session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fastapi import Request
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_CACHE_KIB = 512
# Sync routes run in a threadpool of 40; a request holds its connection until it ends, so the pool
# must cover every thread or requests queue for a connection under load (seen with wrk at 64).
POOL = {"pool_size": 20, "max_overflow": 30, "pool_timeout": 10}


def make_engine(database_url: str) -> Engine:
    """An engine tuned per backend: SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **POOL)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **POOL)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # In WAL mode a commit is in the WAL file (the OS's cache) before it returns, so a killed
        # process loses no confirmed answer (bench/crash_safety.py); only a power cut can undo
        # the last commits. FULL would fsync at every commit, under SQLite's one write lock.
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 512 KiB of page cache per connection, not SQLite's 2 MiB: a worker keeps up to 50
        # pooled connections, and the operating system caches the file for all of them anyway.
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    return engine


def get_session(request: Request) -> Iterator[Session]:
    """One session per request. It takes a pooled connection at its first query and gives it
    back at commit, or at `release` before the page renders, so no connection waits on
    template work. Objects stay readable after commit and close (expire_on_commit=False)."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        request.state.db = session
        yield session


def release(request: Request) -> None:
    """End the request's transaction and return its connection to the pool (reads only: every
    write has been committed by the service that made it; anything else is discarded, as at
    the end of a request)."""
    session: Session | None = getattr(request.state, "db", None)
    if session is not None:
        session.close()
