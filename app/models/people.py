"""People and their sign-in state: users, server-side sessions and failed logins."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.models.content import utcnow


class Role(StrEnum):
    trainee = "trainee"
    educator = "educator"
    supervisor = "supervisor"
    admin = "admin"


class Grade(StrEnum):
    f1 = "F1"
    f2 = "F2"
    ct = "CT"
    st = "ST"
    nurse = "nurse"
    ahp = "AHP"
    other = "other"


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-cased
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    role: Role = Field(default=Role.trainee, sa_type=String(20))  # plain text, no DB enum
    profession: str = Field(default="", max_length=100)
    grade: Grade = Field(default=Grade.other, sa_type=String(10))
    organisation: str = Field(default="", max_length=200)
    regulator_number: str = Field(default="", max_length=40)  # GMC, NMC or HCPC number
    created_at: datetime = Field(default_factory=utcnow)


class UserSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "user_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)


class LoginFailure(SQLModel, table=True):
    """One failed sign-in, counted per account and per address to throttle guessing."""

    __tablename__ = "login_failure"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class RegistrationAttempt(SQLModel, table=True):
    """One account-creation attempt, counted per address so one machine cannot mint accounts."""

    __tablename__ = "registration_attempt"

    id: int | None = Field(default=None, primary_key=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)


class PasswordReset(SQLModel, table=True):
    """A single-use reset link. The email holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "password_reset"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    # The admin who issued it, for trusts that block outside email; empty when the user asked.
    issued_by: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
