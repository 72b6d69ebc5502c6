"""Who may see whose record: direct supervision, invites, and cohorts with their supervisors."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from app.models.content import utcnow


class Supervision(SQLModel, table=True):
    """A supervisor sees a trainee's record while `ended_at` is empty; ended rows are history."""

    __table_args__ = (Index("ix_supervision_pair", "supervisor_id", "trainee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    supervisor_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    trainee_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    ended_by: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")


class Invite(SQLModel, table=True):
    """A single-use code a supervisor gives a trainee; accepting it starts a supervision."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    supervisor_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    cohort_id: int | None = Field(default=None, foreign_key="cohort.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_by: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    used_at: datetime | None = None
    # Who the supervisor meant it for, so the pending list says so; optional.
    invitee_name: str = Field(default="", max_length=200)
    invitee_email: str = Field(default="", max_length=254)


class Cohort(SQLModel, table=True):
    """A group such as "F1 North 2026-27": its supervisors see all its members."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class CohortMember(SQLModel, table=True):
    __tablename__ = "cohort_member"
    __table_args__ = (UniqueConstraint("cohort_id", "trainee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", ondelete="CASCADE")
    trainee_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")


class CohortSupervisor(SQLModel, table=True):
    __tablename__ = "cohort_supervisor"
    __table_args__ = (UniqueConstraint("cohort_id", "supervisor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(foreign_key="cohort.id", ondelete="CASCADE")
    supervisor_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
