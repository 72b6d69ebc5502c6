"""What content versions have been served, so records can always name what a learner saw."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class LessonVersion(SQLModel, table=True):
    """One row per lesson per content version ever loaded; never rewritten by a later edit."""

    __tablename__ = "lesson_version"
    __table_args__ = (UniqueConstraint("module_slug", "lesson_slug", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    version: str = Field(max_length=64)
    title: str = Field(max_length=300)
    question_ids: str = Field(default="", max_length=4000)  # space-separated, in order
    first_loaded_at: datetime = Field(default_factory=utcnow)
