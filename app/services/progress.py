"""Attempts and progress: what a learner answered, which lessons are done, where to carry on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.catalog import Catalog
from app.catalog.schema import Lesson, Module, Question
from app.models import Attempt, LessonProgress, User
from app.models.content import utcnow
from app.services.grading import Result


@dataclass(frozen=True)
class LessonState:
    answered: frozenset[str]  # question ids with at least one attempt
    first_correct: frozenset[str]  # question ids right at the first attempt
    progress: LessonProgress | None

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    done: int
    total: int
    score: int | None  # mean score of completed lessons
    last_activity: datetime | None
    completed_lessons: frozenset[str]
    started_lessons: frozenset[str]

    @property
    def status(self) -> str:
        if self.done == self.total:
            return "Completed"
        return "In progress" if self.started_lessons else "Not started"


def record_attempt(
    db: Session, user: User, module: Module, lesson: Lesson, result: Result, form_key: str
) -> Attempt:
    """Store one attempt; a repeated form_key (double click, retry) returns the stored one."""
    attempt = Attempt(
        user_id=user.id,
        module_slug=module.slug,
        lesson_slug=lesson.slug,
        question_id=result.question.id,
        content_version=lesson.version,
        answer=result.keys,
        correct=result.correct,
        form_key=form_key,
    )
    db.add(attempt)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        existing = db.exec(
            select(Attempt).where(Attempt.user_id == user.id, Attempt.form_key == form_key)
        ).one()
        return existing
    _touch_progress(db, user, module, lesson)
    return attempt


def _touch_progress(db: Session, user: User, module: Module, lesson: Lesson) -> None:
    row = _progress_row(db, user, module, lesson)
    now = utcnow()
    if row is None:
        row = LessonProgress(
            user_id=user.id,
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            content_version=lesson.version,
            started_at=now,
        )
    row.last_activity_at = now
    db.add(row)
    try:
        db.commit()
    except IntegrityError:  # two first answers at once: the other request made the row
        db.rollback()


def _progress_row(db: Session, user: User, module: Module, lesson: Lesson) -> LessonProgress | None:
    return db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id,
            LessonProgress.module_slug == module.slug,
            LessonProgress.lesson_slug == lesson.slug,
        )
    ).first()


def lesson_state(db: Session, user: User, module: Module, lesson: Lesson) -> LessonState:
    """Two indexed queries: this learner's attempts in the lesson, and its progress row."""
    rows = db.exec(
        select(Attempt.question_id, Attempt.correct)
        .where(
            Attempt.user_id == user.id,
            Attempt.module_slug == module.slug,
            Attempt.lesson_slug == lesson.slug,
        )
        .order_by(Attempt.created_at, Attempt.id)
    ).all()
    first: dict[str, bool] = {}
    for question_id, correct in rows:
        first.setdefault(question_id, correct)
    current = {q.id for q in lesson.questions}
    return LessonState(
        answered=frozenset(first) & current,
        first_correct=frozenset(q for q, ok in first.items() if ok) & current,
        progress=_progress_row(db, user, module, lesson),
    )


def unanswered(lesson: Lesson, state: LessonState) -> list[Question]:
    return [q for q in lesson.questions if q.id not in state.answered]


def complete_lesson(
    db: Session, user: User, module: Module, lesson: Lesson
) -> tuple[LessonProgress | None, list[Question]]:
    """Mark a lesson done once every question is answered; the score is first-attempt right."""
    state = lesson_state(db, user, module, lesson)
    missing = unanswered(lesson, state)
    if missing:
        return None, missing
    row = state.progress or LessonProgress(
        user_id=user.id,
        module_slug=module.slug,
        lesson_slug=lesson.slug,
        content_version=lesson.version,
    )
    if row.completed_at is None:
        total = len(lesson.questions)
        row.score = round(100 * len(state.first_correct) / total) if total else 100
        row.completed_at = utcnow()
        row.content_version = lesson.version
    row.last_activity_at = utcnow()
    db.add(row)
    db.commit()
    return row, []


def module_statuses(db: Session, user: User | None, catalog: Catalog) -> dict[str, ModuleStatus]:
    """Every module's progress for one learner, from a single query."""
    rows = (
        db.exec(select(LessonProgress).where(LessonProgress.user_id == user.id)).all()
        if user
        else []
    )
    by_module: dict[str, list[LessonProgress]] = {}
    for row in rows:
        by_module.setdefault(row.module_slug, []).append(row)
    statuses = {}
    for module in catalog.modules:
        lesson_slugs = {lesson.slug for lesson in module.lessons}
        mine = [r for r in by_module.get(module.slug, []) if r.lesson_slug in lesson_slugs]
        done = [r for r in mine if r.completed_at is not None]
        scores = [r.score for r in done if r.score is not None]
        statuses[module.slug] = ModuleStatus(
            module=module,
            done=len(done),
            total=len(module.lessons),
            score=round(sum(scores) / len(scores)) if scores else None,
            last_activity=max((r.last_activity_at for r in mine), default=None),
            completed_lessons=frozenset(r.lesson_slug for r in done),
            started_lessons=frozenset(r.lesson_slug for r in mine),
        )
    return statuses


def continue_target(
    catalog: Catalog, statuses: dict[str, ModuleStatus]
) -> tuple[Module, Lesson] | None:
    """The next unfinished lesson in the most recently active module, then in later modules."""
    active = [s for s in statuses.values() if s.last_activity is not None]
    if not active:
        return None
    latest = max(active, key=lambda s: s.last_activity)  # type: ignore[arg-type, return-value]
    modules = list(catalog.modules)
    start = modules.index(latest.module)
    for module in modules[start:] + modules[:start]:
        done = statuses[module.slug].completed_lessons
        for lesson in module.lessons:
            if lesson.slug not in done:
                return module, lesson
    return None
