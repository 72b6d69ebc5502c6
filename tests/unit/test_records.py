"""Record rules without HTTP: status, measured time, attempts, content version, outcome order."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.models import Attempt, LessonProgress, User
from app.services.certificates import canonical_json
from app.services.exports import xapi_response
from app.services.progress import retake_module
from app.services.records import (
    ModuleRecord,
    Status,
    active_minutes,
    content_hash,
    records_for,
)
from tests.conftest import CONTENT_DIR, SECOND_MODULE, _empty_learner_tables, course_module

CATALOG = load_catalog(CONTENT_DIR)
MODULE = course_module()
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_time_is_the_sum_of_short_gaps_and_blank_when_nothing_is_measurable() -> None:
    assert active_minutes([]) is None
    assert active_minutes([T0]) is None
    # An answer and its progress row, written in the same request: one action, no span.
    assert active_minutes([T0, T0 + timedelta(milliseconds=40), T0 + timedelta(seconds=1)]) is None
    # 3 minutes, a 2-hour break (left out), then 4 minutes.
    spread = [T0, T0 + minutes(3), T0 + minutes(123), T0 + minutes(125), T0 + minutes(127)]
    assert active_minutes(reversed(spread)) == 7
    # Two moments a long break apart: a span exists, but none of it is known to be activity.
    assert active_minutes([T0, T0 + minutes(90)]) is None


def record(module=MODULE, **fields) -> ModuleRecord:
    return ModuleRecord(module, **fields)


def test_each_status_has_one_meaning() -> None:
    total = len(MODULE.lessons)
    assert record().state is Status.not_started
    assert record(started_at=T0, lessons_done=1).state is Status.in_progress
    assert record(started_at=T0, lessons_done=total, score=50).state is Status.failed
    passed = record(started_at=T0, lessons_done=total, completed_at=T0, score=90)
    assert passed.state is Status.passed and passed.status == "Passed"
    no_mark = dataclasses.replace(MODULE, pass_mark=0)
    done = record(no_mark, started_at=T0, lessons_done=total, completed_at=T0, score=10)
    assert done.state is Status.completed
    assert {str(s) for s in Status} == {
        "not started",
        "in progress",
        "completed",
        "passed",
        "failed",
    }


def test_content_label_is_short_hash_and_newest_lesson_date() -> None:
    r = record()
    first, *rest = MODULE.lessons
    dates = {(MODULE.slug, first.slug, first.version): date(2026, 11, 22)}
    dates |= {(MODULE.slug, lesson.slug, lesson.version): date(2026, 10, 1) for lesson in rest}
    assert r.content_label(dates) == f"{r.content_version[:8]} (2026-11-22)"
    assert r.content_label({}) == r.content_version[:8]


def test_content_hash_matches_what_a_certificate_signs() -> None:
    lessons = {"b": "2" * 64, "a": "1" * 64}
    signed = canonical_json({"module": "m" * 64, "lessons": lessons})
    assert content_hash("m" * 64, lessons) == hashlib.sha256(signed.encode()).hexdigest()


@pytest.fixture
def learner(engine: Engine) -> Iterator[User]:
    with Session(engine) as db:
        user = User(email="records@example.nhs.uk", name="R", password_hash="x")
        db.add(user)
        db.commit()
        db.refresh(user)
        db.expunge(user)
    yield user
    _empty_learner_tables(engine)


def test_records_measure_count_and_order_from_stored_rows(engine: Engine, learner: User) -> None:
    """Lessons done last-first, one retake; answers spread over time with a long break."""
    last, first = MODULE.lessons[-1], MODULE.lessons[0]
    retake = T0 + minutes(200)
    with Session(engine) as db:
        for lesson, start in ((last, T0), (first, T0 + minutes(11))):
            db.add(
                LessonProgress(
                    user_id=learner.id,
                    module_slug=MODULE.slug,
                    lesson_slug=lesson.slug,
                    content_version="old" if lesson is last else lesson.version,
                    started_at=retake if lesson is first else start,
                    last_activity_at=start + minutes(4),
                    completed_at=start + minutes(5),
                    score=100,
                    attempts_since=retake if lesson is first else None,
                    retakes=1 if lesson is first else 0,
                )
            )
        for i, at in enumerate([T0 + minutes(2), T0 + minutes(4), T0 + minutes(12)]):
            db.add(
                Attempt(
                    user_id=learner.id,
                    module_slug=MODULE.slug,
                    lesson_slug=last.slug,
                    question_id=f"q{i}",
                    content_version="v",
                    answer="a",
                    correct=True,
                    form_key=f"k{i}",
                    created_at=at,
                )
            )
        db.commit()
        mine = records_for(db, [learner], CATALOG)[learner.id]
    r = mine[MODULE.slug]
    assert r.answers == 3 and r.attempts == 2  # retaken once
    assert mine[course_module(SECOND_MODULE).slug].attempts == 0
    # Moments 0, 2, 4, 4, 5, 12, 15, 16 and 200 (the retake): 16 minutes, the break left out.
    assert r.minutes_spent == 16
    assert r.minutes_spent != sum(lesson.minutes for lesson in (first, last))
    assert r.started_at == T0
    assert r.outcomes_in_order == [o.id for o in MODULE.outcomes if o.id in r.outcomes_achieved]
    assert r.outcomes_achieved != r.outcomes_in_order  # achieved last-lesson first
    assert r.content_lessons[last.slug] == "old"
    assert r.content_version == content_hash(MODULE.version, r.content_lessons)


def test_every_retake_counts_as_a_module_attempt(engine: Engine, learner: User) -> None:
    """Two retakes below the pass mark: three attempts at the module, not "2 or more"."""
    with Session(engine) as db:
        for lesson in MODULE.lessons:
            db.add(
                LessonProgress(
                    user_id=learner.id,
                    module_slug=MODULE.slug,
                    lesson_slug=lesson.slug,
                    content_version=lesson.version,
                    started_at=T0,
                    last_activity_at=T0 + minutes(3),
                    completed_at=T0 + minutes(4),
                    score=10,
                )
            )
        db.commit()
        counts = [records_for(db, [learner], CATALOG)[learner.id][MODULE.slug].attempts]
        for _ in range(2):
            assert retake_module(db, learner, MODULE, passed=False)
            for row in db.exec(select(LessonProgress)).all():  # finish again, below the mark
                row.completed_at, row.score = T0 + minutes(9), 10
                db.add(row)
            db.commit()
            counts.append(records_for(db, [learner], CATALOG)[learner.id][MODULE.slug].attempts)
    assert counts == [1, 2, 3]


@pytest.mark.parametrize(
    ("kind", "stored", "response"),
    [
        ("single", "b", "b"),
        ("multiple", "a,c", "a[,]c"),
        ("true-false", "true", "true"),
        ("numeric", "62.5", "62.5"),
        ("short-text", "Check, surely", "Check, surely"),
        ("ordering", "b,a,c", "b[,]a[,]c"),
        ("matching", "a=1,b=3", "a[.]1[,]b[.]3"),
    ],
)
def test_xapi_responses_follow_each_interaction_type(kind: str, stored: str, response: str) -> None:
    assert xapi_response(kind, stored) == response
