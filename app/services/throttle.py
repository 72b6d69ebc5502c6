"""Throttle password guessing: too many failures for an account or an address locks both out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, delete, select

from app.config import Settings
from app.models import LoginFailure
from app.models.content import utcnow


def is_throttled(db: Session, email: str, address: str, settings: Settings) -> bool:
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    by_email, by_address = db.exec(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count().filter(LoginFailure.address == address),
        ).where(
            LoginFailure.at >= since,
            or_(LoginFailure.email == email, LoginFailure.address == address),
        )
    ).one()
    limit = settings.login_max_failures
    return by_email >= limit or by_address >= limit


def record_failure(db: Session, email: str, address: str, settings: Settings) -> None:
    db.add(LoginFailure(email=email, address=address))
    # Forget failures older than the window so the table stays small.
    old = utcnow() - timedelta(minutes=settings.login_window_minutes)
    db.exec(delete(LoginFailure).where(LoginFailure.at < old))
    db.commit()
