"""Server-side sign-in sessions with idle and absolute timeouts.

Idle timeout: a session unused for `session_idle_minutes` (default 12 hours, a long shift) ends.
Absolute timeout: every session ends `session_absolute_days` (default 7) after sign-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, delete, select

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


USER_COLUMNS = tuple(User.__table__.columns.keys())  # type: ignore[attr-defined]


def resolve(engine: Engine, token: str | None, settings: Settings) -> User | None:
    """The signed-in user for a cookie token, or None if unknown or expired (expired rows go).

    This runs on every request, so it is one indexed core-SQL join on its own short connection,
    returned to the pool before the route runs; no ORM session or identity map is involved. The
    user comes back detached: a route that changes it re-attaches it with `db.add(user)`.
    """
    if not token or len(token) > 100:
        return None
    token_hash = digest(token)
    now = utcnow()
    query = (
        select(UserSession.created_at, UserSession.last_seen_at, *User.__table__.columns)  # type: ignore[attr-defined]
        .join(User, col(User.id) == UserSession.user_id)
        .where(UserSession.token_hash == token_hash)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
        if row is None:
            return None
        created, last_seen = as_utc(row.created_at), as_utc(row.last_seen_at)
        if _expired(created, last_seen, now, settings):
            conn.execute(delete(UserSession).where(col(UserSession.token_hash) == token_hash))
            conn.commit()
            return None
        if now - last_seen > TOUCH_EVERY:  # at most one write per session every few minutes
            conn.execute(
                update(UserSession)
                .where(col(UserSession.token_hash) == token_hash)
                .where(col(UserSession.last_seen_at) == row.last_seen_at)
                .values(last_seen_at=now)
            )
            conn.commit()
    mapping = row._mapping
    user = User(**{name: mapping[name] for name in USER_COLUMNS})
    make_transient_to_detached(user)
    return user


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.exec(delete(UserSession).where(UserSession.token_hash == digest(token)))
        db.commit()


def end_all_sessions(db: Session, user_id: int) -> None:
    db.exec(delete(UserSession).where(UserSession.user_id == user_id))
    db.commit()


def _expired(created: datetime, last_seen: datetime, now: datetime, settings: Settings) -> bool:
    idle = now - last_seen > timedelta(minutes=settings.session_idle_minutes)
    total = now - created > timedelta(days=settings.session_absolute_days)
    return idle or total
