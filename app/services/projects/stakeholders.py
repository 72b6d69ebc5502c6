"""Stakeholders on the power/interest map, and the log of conversations with them.

Lookups carry the project id, so an id from another project is never found. A stakeholder is
changed by whoever added it, or by the project lead (so one whose author left is not stuck).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.diagrams import QUADRANTS, Person, stakeholder_svg
from app.diagrams.stakeholders import Quadrant, quadrant_of
from app.models import Conversation, Project, Stakeholder, User
from app.models.content import utcnow
from app.services.projects import history

LEVELS = ("high", "low")
LIMITS = {"name": 200, "role": 200, "notes": 2000}
MAX_SUMMARY = 4000


@dataclass
class StakeholderInput:
    name: str = ""
    role: str = ""
    power: str = ""
    interest: str = ""
    notes: str = ""

    def problems(self) -> dict[str, str]:
        """Field -> message; empty when the form can be saved."""
        errors: dict[str, str] = {}
        if not self.name.strip():
            errors["name"] = "Enter a name: a person, a role or a group"
        for key, limit in LIMITS.items():
            value = getattr(self, key)
            if len(value) > limit and key not in errors:
                errors[key] = f"Keep this to {limit} characters or fewer (it has {len(value)})"
        if self.power not in LEVELS:
            errors["power"] = "Choose whether their power over the project is high or low"
        if self.interest not in LEVELS:
            errors["interest"] = "Choose whether their interest in the project is high or low"
        return errors


@dataclass(frozen=True)
class LoggedConversation:
    conversation: Conversation
    author: str | None
    stakeholder: str | None


def stakeholders(db: Session, project_id: int) -> list[Stakeholder]:
    return list(
        db.exec(
            select(Stakeholder)
            .where(Stakeholder.project_id == project_id)
            .order_by(col(Stakeholder.name), col(Stakeholder.id))
        ).all()
    )


def stakeholder_in(db: Session, project_id: int, stakeholder_id: int) -> Stakeholder | None:
    return db.exec(
        select(Stakeholder).where(
            Stakeholder.id == stakeholder_id, Stakeholder.project_id == project_id
        )
    ).first()


def may_change(user: User, project: Project, stakeholder: Stakeholder) -> bool:
    return stakeholder.author_id == user.id or project.lead_id == user.id


def grouped(people: list[Stakeholder]) -> list[tuple[Quadrant, list[Stakeholder]]]:
    return [(q, [p for p in people if quadrant_of(p.power, p.interest) is q]) for q in QUADRANTS]


def map_svg(people: list[Stakeholder]) -> str:
    return stakeholder_svg([Person(p.name, p.role, p.power, p.interest) for p in people])


def _apply(stakeholder: Stakeholder, data: StakeholderInput) -> None:
    stakeholder.name = data.name.strip()
    stakeholder.role = data.role.strip()
    stakeholder.power = data.power
    stakeholder.interest = data.interest
    stakeholder.notes = data.notes.strip()


def add_stakeholder(
    db: Session, user: User, project_id: int, data: StakeholderInput
) -> Stakeholder:
    stakeholder = Stakeholder(project_id=project_id, name="", power="", interest="")
    stakeholder.author_id = user.id
    _apply(stakeholder, data)
    db.add(stakeholder)
    history.record(db, project_id, user, "added a stakeholder", stakeholder.name)
    db.commit()
    return stakeholder


def update_stakeholder(
    db: Session, user: User, stakeholder: Stakeholder, data: StakeholderInput
) -> None:
    _apply(stakeholder, data)
    db.add(stakeholder)
    history.record(db, stakeholder.project_id, user, "changed a stakeholder", stakeholder.name)
    db.commit()


def delete_stakeholder(db: Session, user: User, stakeholder: Stakeholder) -> None:
    """Conversations with them stay in the log, no longer linked to a name."""
    history.record(db, stakeholder.project_id, user, "removed a stakeholder", stakeholder.name)
    db.delete(stakeholder)
    db.commit()


def conversations(db: Session, project_id: int) -> list[LoggedConversation]:
    """Newest first, with the author's and stakeholder's names, in one query."""
    author = aliased(User)
    rows = db.exec(
        select(Conversation, author.name, Stakeholder.name)
        .outerjoin(author, col(author.id) == Conversation.author_id)
        .outerjoin(Stakeholder, col(Stakeholder.id) == Conversation.stakeholder_id)
        .where(Conversation.project_id == project_id)
        .order_by(col(Conversation.held_on).desc(), col(Conversation.id).desc())
    ).all()
    return [LoggedConversation(c, a, s) for c, a, s in rows]


def parse_day(text: str) -> date | None:
    """A date as a date field sends it (2026-03-14), or typed day first (14/03/2026)."""
    text = text.strip()
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def conversation_problems(held_on: str, summary: str) -> tuple[date | None, dict[str, str]]:
    errors: dict[str, str] = {}
    day = parse_day(held_on) if len(held_on) <= 20 else None
    if day is None:
        errors["held_on"] = "Enter the date of the conversation, for example 14/03/2026"
    elif day > utcnow().date():
        errors["held_on"] = "The date of the conversation cannot be in the future"
    if not summary.strip():
        errors["summary"] = "Write what was said and agreed"
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = f"Keep this to {MAX_SUMMARY} characters or fewer"
    return day, errors


def add_conversation(
    db: Session,
    user: User,
    project_id: int,
    held_on: date,
    stakeholder: Stakeholder | None,
    summary: str,
) -> Conversation:
    conversation = Conversation(
        project_id=project_id,
        stakeholder_id=stakeholder.id if stakeholder else None,
        held_on=held_on,
        summary=summary.strip(),
        author_id=user.id,
    )
    db.add(conversation)
    who = f" with {stakeholder.name}" if stakeholder else ""
    history.record(db, project_id, user, "logged a conversation", f"{held_on.isoformat()}{who}")
    db.commit()
    return conversation
