"""Crash safety: the server is killed with SIGKILL during an answer load and restarted, again and
again. The database stays sound and every answer that got a 2xx is stored as it was sent.

The work is bench/crash_safety.py (`make bench-crash` runs it with 20 kills and two worker
processes and prints the figures); here it runs with fewer kills and one worker, on SQLite and
PostgreSQL, so CI holds the figure without taking minutes per backend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.migrate import upgrade
from bench.crash_safety import run
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
