"""What learners did: every answer, and each lesson's progress. Rows keep the content version."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from app.models.content import utcnow


class Attempt(SQLModel, table=True):
    """One answer to one question. `form_key` makes a double-submitted form store one row."""

    __table_args__ = (
        UniqueConstraint("user_id", "form_key"),
        Index("ix_attempt_user_lesson", "user_id", "module_slug", "lesson_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    question_id: str = Field(max_length=80)
    content_version: str = Field(max_length=64)
    # The answer as grading.Result.keys encodes it per type: option keys "a,c", "true", a
    # number "62.5", a short text as typed, ordering keys "b,a,c", matching pairs "a=1,b=3".
    answer: str = Field(max_length=400)
    correct: bool
    form_key: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)


class LessonProgress(SQLModel, table=True):
    """A learner's state in one lesson: started, last active, and completed with a score."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "lesson_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    content_version: str = Field(max_length=64)  # the version completed (or last seen)
    started_at: datetime = Field(default_factory=utcnow)
    last_activity_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    score: int | None = None  # percent of questions right at the first attempt
    # A retake counts only answers from this moment on; earlier attempts stay in the record.
    attempts_since: datetime | None = None
    retakes: int = 0  # how often the module was retaken: exports count module attempts from it


class LessonCompletion(SQLModel, table=True):
    """Each time a learner marks a lesson done, with the version and score it was done against.
    Rows are only ever added: a redo after a major change adds one and keeps the old one."""

    __tablename__ = "lesson_completion"
    __table_args__ = (
        Index("ix_lesson_completion_user_lesson", "user_id", "module_slug", "lesson_slug"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    content_version: str = Field(max_length=64)
    score: int
    completed_at: datetime = Field(default_factory=utcnow)


class ScenarioRun(SQLModel, table=True):
    """A learner's path through one scenario: the choice indices taken from its start ("0,2,1").
    Replaying them rebuilds where they are, so any device carries on from the same step. A
    choice is stored with `UPDATE ... WHERE choices = :expected`, so a double submit or a stale
    second device cannot fork the path. `finished_at` is the first time an ending was reached
    (a restart keeps it: the lesson's completion counts it)."""

    __tablename__ = "scenario_run"
    __table_args__ = (UniqueConstraint("user_id", "module_slug", "lesson_slug", "scenario_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    scenario_id: str = Field(max_length=80)
    content_version: str = Field(max_length=64)
    choices: str = Field(default="", max_length=2000)
    started_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    reflection: str = Field(default="", max_length=2000)
