"""The measurement lab: a learner's saved datasets, their annotations, and drill attempts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.models.content import utcnow


class Dataset(SQLModel, table=True):
    """A series as the learner typed it, so it comes back exactly as they left it."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    chart: str = Field(max_length=10)
    profile: str = Field(max_length=40)
    direction: str = Field(default="neither", max_length=20)
    target_text: str = Field(default="", max_length=40)
    values_text: str
    labels_text: str = ""
    denominators_text: str = ""
    # Freeze, parts and exclusions as typed (1-based point numbers), so they come back as left.
    freeze_text: str = Field(default="", max_length=20)
    parts_text: str = Field(default="", max_length=400)
    exclude_text: str = Field(default="", max_length=400)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Annotation(SQLModel, table=True):
    """A note on one point, e.g. "PDSA 2 started"."""

    __table_args__ = (UniqueConstraint("dataset_id", "point_index"),)

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE")
    point_index: int
    text: str = Field(max_length=200)


class DrillAttempt(SQLModel, table=True):
    """One "Spot the signal" drill: its seed replays the same charts; the answers are scored."""

    __tablename__ = "drill_attempt"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    seed: int
    profile: str = Field(max_length=40)
    answers: str = Field(max_length=200)  # one "s" (signal) or "n" (noise) per chart, in order
    hits: int
    misses: int
    false_alarms: int
    correct_rejections: int
    created_at: datetime = Field(default_factory=utcnow)
