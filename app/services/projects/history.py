"""A project's history: one `project_event` row per meaningful change, written in the same
transaction as the change, and read back newest first with the names of who did it.

Other parts of the project (drivers, measures, PDSA, evidence) add their own actions; an action
this module has no phrase for is shown as its own name, so nothing is ever hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.models import ProjectEvent, User

HISTORY_LIMIT = 200  # the page shows the latest; the evidence pack reads its own

PHRASES = {
    "created": "started the project",
    "edited": "edited",
    "member_added": "added to the team",
    "invited": "invited",
    "invite_accepted": "joined the team by invitation",
    "invite_cancelled": "withdrew an invitation to",
    "member_removed": "removed from the team",
    "role_changed": "changed a role:",
    "left": "left the team",
    "reflection_added": "added a reflection",
    "reflection_deleted": "deleted a reflection",
    "handover_offered": "offered the lead to",
    "handover_cancelled": "cancelled the handover to",
    "handover_declined": "declined the lead",
    "handover_accepted": "took over as lead from",
}


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str  # the name, or "Someone" once an account is erased
    action: str
    phrase: str
    detail: str


def record(db: Session, project_id: int, actor: User | None, action: str, detail: str = "") -> None:
    """Add an event; the caller commits it with the change it records."""
    db.add(
        ProjectEvent(
            project_id=project_id,
            actor_id=actor.id if actor else None,
            action=action[:60],
            detail=detail[:400],
        )
    )


def events(db: Session, project_id: int, limit: int = HISTORY_LIMIT) -> list[EventView]:
    """The latest events with their actors' names: one query (an outer join)."""
    rows = db.exec(
        select(ProjectEvent, User.name)
        .outerjoin(User, col(User.id) == ProjectEvent.actor_id)
        .where(ProjectEvent.project_id == project_id)
        .order_by(col(ProjectEvent.at).desc(), col(ProjectEvent.id).desc())
        .limit(limit)
    ).all()
    return [
        EventView(e.at, name or "Someone", e.action, PHRASES.get(e.action, e.action), e.detail)
        for e, name in rows
    ]
