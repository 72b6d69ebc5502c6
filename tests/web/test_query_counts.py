"""The hot paths stay a few indexed queries, however long the lesson: no query per question."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.models import User
from app.services.records import learner_records, records_for
from tests.conftest import CONTENT_DIR, SECOND_MODULE, course_module
from tests.live_server import serve
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import CATALOG, finish_module

MODULE = course_module()
LESSON = MODULE.lessons[0]
URL = f"/modules/{MODULE.slug}/{LESSON.slug}"
LONGER_MODULE, LONGER = max(
    ((m, lesson) for m in load_catalog(CONTENT_DIR).modules for lesson in m.lessons),
    key=lambda pair: len(pair[1].questions),
)
LONGER_URL = f"/modules/{LONGER_MODULE.slug}/{LONGER.slug}"


COMMIT = "-- commit"


def queries(statements: list[str]) -> list[str]:
    return [s for s in statements if s != COMMIT]


@pytest.fixture
def counted(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    database = f"sqlite:///{tmp_path / 'count.db'}"
    upgrade(database)
    app = create_app(
        Settings(database_url=database, content_dir=CONTENT_DIR, password_profile="test")
    )
    statements: list[str] = []

    @event.listens_for(app.state.engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("PRAGMA"):
            statements.append(statement)

    @event.listens_for(app.state.engine, "commit")
    def commit(_conn) -> None:  # type: ignore[no-untyped-def]
        statements.append(COMMIT)

    with serve(app) as base:
        yield base, statements


def test_lesson_page_and_answer_are_a_few_queries(counted: tuple[str, list[str]]) -> None:
    base, statements = counted
    with httpx.Client(base_url=base) as client:
        register(client)
        for question in LESSON.questions[:2]:  # some history, so every query returns rows
            page = client.get(URL).text
            key = re.search(
                r'name="form_key" value="([0-9a-f]+)"', page[page.index(f'id="q-{question.id}"') :]
            ).group(1)
            client.post(
                f"{URL}/questions/{question.id}",
                data={"csrf_token": csrf(client, URL), "answer": "a", "form_key": key},
                headers={"HX-Request": "true"},
            )
        token = csrf(client, URL)
        statements.clear()
        client.get(URL)
        lesson_queries = len(queries(statements))
        statements.clear()
        client.get(LONGER_URL)
        longer_queries = len(queries(statements))
        statements.clear()
        question = LESSON.questions[2]
        client.post(
            f"{URL}/questions/{question.id}",
            data={"csrf_token": token, "answer": "a", "form_key": "f" * 32},
            headers={"HX-Request": "true"},
        )
        answer_queries = len(queries(statements))
        answer_commits = statements.count(COMMIT)
    # Page: who is signed in (one join), then the learner's state (one UNION ALL of progress,
    # attempts and reflection). Answer: who, the attempt insert and the progress upsert, in one
    # transaction. Never one per question, so a longer lesson costs nothing more.
    assert len(LONGER.questions) > len(LESSON.questions)
    assert lesson_queries == longer_queries
    assert lesson_queries <= 2, statements
    assert answer_queries <= 3, statements
    assert answer_commits == 1, statements


def test_many_signed_in_requests_at_once_all_succeed(counted: tuple[str, list[str]]) -> None:
    """80 at once, more than the 40 worker threads: none may wait on the connection pool."""
    from concurrent.futures import ThreadPoolExecutor

    base, _ = counted
    with httpx.Client(base_url=base) as client:
        register(client)
        cookies = dict(client.cookies.items())

    def fetch(i: int) -> int:
        path = "/healthz" if i % 2 else URL
        return httpx.get(f"{base}{path}", cookies=cookies, timeout=20).status_code

    with ThreadPoolExecutor(max_workers=80) as pool:
        statuses = list(pool.map(fetch, range(240)))
    assert statuses == [200] * 240


def test_learner_pages_are_two_queries_and_agree_with_the_bulk_records(
    counted: tuple[str, list[str]], tmp_path: Path
) -> None:
    """Home, /modules, /learning and a module page: who is signed in, then one query for the
    learner's records (home: and the 3-minute review's two reads). They must say what the
    supervisor's bulk records say."""
    base, statements = counted
    with httpx.Client(base_url=base) as client:
        email = register(client)
        finish_module(client)  # progress, a completion and a certificate to read back
        second = course_module(SECOND_MODULE)
        lesson = second.lessons[0]
        page = client.get(f"/modules/{second.slug}/{lesson.slug}").text
        key = re.search(r'name="form_key" value="([0-9a-f]+)"', page).group(1)
        client.post(
            f"/modules/{second.slug}/{lesson.slug}/questions/{lesson.questions[0].id}",
            data={"csrf_token": csrf(client, "/"), "answer": "a", "form_key": key},
            headers={"HX-Request": "true"},
        )
        client.get("/")  # the 3-minute review folds the new answers into cards (writes once)
        for path in ("/", "/modules", "/learning", f"/modules/{MODULE.slug}"):
            statements.clear()
            assert client.get(path).status_code == 200
            # Home adds the review's two reads: answers not yet in a card, and the cards.
            assert len(queries(statements)) <= (4 if path == "/" else 2), (path, statements)
            if path == "/":
                assert statements.count(COMMIT) == 0, statements  # nothing new: no write
    engine = make_engine(f"sqlite:///{tmp_path / 'count.db'}")
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        own = learner_records(db, user, CATALOG)
        bulk = records_for(db, [user], CATALOG)[user.id]
    engine.dispose()
    fields = ("status", "lessons_done", "score", "certificate_id", "completed_lessons",
              "started_lessons", "last_activity", "completed_at", "content_version")  # fmt: skip
    assert own[MODULE.slug].passed and own[second.slug].started_lessons
    for slug in own:
        assert {f: getattr(own[slug], f) for f in fields} == {
            f: getattr(bulk[slug], f) for f in fields
        }, slug
