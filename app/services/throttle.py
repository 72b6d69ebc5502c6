"""Throttle password guessing without locking a hospital out.

- Per account: more than `login_max_failures` (10) failures in the window lock that account,
  even for the right password, until the oldest is `login_window_minutes` (15) old.
- Per address: only at a much higher count (`login_max_failures_per_address`, 100), because a
  whole hospital can share one NAT address and one person's typos must not lock everyone out.
- Per account and address pair: after `login_backoff_after` (3) failures, each further try must
  wait 1, 2, 4 ... seconds (at most 60) after the last failure: a short brake on guessing that a
  person retyping a password barely notices.

Counting is atomic without locks: every attempt first records itself (as a failure until the
password proves right) and commits, then counts. Of any number of simultaneous attempts, each
one's count includes itself and all earlier ones, so at most the limit get as far as checking a
password. A right password deletes its own record; a refused attempt removes its own too, so
hammering a locked account does not extend the lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from app.config import Settings
from app.models import LoginFailure, RegistrationAttempt
from app.models.content import as_utc, utcnow

BACKOFF_CAP_SECONDS = 60
EMAIL_MAX = 254  # login_failure.email


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt under way: `refused` says why it may not check a password."""

    row_id: int
    refused: str | None = None
    wait_seconds: int = 0


def begin_attempt(db: Session, email: str, address: str, settings: Settings) -> Attempt:
    # No account's address is longer than the column (254): a longer one is counted clipped,
    # never refused by PostgreSQL with a 500 (SQLite does not enforce the length).
    email = email[:EMAIL_MAX]
    now = utcnow()
    since = now - timedelta(minutes=settings.login_window_minutes)
    db.exec(delete(LoginFailure).where(col(LoginFailure.at) < since))  # keep the table small
    row = LoginFailure(email=email, address=address, at=now)
    db.add(row)
    db.commit()
    by_email, by_address, by_pair, last_pair = db.exec(
        select(
            func.count().filter(LoginFailure.email == email),
            func.count().filter(LoginFailure.address == address),
            func.count().filter(LoginFailure.email == email, LoginFailure.address == address),
            func.max(LoginFailure.at).filter(
                LoginFailure.email == email,
                LoginFailure.address == address,
                LoginFailure.id != row.id,
            ),
        ).where(col(LoginFailure.at) >= since)
    ).one()
    refused, wait = None, 0
    if by_email > settings.login_max_failures:
        refused = "account"
    elif by_address > settings.login_max_failures_per_address:
        refused = "address"
    else:
        earlier = by_pair - 1
        if earlier >= settings.login_backoff_after and last_pair is not None:
            delay = min(2 ** (earlier - settings.login_backoff_after), BACKOFF_CAP_SECONDS)
            left = delay - (now - as_utc(last_pair)).total_seconds()
            if left > 0:
                refused, wait = "backoff", max(1, round(left))
    if refused is not None:
        forget(db, row.id)
    return Attempt(row.id, refused, wait)


def forget(db: Session, row_id: int) -> None:
    """The attempt was not a failure after all (the right password), or was refused."""
    db.exec(delete(LoginFailure).where(col(LoginFailure.id) == row_id))
    db.commit()


def message(attempt: Attempt, settings: Settings) -> str:
    if attempt.refused == "backoff":
        wait = f"{attempt.wait_seconds} seconds"
        return f"Too many failed attempts in a row. Wait {wait}, then try again"
    wait = f"{settings.login_window_minutes} minutes"
    return f"Too many failed attempts. Wait {wait}, then try again"


def begin_registration(db: Session, address: str, settings: Settings) -> int | None:
    """Record an attempt to create an account; None when the address has made too many.

    The same record-then-count order as sign-in, so simultaneous attempts cannot all slip under
    the limit. The caller forgets the record when the form is refused for its content, so only
    accounts created (and attempts in flight) count against a ward's shared address.
    """
    now = utcnow()
    since = now - timedelta(minutes=settings.registration_window_minutes)
    db.exec(delete(RegistrationAttempt).where(col(RegistrationAttempt.at) < since))
    row = RegistrationAttempt(address=address, at=now)
    db.add(row)
    db.commit()
    count = db.exec(
        select(func.count()).where(
            RegistrationAttempt.address == address, col(RegistrationAttempt.at) >= since
        )
    ).one()
    if count > settings.registrations_per_address:
        forget_registration(db, row.id)
        return None
    return row.id


def forget_registration(db: Session, row_id: int | None) -> None:
    db.exec(delete(RegistrationAttempt).where(col(RegistrationAttempt.id) == row_id))
    db.commit()


def registration_message(settings: Settings) -> str:
    return (
        "Too many accounts have been created from this network recently. "
        f"Try again in {settings.registration_window_minutes} minutes"
    )
