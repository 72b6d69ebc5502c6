"""The team: who is on it, invitations by email link, adding an existing account, roles, leaving.

An invitation link carries a random token; `project_invite` keeps only its SHA-256. It lasts 14
days and is used once: accepting is one conditional UPDATE (`... WHERE used_at IS NULL AND
expires_at > now`), so of several people accepting one link at once exactly one joins.
The lead's role moves only by handover (services.projects.handover), never here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.config import Settings
from app.models import Project, ProjectInvite, ProjectMember, User
from app.models.content import as_utc, utcnow
from app.security.tokens import digest, new_token
from app.services import mail
from app.services.accounts import email_problem, find_by_email, normalise_email
from app.services.projects import history
from app.services.projects.access import LEAD, MEMBER, SUPERVISOR

logger = logging.getLogger("qiskills.projects")
INVITE_DAYS = 14
JOINABLE_ROLES = {MEMBER: "Member (edits the project)", SUPERVISOR: "Supervisor (reads, comments)"}
DEAD_LINK = (
    "This invitation does not work: it has been used, it has expired (links last 14 days), "
    "or it was copied incompletely. Ask the project lead for a new one"
)


@dataclass(frozen=True)
class TeamMember:
    member: ProjectMember
    name: str
    email: str


def team(db: Session, project_id: int) -> list[TeamMember]:
    """The active team, lead first, with names: one query."""
    rows = db.exec(
        select(ProjectMember, User.name, User.email)
        .join(User, col(User.id) == ProjectMember.user_id)
        .where(ProjectMember.project_id == project_id, col(ProjectMember.ended_at).is_(None))
        .order_by(col(ProjectMember.joined_at), col(ProjectMember.id))
    ).all()
    people = [TeamMember(m, name, email) for m, name, email in rows]
    return sorted(people, key=lambda p: p.member.role != LEAD)


def pending_invites(db: Session, project_id: int) -> list[ProjectInvite]:
    return list(
        db.exec(
            select(ProjectInvite)
            .where(
                ProjectInvite.project_id == project_id,
                col(ProjectInvite.used_at).is_(None),
                ProjectInvite.expires_at > utcnow(),
            )
            .order_by(col(ProjectInvite.created_at).desc())
        ).all()
    )


def join(db: Session, project_id: int, user_id: int, role: str) -> bool:
    """Put someone on the team (again, if they had left); False when already on it."""
    row = db.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project_id, ProjectMember.user_id == user_id
        )
    ).first()
    if row is not None and row.ended_at is None:
        return False
    row = row or ProjectMember(project_id=project_id, user_id=user_id, role=role)
    row.role, row.ended_at, row.joined_at = role, None, utcnow()
    db.add(row)
    return True


def add_problems(email: str, role: str) -> dict[str, str]:
    errors = {}
    if problem := email_problem(normalise_email(email)):
        errors["member_email"] = problem
    if role not in JOINABLE_ROLES:
        errors["member_role"] = "Choose member or supervisor"
    return errors


def add_member(db: Session, project: Project, lead: User, email: str, role: str) -> str | None:
    """Add an existing account at once; returns a problem, or None."""
    person = find_by_email(db, normalise_email(email))
    if person is None:
        return "No account uses that address: send them an invitation link instead"
    assert project.id is not None and person.id is not None
    if not join(db, project.id, person.id, role):
        return f"{person.name} is already on the team"
    history.record(db, project.id, lead, "member_added", f"{person.name} ({role})")
    db.commit()
    return None


def create_invite(
    db: Session, project: Project, lead: User, email: str, role: str
) -> tuple[ProjectInvite, str]:
    """Store an invitation (check `add_problems` first); returns it and its token, which is
    shown once and emailed, never stored."""
    token, now = new_token(), utcnow()
    assert project.id is not None
    invite = ProjectInvite(
        project_id=project.id,
        email=normalise_email(email),
        role=role,
        token_hash=digest(token),
        invited_by_id=lead.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    db.add(invite)
    history.record(db, project.id, lead, "invited", f"{invite.email} ({role})")
    db.commit()
    db.refresh(invite)
    return invite, token


def cancel_invite(db: Session, project: Project, lead: User, invite_id: int) -> bool:
    invite = db.exec(
        select(ProjectInvite).where(
            ProjectInvite.id == invite_id,
            ProjectInvite.project_id == project.id,
            col(ProjectInvite.used_at).is_(None),
        )
    ).first()
    if invite is None:
        return False
    assert project.id is not None
    history.record(db, project.id, lead, "invite_cancelled", invite.email)
    db.delete(invite)
    db.commit()
    return True


def find_invite(db: Session, token: str) -> tuple[ProjectInvite, Project, str] | None:
    """A working invitation, its project and who sent it; None when it does not work."""
    row = db.exec(
        select(ProjectInvite, Project, User.name)
        .join(Project, col(Project.id) == ProjectInvite.project_id)
        .join(User, col(User.id) == ProjectInvite.invited_by_id)
        .where(ProjectInvite.token_hash == digest(token))
    ).first()
    if row is None:
        return None
    invite, project, inviter = row
    if invite.used_at is not None or as_utc(invite.expires_at) <= utcnow():
        return None
    return invite, project, inviter


def accept_invite(db: Session, user: User, token: str) -> tuple[int | None, str | None]:
    """Join the team; returns the project id, or a problem to show."""
    found = find_invite(db, token)
    if found is None:
        return None, DEAD_LINK
    invite, project, _ = found
    assert project.id is not None and user.id is not None
    active = db.exec(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id,
            ProjectMember.user_id == user.id,
            col(ProjectMember.ended_at).is_(None),
        )
    ).first()
    if active is not None:  # the link stays usable for whoever it was meant for
        return project.id, None
    now = utcnow()
    claimed = db.exec(  # type: ignore[call-overload]
        update(ProjectInvite)
        .where(
            col(ProjectInvite.id) == invite.id,
            col(ProjectInvite.used_at).is_(None),
            col(ProjectInvite.expires_at) > now,
        )
        .values(used_at=now, used_by_id=user.id)
    ).rowcount
    if claimed != 1:
        db.rollback()
        return None, DEAD_LINK
    join(db, project.id, user.id, invite.role)
    history.record(db, project.id, user, "invite_accepted", invite.role)
    db.commit()
    return project.id, None


def _member(db: Session, project_id: int, member_id: int) -> ProjectMember | None:
    """An active member of THIS project by their membership id (another project's: None)."""
    return db.exec(
        select(ProjectMember).where(
            ProjectMember.id == member_id,
            ProjectMember.project_id == project_id,
            col(ProjectMember.ended_at).is_(None),
        )
    ).first()


def change_role(
    db: Session, project: Project, lead: User, member_id: int, role: str
) -> tuple[bool, str | None]:
    """(found, problem): the lead sets someone else's role to member or supervisor."""
    assert project.id is not None
    member = _member(db, project.id, member_id)
    if member is None:
        return False, None
    if member.user_id == lead.id or member.role == LEAD:
        return True, "You cannot change your own role: hand the project over instead"
    if role not in JOINABLE_ROLES:
        return True, "Choose member or supervisor"
    if member.role != role:
        person = db.get(User, member.user_id)
        member.role = role
        db.add(member)
        name = person.name if person else "Someone"
        history.record(db, project.id, lead, "role_changed", f"{name} is now {role}")
        db.commit()
    return True, None


def end_membership(db: Session, member: ProjectMember, actor: User, action: str) -> None:
    member.ended_at = utcnow()
    db.add(member)
    person = db.get(User, member.user_id)
    detail = person.name if person and action == "member_removed" else ""
    history.record(db, member.project_id, actor, action, detail)
    db.commit()


def remove_member(
    db: Session, project: Project, lead: User, member_id: int
) -> tuple[bool, str | None]:
    assert project.id is not None
    member = _member(db, project.id, member_id)
    if member is None:
        return False, None
    if member.user_id == lead.id or member.role == LEAD:
        return True, "You cannot remove yourself: hand the project over first"
    end_membership(db, member, lead, "member_removed")
    return True, None


def leave(db: Session, project: Project, user: User) -> str | None:
    """A member or team supervisor leaves; the lead must hand over first."""
    if project.lead_id == user.id:
        return "You lead this project: hand it over before you leave"
    row = db.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id,
            ProjectMember.user_id == user.id,
            col(ProjectMember.ended_at).is_(None),
        )
    ).first()
    if row is None:
        return "You are not on this team"
    end_membership(db, row, user, "left")
    return None


def expires_text(expires_at: datetime) -> str:
    return f"{as_utc(expires_at):%d %b %Y}"


def email_invite(settings: Settings, to: str, title: str, inviter: str, url: str) -> None:
    """Send the link (after the response, from a background task: SMTP may be slow). A failure
    is logged; the lead has the link on screen to pass on anyway."""
    body = (
        f"Hello,\n\n{inviter} invites you to join the quality improvement project "
        f"\u201c{title}\u201d on QI Skills.\n\nOpen this link to accept (it works once, for "
        f"{INVITE_DAYS} days; sign in or create an account first):\n{url}\n\n"
        "If you were not expecting this, you can ignore this email.\n"
    )
    try:
        mail.deliver(settings, mail.compose(settings, to, "Join a QI project on QI Skills", body))
    except Exception:  # nobody is waiting for an answer: say it in the log instead
        logger.exception("Could not send a project invitation email")
