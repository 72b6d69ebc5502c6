"""Export benchmark: rows per second and peak memory for 100 and for 100,000 rows.

Streaming keeps memory flat: learners are read BATCH (200) at a time and rows sent in chunks of
1,000, so the peak grows until a page of learners is in and then stays put: 1,000 and 100,000
rows peak alike (about 5-8 MB). Measured on the 2-core development machine, 100,000 rows (50,000
learners x 2 modules, every lesson done, no answers): CSV and JSON about 25,000-34,000 rows/s,
from 10,000-11,000 before (issue 9's budget of 100,000 is not met yet: see the exports note in
docs/architecture.md). `--answers N` also stores N answers per lesson for each learner, as a
cohort that has really answered questions does; each answer is a moment time spent is measured
from, so those rows cost more.
Run: .venv/bin/python bench/export_bench.py [--rows 100000] [--answers 4]. It builds a throwaway
SQLite database in a temporary folder; nothing here is part of `make test`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.config import PROJECT_ROOT
from app.db import make_engine
from app.migrate import upgrade
from app.models import Attempt, LessonProgress, Role, User
from app.models.content import utcnow
from app.services.exports import ExportRequest, stream_export

CHUNK = 5000


def seed(url: str, learners: int, answers: int = 0) -> None:
    catalog = load_catalog(PROJECT_ROOT / "content")
    engine = make_engine(url)
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            insert(User),
            [
                {
                    "email": "supervisor@example.nhs.uk",
                    "name": "Bench Supervisor",
                    "password_hash": "x",
                    "role": Role.supervisor.value,
                    "grade": "other",
                    "profession": "",
                    "organisation": "",
                    "regulator_number": "",
                    "created_at": now,
                }
            ],
        )
        for start in range(0, learners, CHUNK):
            ids = range(start, min(start + CHUNK, learners))
            conn.execute(
                insert(User),
                [
                    {
                        "email": f"learner{i}@example.nhs.uk",
                        "name": f"Learner {i}",
                        "password_hash": "x",
                        "role": "trainee",
                        "grade": "F1",
                        "profession": "Doctor",
                        "organisation": "Bench Trust",
                        "regulator_number": f"{7000000 + i}",
                        "created_at": now,
                    }
                    for i in ids
                ],
            )
            conn.execute(
                insert(LessonProgress),
                [
                    {
                        "user_id": i + 2,
                        "module_slug": module.slug,
                        "lesson_slug": lesson.slug,
                        "content_version": lesson.version,
                        "started_at": now - timedelta(minutes=30),
                        "last_activity_at": now,
                        "completed_at": now,
                        "score": 80,
                    }
                    for i in ids
                    for module in catalog.modules
                    for lesson in module.lessons
                ],
            )
            if answers:
                conn.execute(
                    insert(Attempt),
                    [
                        {
                            "user_id": i + 2,
                            "module_slug": module.slug,
                            "lesson_slug": lesson.slug,
                            "question_id": f"q{n}",
                            "content_version": lesson.version,
                            "answer": "a",
                            "correct": True,
                            "form_key": f"{module.slug}-{lesson.slug}-{n}",
                            "created_at": now - timedelta(minutes=29 - n),
                        }
                        for i in ids
                        for module in catalog.modules
                        for lesson in module.lessons
                        for n in range(answers)
                    ],
                )
    engine.dispose()


def run(rows_wanted: int, answers: int = 0) -> None:
    catalog = load_catalog(PROJECT_ROOT / "content")
    learners = max(1, rows_wanted // len(catalog.modules))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        seed(url, learners, answers)
        engine = make_engine(url)
        with Session(engine) as db:
            actor = db.exec(select(User).where(User.role == Role.supervisor)).one()
        users = select(User).where(User.role == "trainee")
        for fmt in ("csv", "json"):
            request = ExportRequest(users, "bench", fmt)
            # Time without tracemalloc (it slows Python down), then measure memory separately.
            started = time.perf_counter()
            size = sum(len(c) for c in stream_export(engine, request, catalog, "http://b", actor))
            elapsed = time.perf_counter() - started
            tracemalloc.start()
            for _ in stream_export(engine, request, catalog, "http://b", actor):
                pass
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rows = learners * len(catalog.modules)
            print(
                f"{fmt:4} {rows:>7,} rows  {rows / elapsed:>9,.0f} rows/s  "
                f"{size / 1e6:7.1f} MB out  peak memory {peak / 1e6:6.1f} MB"
            )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="*", default=[100, 1_000, 100_000])
    parser.add_argument("--answers", type=int, default=0, help="answers per lesson per learner")
    args = parser.parse_args()
    for rows in args.rows:
        run(rows, args.answers)


if __name__ == "__main__":
    main()
