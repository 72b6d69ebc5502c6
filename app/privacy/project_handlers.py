"""Privacy handlers for projects (app/models/projects.py).

A project belongs to its team as much as to the person erasing their account, so erasure keeps
the team's work and removes the person from it:
- a project they lead with anyone else still on the team moves to their anonymous stand-in
  (`project.lead_id` cannot be empty), so the team keeps it; a project only they were on is
  deleted with everything in it (nobody else could ever open it);
- rows they wrote in others' projects stay, with `author_id` emptied (SET NULL only happens
  when the account row is deleted, and erasure must leave no id behind before that);
- their own reflections and memberships go; invitations they sent go;
- handover notes, signed comments and evidence packs stay with the project, not naming them.
"""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, delete, select

from app.models import (
    EvidencePack,
    Handover,
    Project,
    ProjectAttestation,
    ProjectEvent,
    ProjectInvite,
    ProjectMember,
    User,
)
from app.privacy.placeholder import Placeholder
from app.privacy.rows import Row, Subject, as_row, plain


def _count(db: Session, statement) -> int:  # type: ignore[no-untyped-def]
    return db.exec(statement).rowcount  # type: ignore[no-any-return]


# Projects they lead or started.
def _others_on_team():  # type: ignore[no-untyped-def]
    other = aliased(ProjectMember)
    return exists().where(
        other.project_id == Project.id,
        other.user_id != Project.lead_id,
        other.ended_at.is_(None),
    )


def erase_projects(db: Session, subject: Subject, placeholder: Placeholder) -> int:
    led = col(Project.lead_id) == subject.id
    n = _count(db, delete(Project).where(led, ~_others_on_team()))
    kept = list(db.exec(select(Project.id).where(led)).all())
    started = list(db.exec(select(Project.id).where(Project.created_by_id == subject.id)).all())
    if not kept and not started:
        return n
    stand_in = placeholder.id(db)
    if kept:
        n += _count(db, update(Project).where(led).values(lead_id=stand_in))
        db.exec(
            update(ProjectMember)
            .where(col(ProjectMember.project_id).in_(kept), ProjectMember.user_id == subject.id)
            .values(user_id=stand_in)
        )
    by = col(Project.created_by_id) == subject.id
    n += _count(db, update(Project).where(by).values(created_by_id=stand_in))
    return n


# Invitations: those they sent go; those they used or were sent stop naming them.
def export_project_invites(db: Session, subject: Subject) -> list[Row]:
    sent = db.exec(select(ProjectInvite).where(ProjectInvite.invited_by_id == subject.id)).all()
    rows = [{"kind": "sent", **as_row(i, omit=("token_hash", "used_by_id"))} for i in sent]
    to_me = or_(ProjectInvite.used_by_id == subject.id, ProjectInvite.email == subject.email)
    for i in db.exec(select(ProjectInvite).where(to_me)).all():
        rows.append(
            {"kind": "accepted" if i.used_by_id == subject.id else "received", "id": i.id,
             "project_id": i.project_id, "role": i.role, "created_at": plain(i.created_at),
             "used_at": plain(i.used_at)}
        )  # fmt: skip
    return rows


def erase_project_invites(db: Session, subject: Subject, *_: object) -> int:
    n = _count(db, delete(ProjectInvite).where(col(ProjectInvite.invited_by_id) == subject.id))
    used = col(ProjectInvite.used_by_id) == subject.id
    n += _count(db, update(ProjectInvite).where(used).values(used_by_id=None))
    to_me = col(ProjectInvite.email) == subject.email
    n += _count(db, delete(ProjectInvite).where(to_me, col(ProjectInvite.used_at).is_(None)))
    n += _count(db, update(ProjectInvite).where(to_me).values(email=""))
    return n


def authorship(model):  # type: ignore[no-untyped-def]
    """An eraser that keeps a team's rows and empties who wrote them."""

    def erase(db: Session, subject: Subject, *_: object) -> int:
        mine = col(model.author_id) == subject.id
        return _count(db, update(model).where(mine).values(author_id=None))

    return erase


# Handovers: the note stays on the project; waiting ones are cancelled.
def export_handovers(db: Session, subject: Subject) -> list[Row]:
    mine = or_(Handover.from_user_id == subject.id, Handover.to_user_id == subject.id)
    found = db.exec(select(Handover).where(mine).order_by(col(Handover.id))).all()
    return [
        {**as_row(h, omit=("from_user_id", "to_user_id")),
         "you_are": "giving" if h.from_user_id == subject.id else "taking"}
        for h in found
    ]  # fmt: skip


def erase_handovers(db: Session, subject: Subject, *_: object) -> int:
    mine = or_(col(Handover.from_user_id) == subject.id, col(Handover.to_user_id) == subject.id)
    waiting = and_(mine, col(Handover.status) == "pending")
    db.exec(update(Handover).where(waiting).values(status="cancelled"))
    n = _count(db, update(Handover).where(col(Handover.from_user_id) == subject.id)
               .values(from_user_id=None))  # fmt: skip
    n += _count(db, update(Handover).where(col(Handover.to_user_id) == subject.id)
                .values(to_user_id=None))  # fmt: skip
    return n


# A supervisor's signed comments: the text stays with the project, unsigned and unattributed
# (the signed payload names the signer, so it is emptied, as a certificate's is).
def erase_attestations(db: Session, subject: Subject, *_: object) -> int:
    mine = col(ProjectAttestation.supervisor_id) == subject.id
    values = {"supervisor_id": None, "payload": "", "signature": ""}
    return _count(db, update(ProjectAttestation).where(mine).values(**values))


def export_packs(db: Session, subject: Subject) -> list[Row]:
    found = db.exec(select(EvidencePack).where(EvidencePack.generated_by_id == subject.id)).all()
    return [as_row(p, omit=("content", "signature")) for p in found]


def erase_packs(db: Session, subject: Subject, *_: object) -> int:
    mine = col(EvidencePack.generated_by_id) == subject.id
    return _count(db, update(EvidencePack).where(mine).values(generated_by_id=None))


# History: events stay (the project's story), no longer saying who; details naming them go.
def erase_events(db: Session, subject: Subject, *_: object) -> int:
    by = col(ProjectEvent.actor_id) == subject.id
    n = _count(db, update(ProjectEvent).where(by).values(actor_id=None))
    person = db.get(User, subject.id)  # still there: the account is erased last
    for text in (subject.email, person.name if person else ""):
        if text.strip():
            named = col(ProjectEvent.detail).contains(text, autoescape=True)
            n += _count(db, update(ProjectEvent).where(named).values(detail=""))
    return n
