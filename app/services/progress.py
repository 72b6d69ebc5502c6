"""Attempts and progress: what a learner answered, which lessons are done, where to carry on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Integer,
    String,
    cast,
    literal,
    null,
    or_,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from app.catalog.schema import Lesson, Module, Question
from app.models import Attempt, LessonCompletion, LessonProgress, Reflection, ScenarioRun, User
from app.models.content import utcnow
from app.scenarios.model import Scenario, ScenarioBlock
from app.services.grading import Result
from app.services.records import changes_since, module_score, redoing


@dataclass(frozen=True)
class LessonState:
    answered: frozenset[str]  # question ids with at least one attempt
    first_correct: frozenset[str]  # question ids right at the first attempt
    progress: LessonProgress | None
    latest: dict[str, str] = field(default_factory=dict)  # question id -> attempt.answer
    module_rows: dict[str, LessonProgress] = field(default_factory=dict)  # lesson slug -> row
    reflection: str | None = None  # the learner's note on this lesson
    finished_scenarios: frozenset[str] = frozenset()  # scenario ids in this lesson ever ended

    @property
    def completed(self) -> bool:
        """Done, and not reopened by a redo (a redo shows "Mark lesson as done" again)."""
        return (
            self.progress is not None
            and self.progress.completed_at is not None
            and not self.redoing
        )

    @property
    def redoing(self) -> bool:
        row = self.progress
        return row is not None and redoing(row.completed_at, row.attempts_since)

    def changes_unseen(self, module: Module, lesson: Lesson) -> tuple:
        """The major changes since this learner completed the lesson (records.changes_since)."""
        row = self.progress
        if row is None:
            return ()
        return changes_since(module, lesson, row.completed_at, row.content_version)

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
) -> str:
    """Store one attempt and touch the lesson's progress in ONE transaction, so the learner is
    told "saved" exactly when both are. Returns the stored answer's keys: a repeated form_key
    (double click, retry) stores nothing new and returns the answer stored the first time.

    Both writes are single statements that settle races in the database: the attempt is
    INSERT ... ON CONFLICT DO NOTHING on (user_id, form_key), the progress row an upsert on
    (user_id, module_slug, lesson_slug).
    """
    insert = _dialect_insert(db)
    now = utcnow()
    stored = db.exec(
        insert(Attempt)
        .values(
            user_id=user.id,
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            question_id=result.question.id,
            content_version=lesson.version,
            answer=result.keys,
            correct=result.correct,
            form_key=form_key,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "form_key"])
        .returning(Attempt.answer)
    ).scalar()
    if stored is None:  # a replay: the first submit of this form was stored already
        db.rollback()
        return db.exec(
            select(Attempt.answer).where(Attempt.user_id == user.id, Attempt.form_key == form_key)
        ).one()
    db.exec(
        insert(LessonProgress)
        .values(
            user_id=user.id,
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            content_version=lesson.version,
            started_at=now,
            last_activity_at=now,
        )
        .on_conflict_do_update(
            index_elements=["user_id", "module_slug", "lesson_slug"],
            set_={"last_activity_at": now},
        )
    )
    db.commit()
    return stored


def _dialect_insert(db: Session) -> Callable[..., Any]:
    """INSERT with ON CONFLICT for the backend in use (SQLite and PostgreSQL spell it alike)."""
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def _progress_row(db: Session, user: User, module: Module, lesson: Lesson) -> LessonProgress | None:
    return db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id,
            LessonProgress.module_slug == module.slug,
            LessonProgress.lesson_slug == lesson.slug,
        )
    ).first()


def lesson_state(db: Session, user: User, module: Module, lesson: Lesson) -> LessonState:
    """Everything a lesson page knows about its learner, in ONE indexed query (a UNION ALL):
    their progress rows in the module (one per lesson), their attempts in this lesson since a
    retake (oldest first), their reflection on it and the scenarios in it they have finished.
    Core SQL, no identity map: the lesson page is the hot path. Progress rows come back
    detached, so a writer re-attaches one with add()."""
    rows = db.exec(_state_query(user.id, module.slug, lesson.slug)).all()  # type: ignore[call-overload]
    module_rows: dict[str, LessonProgress] = {}
    first: dict[str, bool] = {}
    latest: dict[str, str] = {}
    reflection = None
    finished: set[str] = set()
    for row in rows:
        if row.kind == "s":
            finished.add(row.text)
        elif row.kind == "p":
            module_rows[row.lesson_slug] = _progress_from(row, user.id, module.slug)
        elif row.kind == "a":
            first.setdefault(row.question_id, bool(row.correct))
            latest[row.question_id] = row.text  # read per type by grading.stored_values
        else:
            reflection = row.text
    current = {q.id for q in lesson.questions}
    return LessonState(
        answered=frozenset(first) & current,
        first_correct=frozenset(q for q, ok in first.items() if ok) & current,
        progress=module_rows.get(lesson.slug),
        latest={q: keys for q, keys in latest.items() if q in current},
        module_rows=module_rows,
        reflection=reflection,
        finished_scenarios=frozenset(finished),
    )


def _state_query(user_id: int, module_slug: str, lesson_slug: str) -> CompoundSelect:
    progress, attempt, note, run = (
        LessonProgress.__table__,  # type: ignore[attr-defined]
        Attempt.__table__,  # type: ignore[attr-defined]
        Reflection.__table__,  # type: ignore[attr-defined]
        ScenarioRun.__table__,  # type: ignore[attr-defined]
    )
    text_null, bool_null = cast(null(), String), cast(null(), Boolean)
    time_null = cast(null(), progress.c.started_at.type)
    since = (
        select(progress.c.attempts_since)
        .where(
            progress.c.user_id == user_id,
            progress.c.module_slug == module_slug,
            progress.c.lesson_slug == lesson_slug,
        )
        .scalar_subquery()
    )
    rows = select(
        literal("p").label("kind"),
        progress.c.lesson_slug,
        progress.c.content_version.label("text"),
        text_null.label("question_id"),
        bool_null.label("correct"),
        progress.c.started_at.label("t1"),
        progress.c.last_activity_at.label("t2"),
        progress.c.completed_at.label("t3"),
        progress.c.attempts_since.label("t4"),
        progress.c.score,
        progress.c.retakes,
        progress.c.id,
    ).where(progress.c.user_id == user_id, progress.c.module_slug == module_slug)
    answers = select(
        literal("a"), attempt.c.lesson_slug, attempt.c.answer, attempt.c.question_id,
        attempt.c.correct, attempt.c.created_at, time_null, time_null, time_null,
        cast(null(), Integer), cast(null(), Integer), attempt.c.id,
    ).where(
        attempt.c.user_id == user_id,
        attempt.c.module_slug == module_slug,
        attempt.c.lesson_slug == lesson_slug,
        or_(since.is_(None), attempt.c.created_at >= since),
    )  # fmt: skip
    reflection = select(
        literal("r"), note.c.lesson_slug, note.c.text, text_null, bool_null, note.c.updated_at,
        time_null, time_null, time_null, cast(null(), Integer), cast(null(), Integer), note.c.id,
    ).where(
        note.c.user_id == user_id,
        note.c.module_slug == module_slug,
        note.c.lesson_slug == lesson_slug,
    )  # fmt: skip
    finished = select(
        literal("s"), run.c.lesson_slug, run.c.scenario_id, text_null, bool_null,
        run.c.finished_at, time_null, time_null, time_null, cast(null(), Integer),
        cast(null(), Integer), run.c.id,
    ).where(
        run.c.user_id == user_id,
        run.c.module_slug == module_slug,
        run.c.lesson_slug == lesson_slug,
        run.c.finished_at.is_not(None),
    )  # fmt: skip
    return union_all(rows, answers, reflection, finished).order_by("kind", "t1", "id")


def _progress_from(row: Any, user_id: int, module_slug: str) -> LessonProgress:
    progress = LessonProgress(
        id=row.id,
        user_id=user_id,
        module_slug=module_slug,
        lesson_slug=row.lesson_slug,
        content_version=row.text,
        started_at=row.t1,
        last_activity_at=row.t2,
        completed_at=row.t3,
        attempts_since=row.t4,
        score=row.score,
        retakes=row.retakes,
    )
    make_transient_to_detached(progress)
    return progress


def resume_point(lesson: Lesson, state: LessonState | None) -> str:
    """Where "Continue" lands in a lesson: nowhere in particular (its top) when nothing is
    answered yet, else the first unanswered question, else the "mark as done" panel. The lesson
    page puts the `#resume` anchor there, from the state it reads anyway."""
    if state is None or not state.answered:
        return ""
    missing = unanswered(lesson, state)
    return f"q-{missing[0].id}" if missing else "lesson-done"


def resume_url(module: Module, lesson: Lesson) -> str:
    """The "Continue" link: no query here, so home and module pages stay cheap."""
    return f"/modules/{module.slug}/{lesson.slug}#resume"


def unanswered(lesson: Lesson, state: LessonState) -> list[Question]:
    return [q for q in lesson.questions if q.id not in state.answered]


def unfinished(lesson: Lesson, state: LessonState) -> list[Scenario]:
    """The lesson's scenarios this learner has never played to an ending."""
    return [
        b.scenario
        for b in lesson.blocks
        if isinstance(b, ScenarioBlock) and b.scenario.id not in state.finished_scenarios
    ]


def complete_lesson(
    db: Session, user: User, module: Module, lesson: Lesson
) -> tuple[LessonProgress | None, list[Question | Scenario]]:
    """Mark a lesson done once every question is answered and every scenario played to an
    ending (what is missing comes back instead); the score is questions right first time."""
    state = lesson_state(db, user, module, lesson)
    missing: list[Question | Scenario] = [*unanswered(lesson, state), *unfinished(lesson, state)]
    if missing:
        return None, missing
    row = state.progress or LessonProgress(
        user_id=user.id,
        module_slug=module.slug,
        lesson_slug=lesson.slug,
        content_version=lesson.version,
    )
    if row.completed_at is None or state.redoing:
        total = len(lesson.questions)
        row.score = round(100 * len(state.first_correct) / total) if total else 100
        row.completed_at = utcnow()
        row.content_version = lesson.version
        db.add(  # the history: an earlier completion, and its version, stays on record
            LessonCompletion(
                user_id=user.id,
                module_slug=module.slug,
                lesson_slug=lesson.slug,
                content_version=lesson.version,
                score=row.score,
                completed_at=row.completed_at,
            )
        )
    row.last_activity_at = utcnow()
    db.add(row)
    db.commit()
    return row, []


def redo_lesson(db: Session, user: User, module: Module, lesson: Lesson) -> bool:
    """Reopen a completed lesson after a major change: answers count from now, and the earlier
    completion (version, score, date) stays on record until the lesson is marked done again.
    Refused (False) when the lesson has no unseen major change. One conditional UPDATE, so a
    double submit reopens it once."""
    state_row = _progress_row(db, user, module, lesson)
    if state_row is None or not changes_since(
        module, lesson, state_row.completed_at, state_row.content_version
    ):
        return False
    if redoing(state_row.completed_at, state_row.attempts_since):
        return True  # already reopened
    db.exec(
        update(LessonProgress)
        .where(
            col(LessonProgress.id) == state_row.id,
            col(LessonProgress.completed_at).is_not(None),
            or_(
                col(LessonProgress.attempts_since).is_(None),
                col(LessonProgress.attempts_since) <= col(LessonProgress.completed_at),
            ),
        )
        .values(attempts_since=utcnow(), last_activity_at=utcnow())
    )
    db.commit()
    return True


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
    retakes = max(row.retakes for row in rows) + 1
    for row in rows:
        row.completed_at = None
        row.score = None
        row.attempts_since = now
        row.started_at = now
        row.retakes = retakes
        db.add(row)
    db.commit()
    return True
