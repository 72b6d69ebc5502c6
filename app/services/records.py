"""A learner's record per module, computed in bulk for many learners with a handful of queries.

The dashboard, the exports and a trainee's own download all read records from here, so one set of
rules decides status, score and pass or fail.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import Lesson, Module
from app.models import Attempt, Certificate, LessonProgress, ModuleCompletion, User
from app.models.content import as_utc

TIME_CAP = 3  # a lesson's counted time is at most 3 x its estimated minutes


@dataclass
class ModuleRecord:
    module: Module
    lessons_done: int = 0
    started_at: datetime | None = None
    last_activity: datetime | None = None
    completed_at: datetime | None = None  # set only when the module is passed
    score: int | None = None
    attempts: int = 0
    minutes_spent: int = 0
    content_version: str = ""
    outcomes_achieved: list[str] = field(default_factory=list)
    certificate_id: str | None = None
    completed_lessons: set[str] = field(default_factory=set)
    started_lessons: set[str] = field(default_factory=set)
    scored_lessons: list[int] = field(default_factory=list, repr=False)

    @property
    def lessons_total(self) -> int:
        return len(self.module.lessons)

    @property
    def passed(self) -> bool:
        return self.completed_at is not None

    @property
    def status(self) -> str:
        if self.passed:
            return "Completed"
        if self.lessons_done == self.lessons_total:
            return "Below pass mark"
        return "In progress" if self.started_at else "Not started"

    @property
    def result(self) -> str:
        """Pass or fail once every lesson is done; empty before that."""
        if self.passed:
            return "pass"
        return "fail" if self.lessons_done == self.lessons_total else ""


def module_score(scores: Sequence[int | None]) -> int | None:
    present = [s for s in scores if s is not None]
    return round(sum(present) / len(present)) if present else None


def records_for(
    db: Session, users: Sequence[User], catalog: Catalog
) -> dict[int, dict[str, ModuleRecord]]:
    """user id -> module slug -> record, for every module, from four queries in all."""
    ids = [u.id for u in users]
    out: dict[int, dict[str, ModuleRecord]] = {
        uid: {m.slug: ModuleRecord(m, content_version=m.version) for m in catalog.modules}
        for uid in ids
    }
    if not ids:
        return out
    # Plain rows, not ORM objects: an export reads hundreds of thousands of these.
    progress = select(
        LessonProgress.user_id,
        LessonProgress.module_slug,
        LessonProgress.lesson_slug,
        LessonProgress.started_at,
        LessonProgress.last_activity_at,
        LessonProgress.completed_at,
        LessonProgress.score,
    ).where(col(LessonProgress.user_id).in_(ids))
    for row in db.exec(progress):
        _add_progress(out[row.user_id], row, catalog)
    for user_id, slug, count in db.exec(
        select(Attempt.user_id, Attempt.module_slug, func.count())
        .where(col(Attempt.user_id).in_(ids))
        .group_by(Attempt.user_id, Attempt.module_slug)
    ):
        if slug in out[user_id]:
            out[user_id][slug].attempts = count
    for done in db.exec(select(ModuleCompletion).where(col(ModuleCompletion.user_id).in_(ids))):
        record = out[done.user_id].get(done.module_slug)
        if record is not None:
            record.completed_at = as_utc(done.completed_at)
            record.score = done.score
            record.content_version = done.module_version
    for cert_id, user_id, slug in db.exec(
        select(Certificate.id, Certificate.user_id, Certificate.module_slug).where(
            col(Certificate.user_id).in_(ids), col(Certificate.revoked_at).is_(None)
        )
    ):
        if slug in out[user_id]:
            out[user_id][slug].certificate_id = cert_id
    return out


def _add_progress(records: dict[str, ModuleRecord], row: Any, catalog: Catalog) -> None:
    record = records.get(row.module_slug)
    module = catalog.module(row.module_slug)
    lesson = module.lesson(row.lesson_slug) if module else None
    if record is None or lesson is None:
        return  # a lesson since removed from the content: nothing current to report
    started, active = as_utc(row.started_at), as_utc(row.last_activity_at)
    record.started_at = min(filter(None, [record.started_at, started]))
    record.last_activity = max(filter(None, [record.last_activity, active]))
    record.started_lessons.add(lesson.slug)
    span = int((active - started).total_seconds() // 60)
    cap = TIME_CAP * lesson.minutes
    if row.completed_at is not None:
        record.lessons_done += 1
        record.completed_lessons.add(lesson.slug)
        record.minutes_spent += min(max(span, lesson.minutes), cap)
        for outcome in lesson.outcome_ids:
            if outcome not in record.outcomes_achieved:
                record.outcomes_achieved.append(outcome)
        if row.score is not None and record.completed_at is None:
            record.scored_lessons.append(row.score)
            record.score = module_score(record.scored_lessons)
    else:
        record.minutes_spent += min(max(span, 0), cap)


def learner_records(db: Session, user: User | None, catalog: Catalog) -> dict[str, ModuleRecord]:
    """One learner's records by module slug; empty for a visitor who is not signed in."""
    return records_for(db, [user], catalog)[user.id] if user else {}


def continue_target(
    catalog: Catalog, records: dict[str, ModuleRecord]
) -> tuple[Module, Lesson] | None:
    """The next unfinished lesson in the most recently active module, then in later modules."""
    active = [r for r in records.values() if r.last_activity is not None]
    if not active:
        return None
    latest = max(active, key=lambda r: r.last_activity)  # type: ignore[arg-type, return-value]
    modules = list(catalog.modules)
    start = modules.index(latest.module)
    for module in modules[start:] + modules[:start]:
        done = records[module.slug].completed_lessons
        for lesson in module.lessons:
            if lesson.slug not in done:
                return module, lesson
    return None


def check_module_completion(db: Session, user: User, module: Module) -> ModuleCompletion | None:
    """Record the module as passed once every lesson is done and the score meets the pass mark."""
    existing = db.exec(
        select(ModuleCompletion).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_slug == module.slug
        )
    ).first()
    if existing is not None:
        return existing
    rows = db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id,
            LessonProgress.module_slug == module.slug,
            col(LessonProgress.completed_at).is_not(None),
        )
    ).all()
    done = {r.lesson_slug: r for r in rows}
    if any(lesson.slug not in done for lesson in module.lessons):
        return None
    score = module_score([done[lesson.slug].score for lesson in module.lessons])
    if score is None or score < module.pass_mark:
        return None
    completion = ModuleCompletion(
        user_id=user.id,
        module_slug=module.slug,
        module_version=module.version,
        lesson_versions=json.dumps(
            {lesson.slug: done[lesson.slug].content_version for lesson in module.lessons},
            sort_keys=True,
        ),
        score=score,
        pass_mark=module.pass_mark,
    )
    db.add(completion)
    db.commit()
    db.refresh(completion)
    return completion
