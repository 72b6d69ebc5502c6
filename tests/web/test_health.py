"""/healthz says 503 when the database cannot be reached."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import CONTENT_DIR
from tests.databases import fresh_database
from tests.live_server import free_port, serve
from tests.web.helpers import csrf


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'health.db'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, content_dir=CONTENT_DIR))
    with serve(app) as base:
        assert httpx.get(f"{base}/healthz").status_code == 200
        # A real engine pointed at a port where nothing listens: the database has gone away.
        app.state.engine = make_engine(f"postgresql+psycopg://qi@127.0.0.1:{free_port()}/qi")
        response = httpx.get(f"{base}/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "error", "database": "unreachable"}
        # Content is in memory, so lessons stay readable while the database is down.
        assert httpx.get(f"{base}/modules").status_code == 200


def test_healthz_answers_while_every_worker_thread_waits_on_the_database(
    backend: str, tmp_path: Path
) -> None:
    """50 sign-ins stuck behind a lock on login_failure fill the 40-thread pool; a health check
    must not queue behind them (it did, for 16-55 s, under a cohort's load)."""
    with fresh_database(backend, tmp_path) as url:
        upgrade(url)
        app = create_app(Settings(database_url=url, content_dir=CONTENT_DIR))
        with serve(app) as base, ExitStack() as stack:
            clients = [
                stack.enter_context(httpx.Client(base_url=base, timeout=30)) for _ in range(50)
            ]
            tokens = [csrf(c, "/login") for c in clients]
            lock = stack.enter_context(table_lock(url, "login_failure"))
            with ThreadPoolExecutor(max_workers=50) as pool:
                stuck = [
                    pool.submit(c.post, "/login", data={"csrf_token": t, "email": "x@y.org",
                                                        "password": "wrong password"})
                    for c, t in zip(clients, tokens, strict=True)
                ]  # fmt: skip
                time.sleep(1.0)  # every worker thread is now waiting on the lock
                assert not any(f.done() for f in stuck)
                started = time.perf_counter()
                response = httpx.get(f"{base}/healthz", timeout=30)
                waited = time.perf_counter() - started
                lock.release()
                assert all(f.result().status_code in (422, 429) for f in stuck)
        app.state.engine.dispose()
    assert response.status_code == 200
    assert waited < 1.0, f"/healthz took {waited:.1f} s"


class _Lock:
    def __init__(self, release: Callable[[], None]) -> None:
        self.release = release


@contextmanager
def table_lock(url: str, table: str) -> Iterator[_Lock]:
    """Hold a write lock from outside the app, as a long transaction would."""
    engine = make_engine(url)
    conn = engine.raw_connection()
    cursor = conn.cursor()
    if url.startswith("sqlite"):
        cursor.execute("BEGIN IMMEDIATE")
    else:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            conn.rollback()
            released = True

    try:
        yield _Lock(release)
    finally:
        release()
        conn.close()
        engine.dispose()
