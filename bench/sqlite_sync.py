"""What `synchronous=FULL` would cost SQLite's answer commits, against the `NORMAL` app/db.py sets.

Commits one answer at a time (as the answer POST does: one INSERT, one transaction) into a fresh,
migrated database with the app's engine, once per setting, and prints commits per second and the
median and p99 commit time. In WAL mode NORMAL syncs the WAL only at checkpoints and FULL syncs it
at every commit; both survive a killed process (bench/crash_safety.py), only FULL also keeps the
last commits through a power cut.

    .venv/bin/python -m bench.sqlite_sync [--commits 2000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, insert

from app.db import make_engine
from app.migrate import upgrade
from app.models import Attempt, User
from app.models.content import utcnow
from bench.harness import percentile


def commit_times(url: str, synchronous: str, commits: int) -> list[float]:
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _override(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")  # after app/db.py's own

    with engine.begin() as conn:
        user_id = conn.execute(
            insert(User).values(email=f"{synchronous}@bench.example", name="B", password_hash="x")
        ).inserted_primary_key[0]
    with engine.connect() as conn:  # 1 is NORMAL, 2 is FULL
        level = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        assert level == {"NORMAL": 1, "FULL": 2}[synchronous], level
    times = []
    for n in range(commits):
        row = {"user_id": user_id, "module_slug": "m", "lesson_slug": "l", "question_id": "q",
               "content_version": "v", "answer": "a", "correct": True,
               "form_key": f"{synchronous}-{n:016d}", "created_at": utcnow()}  # fmt: skip
        start = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(Attempt).values(**row))
        times.append(time.perf_counter() - start)
    engine.dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for synchronous in ("NORMAL", "FULL", "NORMAL", "FULL"):
            url = f"sqlite:///{Path(tmp) / f'sync-{synchronous}-{time.monotonic_ns()}.db'}"
            upgrade(url)
            times = commit_times(url, synchronous, args.commits)
            print(
                f"synchronous={synchronous:<6} {len(times) / sum(times):>8,.0f} commits/s,"
                f" median {percentile(times, 0.5) * 1000:.2f} ms,"
                f" p99 {percentile(times, 0.99) * 1000:.2f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
