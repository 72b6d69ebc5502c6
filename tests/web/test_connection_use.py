"""A request holds a database connection only while it queries: never while a page renders,
and a cohort signing in at the same moment all get in."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from tests.conftest import CONTENT_DIR, course_module
from tests.databases import fresh_database
from tests.live_server import serve
from tests.web.helpers import PASSWORD, csrf, register

MODULE = course_module()
LESSON = MODULE.lessons[0]
URL = f"/modules/{MODULE.slug}/{LESSON.slug}"


@pytest.fixture
def watched(backend: str, tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    """A server whose every page render notes how many pooled connections are checked out."""
    with fresh_database(backend, tmp_path) as database:
        upgrade(database)
        app = create_app(
            Settings(database_url=database, content_dir=CONTENT_DIR, password_profile="test")
        )
        in_use: list[int] = []
        templates = app.state.templates
        original = templates.TemplateResponse

        def noting(*args: Any, **kwargs: Any) -> Any:
            in_use.append(app.state.engine.pool.checkedout())
            return original(*args, **kwargs)

        templates.TemplateResponse = noting
        with serve(app) as base:
            yield base, in_use


def test_no_connection_is_held_while_a_page_renders(watched: tuple[str, list[int]]) -> None:
    base, in_use = watched
    with httpx.Client(base_url=base) as client:
        register(client)
        question = LESSON.questions[0]
        in_use.clear()
        for path in ("/", "/modules", f"/modules/{MODULE.slug}", URL, "/learning"):
            assert client.get(path).status_code == 200, path
        page = client.get(URL).text
        form_key = re.search(r'name="form_key" value="([0-9a-f]+)"', page).group(1)
        answered = client.post(
            f"{URL}/questions/{question.id}",
            data={"csrf_token": csrf(client, URL), "answer": sorted(question.correct_keys),
                  "form_key": form_key},
            headers={"HX-Request": "true"},
        )  # fmt: skip
        assert answered.status_code == 200
    assert len(in_use) >= 8
    assert in_use == [0] * len(in_use)


def test_a_cohort_signing_in_at_once_all_get_in(watched: tuple[str, list[int]]) -> None:
    base, _ = watched
    people = 100
    with httpx.Client(base_url=base) as client:
        emails = [register(client) for _ in range(people)]
    clients = [httpx.Client(base_url=base, timeout=60) for _ in range(people)]
    tokens = [csrf(c, "/login") for c in clients]
    start = threading.Barrier(people)

    def sign_in(i: int) -> int:
        start.wait()
        data = {"csrf_token": tokens[i], "email": emails[i], "password": PASSWORD}
        return clients[i].post("/login", data=data).status_code

    with ThreadPoolExecutor(max_workers=people) as pool:
        statuses = list(pool.map(sign_in, range(people)))
    for c in clients:
        c.close()
    assert statuses == [303] * people
