"""Server-side sign-in sessions with idle and absolute timeouts.

Idle timeout: a session unused for `session_idle_minutes` (default 12 hours, a long shift) ends.
Absolute timeout: every session ends `session_absolute_days` (default 7) after sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, delete, select

from app.config import Settings
from app.models import User, UserSession
from app.models.content import as_utc, utcnow
from app.security.tokens import digest, new_token

TOUCH_EVERY = timedelta(minutes=5)  # write last_seen at most this often, not on every request


def start_session(db: Session, user: User, settings: Settings) -> str:
    """Create a session and return the token for the cookie (a new id at every sign-in).

    The user's sessions past the absolute timeout go at the same moment, so abandoned browsers
    never pile up in the table.
    """
    cutoff = utcnow() - timedelta(days=settings.session_absolute_days)
    db.exec(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.created_at < cutoff)
    )
    token = new_token()
    db.add(UserSession(token_hash=digest(token), user_id=user.id))
    db.commit()
    return token


def resolve(db: Session, token: str | None, settings: Settings) -> tuple[User, UserSession] | None:
    """The signed-in user for a cookie token, or None if unknown or expired (expired rows go)."""
    if not token or len(token) > 100:
        return None
    row = db.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == digest(token))
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    if _expired(user_session, now, settings):
        db.delete(user_session)
        db.commit()
        return None
    if now - as_utc(user_session.last_seen_at) > TOUCH_EVERY:
        user_session.last_seen_at = now
        db.add(user_session)
        db.commit()
    return user, user_session


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.exec(delete(UserSession).where(UserSession.token_hash == digest(token)))
        db.commit()


def end_all_sessions(db: Session, user_id: int) -> None:
    db.exec(delete(UserSession).where(UserSession.user_id == user_id))
    db.commit()


def _expired(row: UserSession, now: datetime, settings: Settings) -> bool:
    idle = now - as_utc(row.last_seen_at) > timedelta(minutes=settings.session_idle_minutes)
    total = now - as_utc(row.created_at) > timedelta(days=settings.session_absolute_days)
    return idle or total
