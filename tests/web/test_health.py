"""/healthz says 503 when the database cannot be reached."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import CONTENT_DIR
from tests.live_server import free_port, serve


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
