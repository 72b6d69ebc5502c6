"""Account deletion (UK GDPR article 17): every registered table's erase handler in one
transaction, then an audit row that says what was erased and not whose account it was."""

from __future__ import annotations

import json

from sqlmodel import Session, col, func, select

from app.config import Settings
from app.models import AuditEvent, Role, User
from app.privacy.export import subject_of
from app.privacy.placeholder import Placeholder
from app.privacy.registry import personal
from app.security.passwords import verify_password

ACTION = "account_erased"
WRONG_PASSWORD = "Your password is not correct"  # nosec B105  # a message
NOT_CONFIRMED = "Tick the box to confirm that you want to delete your account"
ONLY_ADMIN = "You are the only admin: make someone else an admin before deleting your account"


def erase_account(db: Session, user: User) -> dict[str, int]:
    """Erase the account; returns rows touched per table. Commits (one transaction)."""
    subject, placeholder = subject_of(user), Placeholder(str(user.role))
    touched = {name: entry.erase(db, subject, placeholder) for name, entry in personal().items()}
    counts = {name: n for name, n in touched.items() if n}
    db.add(
        AuditEvent(
            actor_id=None,  # the account is gone; its id would only point at the person
            actor_role=subject.role,
            action=ACTION,
            scope="user:erased",
            rows=sum(counts.values()),
            detail=json.dumps(counts, separators=(",", ":"))[:500],
        )
    )
    db.commit()
    return counts


def _only_admin(db: Session, user: User) -> bool:
    if user.role != Role.admin:
        return False
    admins = db.exec(select(func.count()).where(col(User.role) == Role.admin)).one()
    return admins <= 1


def delete_account(
    db: Session, settings: Settings, user: User, password: str, confirmed: bool
) -> dict[str, str]:
    """Check the password and the confirmation, then erase; returns the errors, if any."""
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, password, settings.password_profile):
        errors["password"] = WRONG_PASSWORD
    if not confirmed:
        errors["confirm"] = NOT_CONFIRMED
    if not errors and _only_admin(db, user):
        errors["confirm"] = ONLY_ADMIN
    if not errors:
        erase_account(db, user)
    return errors
