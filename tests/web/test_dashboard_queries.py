"""The supervisor dashboard costs the same number of queries for 5 trainees as for 60."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event

from app.catalog import load_catalog
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.models import Role
from bench.seeding import add_cohort, add_history, add_users
from tests.conftest import CONTENT_DIR
from tests.databases import fresh_database
from tests.live_server import serve
from tests.web.helpers import register
from tests.web.supervision_helpers import set_role, user_id


@pytest.fixture
def counted(backend: str, tmp_path: Path) -> Iterator[tuple[str, list[str], str]]:
    with fresh_database(backend, tmp_path) as database:
        upgrade(database)
        settings = Settings(database_url=database, content_dir=CONTENT_DIR, password_profile="test")
        app = create_app(settings)
        statements: list[str] = []

        @event.listens_for(app.state.engine, "before_cursor_execute")
        def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            if not statement.lstrip().upper().startswith("PRAGMA"):
                statements.append(statement)

        with serve(app) as base:
            yield base, statements, database
        app.state.engine.dispose()


def test_dashboard_queries_do_not_grow_with_the_number_of_trainees(
    counted: tuple[str, list[str], str],
) -> None:
    base, statements, database = counted
    catalog = load_catalog(CONTENT_DIR)
    engine = make_engine(database)
    with httpx.Client(base_url=base) as client:
        email = register(client)
        set_role(engine, email, Role.supervisor)
        boss = user_id(engine, email)
        queries = []
        for size in (5, 55):  # 5, then 60 trainees in all, each with answers and progress
            trainees = add_users(engine, f"t{size}-", size)
            add_cohort(engine, f"Cohort {size}", [boss], trainees)
            add_history(engine, catalog, trainees, attempts=size * 10)
            statements.clear()
            page = client.get("/supervise")
            assert page.status_code == 200
            assert page.text.count("/supervise/trainees/") >= size
            queries.append(len(statements))
    engine.dispose()
    assert queries[0] == queries[1], statements
