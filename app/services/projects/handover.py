"""Handover at rotation: the lead names a successor and writes the note (what works, what next,
who to talk to); the successor accepts or declines; the lead may cancel while it waits.

Accepting is a conditional UPDATE on the pending row (`... WHERE status = 'pending'`), and the
lead moves with a second one (`... WHERE lead_id = <the giver>`), in one transaction, so a
handover is accepted once and never over a lead that has changed since. Nothing else moves:
every row keeps its author, and the notes stay on the project for good.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.deps import parse_row_id
from app.models import Handover, Project, ProjectMember, User
from app.models.content import utcnow
from app.services.accounts import find_by_email, normalise_email
from app.services.projects import history
from app.services.projects.access import LEAD, MEMBER
from app.services.projects.record import ACCEPTED, PENDING, HandoverLine, handover_lines
from app.services.projects.team import join

CANCELLED, DECLINED = "cancelled", "declined"
NOTE_LIMIT = 4000
NOTES = {
    "what_works": "What works",
    "what_next": "What to do next",
    "who_to_talk_to": "Who to talk to",
}
GONE = "This handover is no longer waiting for you: it was cancelled or already decided"


@dataclass
class HandoverForm:
    successor: str = ""  # a team member's user id, from the list
    successor_email: str = ""  # or the email of any account
    what_works: str = ""
    what_next: str = ""
    who_to_talk_to: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def pending(db: Session, project_id: int) -> HandoverLine | None:
    found = handover_lines(
        db, (col(Handover.project_id) == project_id) & (col(Handover.status) == PENDING)
    )
    return found[0] if found else None


def accepted(db: Session, project_id: int) -> list[HandoverLine]:
    """Every accepted handover of the project, newest first: shown on it for good."""
    return handover_lines(
        db, (col(Handover.project_id) == project_id) & (col(Handover.status) == ACCEPTED)
    )


def _successor(db: Session, project: Project, form: HandoverForm) -> User | None:
    """Check who the successor is; puts the problem in `form.errors`."""
    chosen, email = form.successor.strip(), form.successor_email.strip()
    if bool(chosen) == bool(email):
        form.errors["successor"] = (
            "Choose a team member or enter the email of their account, not both"
            if chosen
            else "Choose who will lead the project next"
        )
        return None
    if chosen:
        user_id = parse_row_id(chosen)
        on_team = db.exec(
            select(User)
            .join(ProjectMember, col(ProjectMember.user_id) == User.id)
            .where(
                ProjectMember.project_id == project.id,
                col(ProjectMember.ended_at).is_(None),
                User.id == user_id,
            )
        ).first()
        if on_team is None:
            form.errors["successor"] = "Choose someone on the team"
        person = on_team
    else:
        person = find_by_email(db, normalise_email(email))
        if person is None:
            form.errors["successor_email"] = (
                "No account uses that address: ask them to create one, then try again"
            )
    if person is not None and person.id == project.lead_id:
        form.errors["successor"] = "Choose someone other than yourself"
        return None
    return person


def offer(db: Session, project: Project, lead: User, form: HandoverForm) -> Handover | None:
    """Create a pending handover; None with `form.errors` filled when the form is not right."""
    assert project.id is not None
    for name, label in NOTES.items():
        text = getattr(form, name)
        if not text.strip():
            form.errors[name] = f"Write “{label.lower()}”: your successor needs it"
        elif len(text) > NOTE_LIMIT:
            form.errors[name] = f"Keep “{label.lower()}” to {NOTE_LIMIT:,} characters or fewer"
    successor = _successor(db, project, form)
    if pending(db, project.id) is not None:
        form.errors["successor"] = "A handover is already waiting: cancel it first"
    if form.errors or successor is None:
        return None
    handover = Handover(
        project_id=project.id,
        from_user_id=lead.id,
        to_user_id=successor.id,
        what_works=form.what_works,
        what_next=form.what_next,
        who_to_talk_to=form.who_to_talk_to,
    )
    db.add(handover)
    history.record(db, project.id, lead, "handover_offered", successor.name)
    db.commit()
    return handover


def _undo(db: Session) -> None:
    """Roll back, keeping what was read readable (the page still shows the note)."""
    db.expunge_all()
    db.rollback()


def _decide(db: Session, handover_id: int, status: str, **who: int | None) -> bool:
    """Move a pending handover to `status` once (a conditional UPDATE)."""
    where = [col(Handover.id) == handover_id, col(Handover.status) == PENDING]
    where += [col(getattr(Handover, name)) == value for name, value in who.items()]
    changed = db.exec(  # type: ignore[call-overload]
        update(Handover).where(*where).values(status=status, decided_at=utcnow())
    ).rowcount
    return bool(changed == 1)


def cancel(db: Session, project: Project, lead: User) -> bool:
    assert project.id is not None
    waiting = pending(db, project.id)
    if waiting is None or not _decide(
        db, waiting.handover.id or 0, CANCELLED, project_id=project.id
    ):
        db.rollback()
        return False
    history.record(db, project.id, lead, "handover_cancelled", waiting.to_name)
    db.commit()
    return True


def offered_to(db: Session, user: User, handover_id: int) -> HandoverLine | None:
    """A handover waiting for this user's answer; anyone else's is None."""
    found = handover_lines(
        db,
        (col(Handover.id) == handover_id)
        & (col(Handover.to_user_id) == user.id)
        & (col(Handover.status) == PENDING),
    )
    return found[0] if found else None


def decline(db: Session, user: User, line: HandoverLine) -> str | None:
    h = line.handover
    if not _decide(db, h.id or 0, DECLINED, to_user_id=user.id):
        _undo(db)
        return GONE
    history.record(db, h.project_id, user, "handover_declined")
    db.commit()
    return None


def accept(db: Session, user: User, line: HandoverLine) -> str | None:
    """Take over as lead: one transaction; returns a problem, or None."""
    h = line.handover
    assert user.id is not None
    if not _decide(db, h.id or 0, ACCEPTED, to_user_id=user.id):
        _undo(db)
        return GONE
    moved = db.exec(  # type: ignore[call-overload]
        update(Project)
        .where(col(Project.id) == h.project_id, col(Project.lead_id) == h.from_user_id)
        .values(lead_id=user.id, updated_at=utcnow())
    ).rowcount
    if moved != 1:
        _undo(db)
        return "The project's lead has changed since this handover was offered"
    db.exec(  # the previous lead stays on the team, as a member (they may leave later)
        update(ProjectMember)
        .where(
            col(ProjectMember.project_id) == h.project_id,
            col(ProjectMember.user_id) == h.from_user_id,
        )
        .values(role=MEMBER)
    )
    if not join(db, h.project_id, user.id, LEAD):
        db.exec(
            update(ProjectMember)
            .where(
                col(ProjectMember.project_id) == h.project_id,
                col(ProjectMember.user_id) == user.id,
            )
            .values(role=LEAD)
        )
    history.record(db, h.project_id, user, "handover_accepted", line.from_name)
    db.commit()
    return None
