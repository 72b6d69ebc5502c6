"""Crash safety: the server is killed with SIGKILL during an answer load and restarted, again and
again. The database stays sound and every answer that got a 2xx is stored as it was sent.

The work is bench/crash_safety.py (`make bench-crash` runs it with 20 kills and two worker
processes and prints the figures); here it runs with fewer kills and one worker, on SQLite and
PostgreSQL, so CI holds the figure without taking minutes per backend.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert

from app.db import make_engine
from app.migrate import upgrade
from app.models import Attempt, User
from bench.crash_safety import database_problems, run
from tests.databases import fresh_database

KILLS = 8
CLIENTS = 6


@pytest.mark.slow
def test_every_answer_confirmed_before_a_kill_is_stored_and_the_database_stays_sound(
    backend: str, tmp_path: Path
) -> None:
    with fresh_database(backend, tmp_path) as url:
        upgrade(url)
        report = run(url, kills=KILLS, clients=CLIENTS, workers=1)
    print("\n".join(report.lines()))
    assert report.kills == KILLS
    assert report.confirmed >= KILLS * CLIENTS  # each life served answers before its kill
    assert report.cut_off > 0  # the kills landed while answers were in flight
    assert report.problems == []  # integrity_check (SQLite), every answer with its progress row
    assert report.refused == 0
    assert report.lost == 0
    assert report.altered == 0
    assert report.unconfirmed_stored == 0  # every cut-off answer was sent again and confirmed


def test_the_checks_after_each_kill_see_a_torn_transaction_and_a_corrupt_file(
    tmp_path: Path,
) -> None:
    """The checks above can fail: an answer without its progress row (half a transaction) and a
    file with a clobbered page are both reported."""
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    assert database_problems(engine, url) == []
    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User).values(email="a@example.nhs.uk", name="A", password_hash="x")
        ).inserted_primary_key[0]
        conn.execute(
            insert(Attempt),
            [{"user_id": user_id, "module_slug": "m", "lesson_slug": "l", "question_id": "q",
              "content_version": "v", "answer": "a", "correct": True, "form_key": f"{n:016d}"}
             for n in range(400)],
        )  # fmt: skip
    assert database_problems(engine, url) == ["400 answers without their progress row"]
    engine.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'attempt'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size  # the attempt table's first page, clobbered
    data[start : start + 512] = b"\xab" * 512
    path.write_bytes(bytes(data))
    engine = make_engine(url)
    problems = database_problems(engine, url)
    engine.dispose()
    assert problems and problems != ["400 answers without their progress row"]
