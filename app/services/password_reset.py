"""Forgotten passwords: single-use reset links that expire after an hour.

The link carries a random token; `password_reset` keeps only its SHA-256, like sessions. Using a
link is one conditional UPDATE (`... WHERE used_at IS NULL AND expires_at > now`), so of two
racing submits exactly one wins. A reset ends every session of the user and voids their other
links. Requests by email are answered the same whether or not the address has an account: the
route replies at once and `request_by_email` does the work after the response.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, delete, select

from app.config import Settings
from app.models import AuditEvent, PasswordReset, User, UserSession
from app.models.content import utcnow
from app.security.passwords import hash_password, password_problem
from app.security.tokens import digest, new_token
from app.services import audit, mail
from app.services.accounts import find_by_email
from app.services.links import configured_url

logger = logging.getLogger("qiskills.password_reset")
LIFETIME = timedelta(hours=1)
# At most this many emailed links per account in the window; more requests are dropped silently.
MAX_REQUESTS = 3
WINDOW = timedelta(minutes=15)
DEAD_LINK = (
    "This link does not work: it has expired (links last 1 hour), it has been used already, "
    "or it was copied incompletely. Ask for a new one"
)


def reset_path(token: str) -> str:
    return f"/password/reset/{token}"


def reset_link(settings: Settings, token: str) -> str:
    """The link for the command line (no request there: QI_BASE_URL is the base, and without
    it the path alone)."""
    return configured_url(settings, reset_path(token))


def issue(db: Session, user: User, admin: User | None = None, via: str = "") -> str:
    """Store a new link for `user` and return its token. An admin's (or the command line's,
    `via="cli"`) issue is written to the audit trail in the same commit."""
    token, now = new_token(), utcnow()
    db.add(
        PasswordReset(
            token_hash=digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + LIFETIME,
            issued_by=admin.id if admin else None,
        )
    )
    if admin is not None or via:
        db.add(
            AuditEvent(
                actor_id=admin.id if admin else None,
                actor_role=str(admin.role) if admin else via,
                action="password_reset_issued",
                scope=f"user:{user.id}",
            )
        )
    db.commit()
    return token


def too_many_requests(db: Session, user_id: int) -> bool:
    """More emailed links in the last WINDOW than allowed, counting the one just stored; links an
    admin issued do not count. The caller stores its link first and then counts (the sign-in
    throttle's order), so of simultaneous requests the last to commit sees them all and no burst
    sends more than MAX_REQUESTS emails."""
    recent = db.exec(
        select(func.count()).where(
            PasswordReset.user_id == user_id,
            col(PasswordReset.issued_by).is_(None),
            PasswordReset.created_at > utcnow() - WINDOW,
        )
    ).one()
    return recent > MAX_REQUESTS


def request_by_email(
    engine: Engine, settings: Settings, email: str, link: Callable[[str], str]
) -> None:
    """Email a link if `email` has an account and has not asked too often; otherwise nothing.

    Runs after the response (a background task in the threadpool), so neither the answer nor
    its timing depends on whether the account exists, and the event loop never waits for SMTP.
    `link` turns a path into the full URL (links.absolute_url, bound by the route).
    """
    try:
        with Session(engine) as db:
            user = find_by_email(db, email)
            if user is None:
                return
            token = issue(db, user)
            if too_many_requests(db, user.id):
                db.exec(delete(PasswordReset).where(col(PasswordReset.token_hash) == digest(token)))
                db.commit()
                return
            body = _body(user, link(reset_path(token)))
            message = mail.compose(settings, user.email, "Reset your QI Skills password", body)
        mail.deliver(settings, message)
    except Exception:  # nobody is waiting for an answer: say it in the log instead
        logger.exception("Could not send a password reset email")


def _body(user: User, url: str) -> str:
    minutes = int(LIFETIME.total_seconds() // 60)
    return (
        f"Hello {user.name},\n\n"
        "Someone, we hope you, asked to reset the password of your QI Skills account.\n"
        f"Open this link within {minutes} minutes to choose a new password:\n\n"
        f"{url}\n\n"
        "The link works once. If you did not ask, ignore this email: your password stays as "
        "it is.\n"
    )


def usable(db: Session, token: str) -> tuple[PasswordReset, User] | None:
    """The link's row and user while it can still be used; None otherwise (never says why)."""
    if not token or len(token) > 100:
        return None
    return db.exec(
        select(PasswordReset, User)
        .join(User, User.id == PasswordReset.user_id)
        .where(
            PasswordReset.token_hash == digest(token),
            col(PasswordReset.used_at).is_(None),
            PasswordReset.expires_at > utcnow(),
        )
    ).first()


@dataclass
class ResetResult:
    user: User | None = None
    errors: dict[str, str] = field(default_factory=dict)
    dead_link: bool = False


def reset(db: Session, settings: Settings, token: str, new_password: str) -> ResetResult:
    """Set a new password through a link: one transaction that uses the link, changes the
    password, voids the user's other links and ends all their sessions."""
    found = usable(db, token)
    if found is None:
        return ResetResult(dead_link=True)
    _, user = found
    if problem := password_problem(new_password):
        return ResetResult(user=user, errors={"password": problem})
    password_hash = hash_password(new_password, settings.password_profile)  # before the lock
    now = utcnow()
    won = db.exec(
        update(PasswordReset)
        .where(
            col(PasswordReset.token_hash) == digest(token),
            col(PasswordReset.used_at).is_(None),
            col(PasswordReset.expires_at) > now,
        )
        .values(used_at=now)
    ).rowcount
    if won != 1:  # another submit of the same link got there first
        db.rollback()
        return ResetResult(dead_link=True)
    db.exec(
        update(PasswordReset)
        .where(col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    db.exec(delete(UserSession).where(UserSession.user_id == user.id))
    user.password_hash = password_hash
    db.add(user)
    audit.record(db, user, "password_reset_used", f"user:{user.id}")
    db.commit()
    return ResetResult(user=user)


def issue_for_admin(db: Session, admin: User, user_id: int) -> tuple[User, str] | None:
    """The user and the path of a link an admin passes on by hand (for trusts that block
    outside email), or None if there is no such user."""
    user = db.get(User, user_id)
    if user is None:
        return None
    return user, reset_path(issue(db, user, admin=admin))
