"""Per-table handlers that need more than "every row with this user id": what is exported in
their place (no secrets, nothing about another person) and what erasing keeps, anonymised."""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, delete, select

from app.models import (
    Annotation,
    Attempt,
    AuditEvent,
    Certificate,
    Cohort,
    CohortMember,
    CohortSupervisor,
    Dataset,
    Invite,
    LoginFailure,
    PasswordReset,
    Supervision,
)
from app.models.content import utcnow
from app.privacy.placeholder import Placeholder
from app.privacy.rows import Row, Subject, as_row, plain

HOLDER_REQUEST = "Revoked at the holder's request"
ERASED_SCOPE = "erased"


def _count(db: Session, statement) -> int:  # type: ignore[no-untyped-def]
    return db.exec(statement).rowcount  # type: ignore[no-any-return]


# Answers: kept for question statistics, moved to the account's anonymous stand-in.
def erase_attempts(db: Session, subject: Subject, placeholder: Placeholder) -> int:
    if not db.exec(select(Attempt.id).where(Attempt.user_id == subject.id).limit(1)).first():
        return 0
    to = placeholder.id(db)
    return _count(db, update(Attempt).where(col(Attempt.user_id) == subject.id).values(user_id=to))


# Certificates: the row stays so /verify can answer "revoked", emptied of the signed statement.
def erase_certificates(db: Session, subject: Subject, placeholder: Placeholder) -> int:
    certs = db.exec(select(Certificate).where(Certificate.user_id == subject.id)).all()
    now = utcnow()
    for cert in certs:
        cert.user_id = placeholder.id(db)
        cert.payload = ""  # held the name; nothing signed is left to check
        cert.signature = ""
        if cert.revoked_at is None:  # an admin's earlier revocation keeps its date and reason
            cert.revoked_at, cert.revoked_reason = now, HOLDER_REQUEST
        db.add(cert)
    return len(certs)


# Lab annotations belong to a dataset, not directly to a person.
def _own_annotations(subject: Subject) -> ColumnElement[bool]:
    mine = select(Dataset.id).where(Dataset.user_id == subject.id)
    return col(Annotation.dataset_id).in_(mine)


def export_annotations(db: Session, subject: Subject) -> list[Row]:
    found = db.exec(select(Annotation).where(_own_annotations(subject))).all()
    return [as_row(a) for a in sorted(found, key=lambda a: a.id or 0)]


def erase_annotations(db: Session, subject: Subject, *_: object) -> int:
    return _count(db, delete(Annotation).where(_own_annotations(subject)))


# Supervision: either side of it. The other person is named only by their side, never by id.
def export_supervisions(db: Session, subject: Subject) -> list[Row]:
    query = select(Supervision).where(
        or_(Supervision.trainee_id == subject.id, Supervision.supervisor_id == subject.id)
    )
    rows = []
    for s in sorted(db.exec(query).all(), key=lambda s: s.id or 0):
        ended_by = None if s.ended_by is None else ("you" if s.ended_by == subject.id else "them")
        you_are = "trainee" if s.trainee_id == subject.id else "supervisor"
        rows.append(
            {"id": s.id, "you_are": you_are, "created_at": plain(s.created_at),
             "ended_at": plain(s.ended_at), "ended_by": ended_by}
        )  # fmt: skip
    return rows


def erase_supervisions(db: Session, subject: Subject, *_: object) -> int:
    mine = or_(Supervision.trainee_id == subject.id, Supervision.supervisor_id == subject.id)
    n = _count(db, delete(Supervision).where(mine))
    db.exec(
        update(Supervision).where(col(Supervision.ended_by) == subject.id).values(ended_by=None)
    )
    return n


# Invitations: those sent (as the supervisor wrote them) and those accepted.
def export_invites(db: Session, subject: Subject) -> list[Row]:
    sent = db.exec(select(Invite).where(Invite.supervisor_id == subject.id)).all()
    taken = db.exec(select(Invite).where(Invite.used_by == subject.id)).all()
    rows = [{"kind": "sent", **as_row(i, omit=("used_by", "supervisor_id"))} for i in sent]
    rows += [
        {"kind": "accepted", "id": i.id, "code": i.code, "created_at": plain(i.created_at),
         "used_at": plain(i.used_at)}
        for i in taken
    ]  # fmt: skip
    return rows


def erase_invites(db: Session, subject: Subject, *_: object) -> int:
    n = _count(db, delete(Invite).where(col(Invite.supervisor_id) == subject.id))
    # An accepted code stays used (single use), no longer saying by whom.
    n += _count(db, update(Invite).where(col(Invite.used_by) == subject.id).values(used_by=None))
    named = col(Invite.invitee_email) == subject.email
    n += _count(db, update(Invite).where(named).values(invitee_email="", invitee_name=""))
    return n


# Cohorts: membership rows, with the cohort's name (a group's label, not anyone's data).
def _memberships(
    db: Session, model: type[CohortMember] | type[CohortSupervisor], person: ColumnElement[bool]
) -> list[Row]:
    query = select(model, Cohort.name).join(Cohort, col(Cohort.id) == model.cohort_id)
    return [
        {"id": row.id, "cohort_id": row.cohort_id, "cohort": name}
        for row, name in db.exec(query.where(person)).all()
    ]


def export_cohort_members(db: Session, subject: Subject) -> list[Row]:
    return _memberships(db, CohortMember, col(CohortMember.trainee_id) == subject.id)


def export_cohort_supervisors(db: Session, subject: Subject) -> list[Row]:
    return _memberships(db, CohortSupervisor, col(CohortSupervisor.supervisor_id) == subject.id)


# Password reset links: never the token hash; whether an admin issued it, not which admin.
def export_password_resets(db: Session, subject: Subject) -> list[Row]:
    found = db.exec(select(PasswordReset).where(PasswordReset.user_id == subject.id)).all()
    return [
        {**as_row(r, omit=("token_hash", "user_id", "issued_by")),
         "issued_by_admin": r.issued_by is not None}
        for r in sorted(found, key=lambda r: r.created_at)
    ]  # fmt: skip


def erase_password_resets(db: Session, subject: Subject, *_: object) -> int:
    n = _count(db, delete(PasswordReset).where(col(PasswordReset.user_id) == subject.id))
    issued = col(PasswordReset.issued_by) == subject.id  # links an erased admin issued to others
    db.exec(update(PasswordReset).where(issued).values(issued_by=None))
    return n


# Failed sign-ins to the account: when, not from where (a guesser's address is not theirs).
def export_login_failures(db: Session, subject: Subject) -> list[Row]:
    found = db.exec(select(LoginFailure).where(LoginFailure.email == subject.email)).all()
    return [{"id": f.id, "at": plain(f.at)} for f in sorted(found, key=lambda f: f.id or 0)]


# The audit trail: rows by the person or about them (their account, their record, their
# certificates). Erasing keeps each row for the trail and removes who it was about.
def _scopes(db: Session, subject: Subject) -> list[str]:
    certs = db.exec(select(Certificate.id).where(Certificate.user_id == subject.id)).all()
    return [f"user:{subject.id}", f"trainee:{subject.id}", *(f"certificate:{c}" for c in certs)]


def export_audit(db: Session, subject: Subject) -> list[Row]:
    about = or_(AuditEvent.actor_id == subject.id, col(AuditEvent.scope).in_(_scopes(db, subject)))
    found = db.exec(select(AuditEvent).where(about)).all()
    return [
        {**as_row(e, omit=("actor_id",)), "by": "you" if e.actor_id == subject.id else e.actor_role}
        for e in sorted(found, key=lambda e: e.id or 0)
    ]


def erase_audit(db: Session, subject: Subject, *_: object) -> int:
    n = 0
    for scope in _scopes(db, subject):
        kind = scope.partition(":")[0]
        about = col(AuditEvent.scope) == scope
        if kind == "certificate":  # the certificate stays, revoked: only the reason may name them
            values = {"detail": "", "sha256": None}
        else:
            values = {"scope": f"{kind}:{ERASED_SCOPE}", "detail": ""}
        n += _count(db, update(AuditEvent).where(about).values(**values))
    by = col(AuditEvent.actor_id) == subject.id
    n += _count(db, update(AuditEvent).where(by).values(actor_id=None))
    named = col(AuditEvent.detail).contains(subject.email, autoescape=True)
    n += _count(db, update(AuditEvent).where(named).values(detail=""))
    return n
