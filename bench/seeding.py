"""Bench data written straight to the database: people, supervision and learning history.

Rows go in with bulk inserts (core SQL), so seeding 10,000 trainees takes seconds, not the hours
that signing each one up over HTTP would take. Everyone shares one real argon2id hash of
PASSWORD, made once, so signing in costs what it costs in production.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import Engine, insert, select

from app.catalog import Catalog
from app.models import Attempt, Cohort, CohortMember, CohortSupervisor, LessonProgress, User
from app.models.content import utcnow
from app.security.passwords import hash_password

PASSWORD = "bench password 2026"
CHUNK = 5000


def user_row(email: str, name: str, role: str, password_hash: str) -> dict[str, object]:
    return {
        "email": email,
        "name": name,
        "password_hash": password_hash,
        "role": role,
        "grade": "F1" if role == "trainee" else "other",
        "profession": "Doctor",
        "organisation": "Bench Trust",
        "regulator_number": "",
        "created_at": utcnow(),
    }


def add_users(engine: Engine, prefix: str, count: int, role: str = "trainee") -> list[int]:
    """`count` users named prefix0..; returns their ids in order."""
    password_hash = hash_password(PASSWORD)
    emails = [f"{prefix}{i}@bench.example.nhs.uk" for i in range(count)]
    with engine.begin() as conn:
        for start in range(0, count, CHUNK):
            rows = [
                user_row(email, f"{prefix.title()} {start + i}", role, password_hash)
                for i, email in enumerate(emails[start : start + CHUNK])
            ]
            conn.execute(insert(User), rows)
        found = dict(conn.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    return [found[email] for email in emails]


def add_cohort(engine: Engine, name: str, supervisor_ids: list[int], trainee_ids: list[int]) -> int:
    with engine.begin() as conn:
        cohort_id = conn.execute(
            insert(Cohort).values(name=name, created_at=utcnow())
        ).inserted_primary_key[0]
        conn.execute(
            insert(CohortSupervisor),
            [{"cohort_id": cohort_id, "supervisor_id": s} for s in supervisor_ids],
        )
        for start in range(0, len(trainee_ids), CHUNK):
            conn.execute(
                insert(CohortMember),
                [
                    {"cohort_id": cohort_id, "trainee_id": t}
                    for t in trainee_ids[start : start + CHUNK]
                ],
            )
    return cohort_id


def add_history(
    engine: Engine, catalog: Catalog, trainee_ids: list[int], attempts: int, seed: int = 1
) -> None:
    """About `attempts` answers spread over the trainees, with progress rows for each lesson."""
    rng = random.Random(seed)
    # Questions answered by picking an option (single, multiple, true-false, signals): enough
    # for history, and their stored answer is an option key.
    lessons = [
        (m, lesson, [q for q in lesson.questions if q.options])
        for m in catalog.modules
        for lesson in m.lessons
        if any(q.options for q in lesson.questions)
    ]
    per_trainee = max(1, attempts // max(1, len(trainee_ids)))
    now = utcnow()
    attempt_rows: list[dict[str, object]] = []
    progress_rows: list[dict[str, object]] = []
    with engine.begin() as conn:
        for user_id in trainee_ids:
            started = now - timedelta(days=rng.randint(1, 200))
            touched = set()
            for n in range(per_trainee):
                module, lesson, questions = lessons[n % len(lessons)]
                question = questions[n % len(questions)]
                key = question.options[rng.randrange(len(question.options))].key
                attempt_rows.append(
                    {
                        "user_id": user_id,
                        "module_slug": module.slug,
                        "lesson_slug": lesson.slug,
                        "question_id": question.id,
                        "content_version": lesson.version,
                        "answer": key,
                        "correct": rng.random() < 0.7,
                        "form_key": f"seed-{user_id}-{n}",
                        "created_at": started + timedelta(minutes=n),
                    }
                )
                touched.add((module.slug, lesson.slug, lesson.version))
            for module_slug, lesson_slug, version in touched:
                progress_rows.append(
                    {
                        "user_id": user_id,
                        "module_slug": module_slug,
                        "lesson_slug": lesson_slug,
                        "content_version": version,
                        "started_at": started,
                        "last_activity_at": started + timedelta(minutes=per_trainee),
                        "completed_at": None,
                        "score": None,
                        "attempts_since": None,
                    }
                )
            if len(attempt_rows) >= CHUNK:
                conn.execute(insert(Attempt), attempt_rows)
                attempt_rows.clear()
            if len(progress_rows) >= CHUNK:
                conn.execute(insert(LessonProgress), progress_rows)
                progress_rows.clear()
        if attempt_rows:
            conn.execute(insert(Attempt), attempt_rows)
        if progress_rows:
            conn.execute(insert(LessonProgress), progress_rows)
