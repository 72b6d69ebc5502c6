"""Attempts and progress: what a learner answered, which lessons are done, where to carry on."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.catalog.schema import Lesson, Module, Question
from app.models import Attempt, LessonProgress, User
from app.models.content import utcnow
from app.services.grading import Result
from app.services.records import module_score


@dataclass(frozen=True)
class LessonState:
    answered: frozenset[str]  # question ids with at least one attempt
    first_correct: frozenset[str]  # question ids right at the first attempt
    progress: LessonProgress | None
    latest: dict[str, tuple[str, ...]] = field(default_factory=dict)  # question id -> keys
    module_rows: dict[str, LessonProgress] = field(default_factory=dict)  # lesson slug -> row

    @property
    def completed(self) -> bool:
        return self.progress is not None and self.progress.completed_at is not None

    def lessons_left(self, module: Module) -> list[Lesson]:
        """The module's lessons not yet marked done, in order."""
        done = {s for s, row in self.module_rows.items() if row.completed_at is not None}
        return [lesson for lesson in module.lessons if lesson.slug not in done]

    def score_so_far(self, module: Module) -> int | None:
        """The mean score of the module's lessons done so far (the module score once all are)."""
        return module_score(
            [
                row.score
                for slug, row in self.module_rows.items()
                if row.completed_at is not None and module.lesson(slug) is not None
            ]
        )


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
    """Two indexed queries: the learner's progress rows in the module (a handful, one per
    lesson), and their attempts in this lesson since a retake, oldest first."""
    rows = db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.module_slug == module.slug
        )
    ).all()
    module_rows = {row.lesson_slug: row for row in rows}
    progress = module_rows.get(lesson.slug)
    query = select(Attempt.question_id, Attempt.correct, Attempt.answer).where(
        Attempt.user_id == user.id,
        Attempt.module_slug == module.slug,
        Attempt.lesson_slug == lesson.slug,
    )
    if progress is not None and progress.attempts_since is not None:
        query = query.where(Attempt.created_at >= progress.attempts_since)
    first: dict[str, bool] = {}
    latest: dict[str, tuple[str, ...]] = {}
    for question_id, correct, answer in db.exec(
        query.order_by(Attempt.created_at, Attempt.id)
    ).all():
        first.setdefault(question_id, correct)
        latest[question_id] = tuple(k for k in answer.split(",") if k)
    current = {q.id for q in lesson.questions}
    return LessonState(
        answered=frozenset(first) & current,
        first_correct=frozenset(q for q, ok in first.items() if ok) & current,
        progress=progress,
        latest={q: keys for q, keys in latest.items() if q in current},
        module_rows=module_rows,
    )


def resume_anchor(lesson: Lesson, state: LessonState) -> str:
    """Where "Continue" opens a lesson: its top when nothing is answered yet, else the first
    unanswered question, else the "mark as done" panel."""
    if not state.answered:
        return ""
    missing = unanswered(lesson, state)
    return f"#q-{missing[0].id}" if missing else "#lesson-done"


def resume_url(db: Session, user: User, module: Module, lesson: Lesson) -> str:
    state = lesson_state(db, user, module, lesson)
    return f"/modules/{module.slug}/{lesson.slug}{resume_anchor(lesson, state)}"


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


def retake_module(db: Session, user: User, module: Module, passed: bool) -> bool:
    """Start a module's lessons again after missing the pass mark; a passed module stays passed."""
    if passed:
        return False
    rows = db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id, LessonProgress.module_slug == module.slug
        )
    ).all()
    if len([r for r in rows if r.completed_at is not None]) < len(module.lessons):
        return False
    now = utcnow()
    for row in rows:
        row.completed_at = None
        row.score = None
        row.attempts_since = now
        row.started_at = now
        db.add(row)
    db.commit()
    return True
