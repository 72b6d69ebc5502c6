"""The audit trail: refusals and changes to accounts, written in the same transaction as the
change they record (or on their own for a refusal, which changes nothing else)."""

from __future__ import annotations

from sqlmodel import Session

from app.models import AuditEvent, User


def record(db: Session, actor: User | None, action: str, scope: str, detail: str = "") -> None:
    """Add a row; the caller commits (with its change, or alone for a refusal)."""
    db.add(
        AuditEvent(
            actor_id=actor.id if actor else None,
            actor_role=str(actor.role) if actor else "anonymous",
            action=action,
            scope=scope[:200],
            detail=detail[:500],
        )
    )


def refused(db: Session, actor: User | None, scope: str, status: int) -> None:
    """Someone asked for what is not theirs: a role's page (403) or another's record (404)."""
    record(db, actor, "forbidden", scope, f"answered {status}")
    db.commit()
