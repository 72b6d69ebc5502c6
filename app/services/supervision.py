"""Who may see a trainee's record, and how that starts and ends.

A supervisor sees a trainee while a direct supervision is active, or while both belong to the same
cohort (the supervisor as one of its supervisors, the trainee as a member). Every query of a
trainee's data goes through `visible_trainees`, so nothing is ever shown outside that scope.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, exists, or_, update
from sqlmodel import Session, col, select

from app.models import (
    Cohort,
    CohortMember,
    CohortSupervisor,
    Invite,
    Role,
    Supervision,
    User,
)
from app.models.content import as_utc, utcnow
from app.services.accounts import email_problem, normalise_email

INVITE_DAYS = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on a ward
CODE_LENGTH = 10  # 32^10: about 50 bits, single-use and expiring


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == CODE_LENGTH else raw


def visible_trainees(supervisor: User) -> Select:
    """SELECT of the users this supervisor may see: the one scope every record query uses."""
    direct = exists().where(
        Supervision.supervisor_id == supervisor.id,
        Supervision.trainee_id == User.id,
        col(Supervision.ended_at).is_(None),
    )
    via_cohort = exists().where(
        CohortMember.trainee_id == User.id,
        CohortSupervisor.cohort_id == CohortMember.cohort_id,
        CohortSupervisor.supervisor_id == supervisor.id,
    )
    return select(User).where(or_(direct, via_cohort), User.id != supervisor.id)


def can_see(db: Session, supervisor: User, trainee_id: int) -> User | None:
    return db.exec(visible_trainees(supervisor).where(User.id == trainee_id)).first()


def invitee_problems(name: str, email: str) -> dict[str, str]:
    """Who an invitation is for is optional; when given it must fit and look like an address."""
    errors: dict[str, str] = {}
    if len(name.strip()) > 200:
        errors["invitee_name"] = "Their name must be 200 characters or fewer"
    if email.strip() and (problem := email_problem(normalise_email(email))):
        errors["invitee_email"] = problem
    return errors


def create_invite(
    db: Session,
    supervisor: User,
    cohort_id: int | None = None,
    invitee_name: str = "",
    invitee_email: str = "",
) -> Invite:
    """Check `invitee_problems` first. The name and email only label the invitation for the
    supervisor: anyone holding the code can still accept it."""
    invite = Invite(
        code=new_code(),
        supervisor_id=supervisor.id,
        cohort_id=cohort_id,
        expires_at=utcnow() + timedelta(days=INVITE_DAYS),
        invitee_name=invitee_name.strip(),
        invitee_email=normalise_email(invitee_email),
    )
    db.add(invite)
    db.commit()
    db.refresh(invite)
    return invite


def pending_invites(db: Session, supervisor: User) -> list[Invite]:
    """Unused invitations that still work, newest first."""
    return list(
        db.exec(
            select(Invite)
            .where(
                Invite.supervisor_id == supervisor.id,
                col(Invite.used_at).is_(None),
                Invite.expires_at > utcnow(),
            )
            .order_by(col(Invite.created_at).desc())
        ).all()
    )


def cancel_invite(db: Session, supervisor: User, invite_id: int) -> bool:
    """Withdraw an unused invitation; only the supervisor who made it can."""
    invite = db.exec(
        select(Invite).where(
            Invite.id == invite_id,
            Invite.supervisor_id == supervisor.id,
            col(Invite.used_at).is_(None),
        )
    ).first()
    if invite is None:
        return False
    db.delete(invite)
    db.commit()
    return True


def find_invite(db: Session, code: str) -> Invite | None:
    return db.exec(select(Invite).where(Invite.code == normalise_code(code))).first()


USED = "That code has already been used. Ask your supervisor for a new one"


def _unusable(invite: Invite | None) -> str | None:
    if invite is None:
        return "That code is not recognised. Check it with your supervisor"
    if invite.used_at is not None:
        return USED
    if as_utc(invite.expires_at) < utcnow():
        return "That code has expired. Ask your supervisor for a new one"
    return None


def invite_problem(invite: Invite | None, trainee: User) -> str | None:
    if problem := _unusable(invite):
        return problem
    if invite is not None and invite.supervisor_id == trainee.id:
        return "You cannot accept your own invitation"
    return None


INVITE_PATH = re.compile(r"^/invite/([A-Za-z0-9-]{1,40})$")


def inviter_name(db: Session, next_path: str) -> str | None:
    """The supervisor's name when a signed-out person was sent to sign in from a working
    invitation link (`next` = /invite/CODE); only the name, never their email."""
    match = INVITE_PATH.match(next_path or "")
    if not match:
        return None
    invite = find_invite(db, match.group(1))
    if invite is None or _unusable(invite):
        return None
    supervisor = db.get(User, invite.supervisor_id)
    return supervisor.name if supervisor else None


def accept_invite(db: Session, trainee: User, code: str) -> tuple[Invite | None, str | None]:
    invite = find_invite(db, code)
    problem = invite_problem(invite, trainee)
    if problem or invite is None:
        return None, problem
    # Claim it with a conditional UPDATE: of several people accepting one code at the same
    # moment, exactly one changes the row; the others are told it has been used.
    now = utcnow()
    claimed = db.exec(
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
        .values(used_by=trainee.id, used_at=now)
    ).rowcount
    if claimed != 1:
        db.rollback()
        return None, USED
    invite.used_by, invite.used_at = trainee.id, now
    start_supervision(db, invite.supervisor_id, trainee.id, commit=False)
    if invite.cohort_id is not None:
        _add_member(db, invite.cohort_id, trainee.id)
    db.commit()
    return invite, None


def start_supervision(
    db: Session, supervisor_id: int, trainee_id: int, commit: bool = True
) -> None:
    active = db.exec(
        select(Supervision).where(
            Supervision.supervisor_id == supervisor_id,
            Supervision.trainee_id == trainee_id,
            col(Supervision.ended_at).is_(None),
        )
    ).first()
    if active is None:
        db.add(Supervision(supervisor_id=supervisor_id, trainee_id=trainee_id))
    if commit:
        db.commit()


def end_supervision(db: Session, actor: User, supervision_id: int) -> bool:
    """The trainee, the supervisor or an admin may end it; anyone else changes nothing."""
    row = db.get(Supervision, supervision_id)
    if row is None or row.ended_at is not None:
        return False
    if actor.id not in (row.trainee_id, row.supervisor_id) and actor.role != Role.admin:
        return False
    row.ended_at = utcnow()
    row.ended_by = actor.id
    db.add(row)
    db.commit()
    return True


@dataclass(frozen=True)
class Viewer:
    name: str
    email: str
    via: str  # "Direct supervision" or "Cohort: <name>"
    supervision_id: int | None  # set for direct supervision, which the trainee can end
    cohort_id: int | None


def who_can_see(db: Session, trainee: User) -> list[Viewer]:
    direct = db.exec(
        select(Supervision, User)
        .join(User, User.id == Supervision.supervisor_id)
        .where(Supervision.trainee_id == trainee.id, col(Supervision.ended_at).is_(None))
    ).all()
    cohorts = db.exec(
        select(Cohort, User)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(CohortSupervisor, CohortSupervisor.cohort_id == Cohort.id)
        .join(User, User.id == CohortSupervisor.supervisor_id)
        .where(CohortMember.trainee_id == trainee.id)
    ).all()
    viewers = [Viewer(u.name, u.email, "Direct supervision", s.id, None) for s, u in direct]
    viewers += [Viewer(u.name, u.email, f"Cohort: {c.name}", None, c.id) for c, u in cohorts]
    return viewers


def leave_cohort(db: Session, trainee: User, cohort_id: int) -> bool:
    row = db.exec(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.trainee_id == trainee.id
        )
    ).first()
    if row is None:
        return False
    db.delete(row)
    db.commit()
    return True


def cohort_member_ids(cohort_id: int) -> Select:
    return select(CohortMember.trainee_id).where(CohortMember.cohort_id == cohort_id)


def cohorts_of(db: Session, supervisor: User) -> list[Cohort]:
    return list(
        db.exec(
            select(Cohort)
            .join(CohortSupervisor, CohortSupervisor.cohort_id == Cohort.id)
            .where(CohortSupervisor.supervisor_id == supervisor.id)
            .order_by(Cohort.name)
        ).all()
    )


# ---- administration ----


def create_cohort(db: Session, name: str) -> tuple[Cohort | None, str | None]:
    name = name.strip()
    if not name or len(name) > 120:
        return None, "Enter a cohort name of up to 120 characters, like “F1 North 2026-27”"
    if db.exec(select(Cohort).where(Cohort.name == name)).first():
        return None, "A cohort with that name already exists"
    cohort = Cohort(name=name)
    db.add(cohort)
    db.commit()
    db.refresh(cohort)
    return cohort, None


def _add_member(db: Session, cohort_id: int, trainee_id: int) -> None:
    exists_already = db.exec(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort_id, CohortMember.trainee_id == trainee_id
        )
    ).first()
    if exists_already is None:
        db.add(CohortMember(cohort_id=cohort_id, trainee_id=trainee_id))


def add_to_cohort(db: Session, cohort_id: int, email: str, as_supervisor: bool) -> str | None:
    if db.get(Cohort, cohort_id) is None:
        return "No such cohort"
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        return "No account has that email address"
    if as_supervisor:
        if user.role not in (Role.supervisor, Role.admin):
            return "Only supervisors can supervise a cohort: change their role first"
        present = db.exec(
            select(CohortSupervisor).where(
                CohortSupervisor.cohort_id == cohort_id, CohortSupervisor.supervisor_id == user.id
            )
        ).first()
        if present is None:
            db.add(CohortSupervisor(cohort_id=cohort_id, supervisor_id=user.id))
    else:
        _add_member(db, cohort_id, user.id)
    db.commit()
    return None


def assign(db: Session, supervisor_email: str, trainee_email: str) -> str | None:
    supervisor = db.exec(select(User).where(User.email == supervisor_email.strip().lower())).first()
    trainee = db.exec(select(User).where(User.email == trainee_email.strip().lower())).first()
    if supervisor is None or trainee is None:
        return "Both people need an account: check the email addresses"
    if supervisor.role not in (Role.supervisor, Role.admin):
        return "That person is not a supervisor: change their role first"
    if supervisor.id == trainee.id:
        return "Nobody can supervise themselves"
    start_supervision(db, supervisor.id, trainee.id)
    return None


def active_supervisions(db: Session) -> list[tuple[Supervision, User, User]]:
    """(supervision, trainee, supervisor) for the admin page: two queries, no query per row."""
    rows = db.exec(
        select(Supervision).where(col(Supervision.ended_at).is_(None)).order_by(Supervision.id)
    ).all()
    ids = {r.trainee_id for r in rows} | {r.supervisor_id for r in rows}
    users = {u.id: u for u in db.exec(select(User).where(col(User.id).in_(ids)))} if ids else {}
    return [(r, users[r.trainee_id], users[r.supervisor_id]) for r in rows]
