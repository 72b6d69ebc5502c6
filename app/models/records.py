"""Evidence: module completions, signed certificates, reflections and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.models.content import utcnow


class ModuleCompletion(SQLModel, table=True):
    """A module passed: every lesson done and the score at or above the pass mark.

    `lesson_versions` keeps the content versions it was made against (JSON: slug -> version), so
    a later edit to a lesson never rewrites what a trainee completed.
    """

    __tablename__ = "module_completion"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    module_version: str = Field(max_length=64)
    lesson_versions: str
    score: int
    pass_mark: int
    completed_at: datetime = Field(default_factory=utcnow)


class Certificate(SQLModel, table=True):
    """A signed statement of a completion. `payload` is exactly the bytes that were signed."""

    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", name="uq_certificate_user_module"),
    )

    id: str = Field(primary_key=True, max_length=32)  # public, unguessable
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    payload: str
    signature: str = Field(max_length=200)  # base64 Ed25519 signature of payload
    issued_at: datetime = Field(default_factory=utcnow)
    revoked_at: datetime | None = None
    revoked_reason: str = Field(default="", max_length=300)


class Reflection(SQLModel, table=True):
    """A learner's own note on a lesson: what they will try on their ward."""

    __table_args__ = (UniqueConstraint("user_id", "module_slug", "lesson_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    text: str = Field(max_length=4000)
    updated_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who did what to whose data: every export, refused look-up and revocation."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    actor_role: str = Field(max_length=20)
    action: str = Field(max_length=40)
    scope: str = Field(max_length=200)
    rows: int | None = None
    sha256: str | None = Field(default=None, max_length=64)
    detail: str = Field(default="", max_length=500)
