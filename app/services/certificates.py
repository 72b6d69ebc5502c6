"""Certificates: issue, verify and revoke signed statements of a module completion.

A certificate's `payload` is canonical JSON and exactly the bytes that were signed, so it can be
checked years later without the content or the user record it came from. It holds the learner's
name and nothing else personal. Revocation is database state, never part of the signed bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS, Module
from app.config import Settings
from app.models import AuditEvent, Certificate, ModuleCompletion, Role, User
from app.models.content import as_utc, utcnow
from app.security import signing

ISSUER = "QI Skills"
FORMAT = 1  # bump when the payload's shape changes; old certificates keep their own bytes
ID_PREFIX = "QI-"
MAX_REASON = 300
NOT_FOUND = "There is no certificate with this ID"

Status = Literal["valid", "revoked", "invalid", "unknown"]


def new_certificate_id() -> str:
    """'QI-' and 16 base32 characters: 80 random bits, unguessable and easy to read out."""
    return ID_PREFIX + base64.b32encode(secrets.token_bytes(10)).decode()


def canonical_json(data: Mapping[str, Any]) -> str:
    """One spelling for one value: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def iso_z(moment: datetime) -> str:
    """UTC to the second, ISO 8601 with Z: the only time format inside a payload."""
    return as_utc(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_z(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def verify_path(cert_id: str) -> str:
    """Where anyone checks a certificate; services/links.py makes it absolute."""
    return f"/verify/{cert_id}"


def build_payload(
    cert_id: str, user: User, module: Module, completion: ModuleCompletion, issued_at: datetime
) -> dict[str, Any]:
    """What the certificate states. The mapping comes from the module as completed."""
    domains = sorted({d for outcome in module.outcomes for d in outcome.gpc})
    skills = {s for outcome in module.outcomes for s in outcome.rcp}
    return {
        "format": FORMAT,
        "id": cert_id,
        "issuer": ISSUER,
        "issued_at": iso_z(issued_at),
        "name": user.name,
        "module": {"slug": module.slug, "title": module.title},
        "outcomes": [outcome.text for outcome in module.outcomes],
        "gpc": [{"domain": d, "name": GPC_DOMAINS[d]} for d in domains],
        "rcp": [{"id": s, "name": name} for s, name in RCP_SKILLS.items() if s in skills],
        "cpd_minutes": module.minutes,
        "completed_at": iso_z(completion.completed_at),
        "content_version": {
            "module": completion.module_version,
            "lessons": json.loads(completion.lesson_versions or "{}"),
        },
        "score": completion.score,
        "pass_mark": completion.pass_mark,
    }


def issue_certificate(
    db: Session, settings: Settings, user: User, module: Module, completion: ModuleCompletion
) -> Certificate:
    """The user's certificate for this module, signing a new one only the first time.

    The completion row is locked (PostgreSQL) so two requests finishing the module at once do not
    both sign one. Commits.
    """
    if completion.user_id != user.id or completion.module_slug != module.slug:
        raise ValueError("the completion is not this user's completion of this module")
    db.exec(
        select(ModuleCompletion.id).where(ModuleCompletion.id == completion.id).with_for_update()
    ).first()
    existing = db.exec(
        select(Certificate).where(
            Certificate.user_id == user.id, Certificate.module_slug == module.slug
        )
    ).first()
    if existing is not None:
        return existing
    cert_id = new_certificate_id()
    issued_at = utcnow().replace(microsecond=0)
    payload = canonical_json(build_payload(cert_id, user, module, completion, issued_at))
    cert = Certificate(
        id=cert_id,
        user_id=user.id,
        module_slug=module.slug,
        payload=payload,
        signature=signing.sign(settings, payload.encode("utf-8")),
        issued_at=issued_at,
    )
    db.add(cert)
    db.commit()
    db.refresh(cert)
    return cert


@dataclass(frozen=True, slots=True)
class CertificateView:
    """A payload in the shape templates and the PDF read; built only from verified bytes."""

    id: str
    issuer: str
    name: str
    module_slug: str
    module_title: str
    outcomes: tuple[str, ...]
    gpc: tuple[tuple[int, str], ...]
    rcp: tuple[str, ...]
    cpd_minutes: int
    completed_at: datetime
    issued_at: datetime
    module_version: str
    lesson_versions: tuple[tuple[str, str], ...]
    score: int
    pass_mark: int

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> CertificateView:
        version = payload["content_version"]
        return cls(
            id=str(payload["id"]),
            issuer=str(payload["issuer"]),
            name=str(payload["name"]),
            module_slug=str(payload["module"]["slug"]),
            module_title=str(payload["module"]["title"]),
            outcomes=tuple(str(text) for text in payload["outcomes"]),
            gpc=tuple((int(g["domain"]), str(g["name"])) for g in payload["gpc"]),
            rcp=tuple(str(r["name"]) for r in payload["rcp"]),
            cpd_minutes=int(payload["cpd_minutes"]),
            completed_at=parse_iso_z(payload["completed_at"]),
            issued_at=parse_iso_z(payload["issued_at"]),
            module_version=str(version["module"]),
            lesson_versions=tuple((str(k), str(v)) for k, v in version["lessons"].items()),
            score=int(payload["score"]),
            pass_mark=int(payload["pass_mark"]),
        )


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """What a check found. `view` is set only when the signature holds (valid or revoked)."""

    status: Status
    cert_id: str
    certificate: Certificate | None = None
    view: CertificateView | None = None

    @property
    def revoked_at(self) -> datetime | None:
        cert = self.certificate
        return as_utc(cert.revoked_at) if cert and cert.revoked_at else None


def check(settings: Settings, cert: Certificate) -> VerifyResult:
    """Verify a stored certificate: its signature, and that the signed id is its own id."""
    if cert.revoked_at is not None and not cert.payload:
        # Its holder deleted their account: the statement (their name) is gone, the id stays so
        # a check answers "revoked" rather than "unknown". Nothing is shown as stated.
        return VerifyResult("revoked", cert.id, cert)
    invalid = VerifyResult("invalid", cert.id, cert)
    if not signing.verify(settings, cert.payload.encode("utf-8"), cert.signature):
        return invalid
    try:
        view = CertificateView.of(json.loads(cert.payload))
    except (ValueError, KeyError, TypeError, AttributeError):
        return invalid
    if view.id != cert.id:  # a genuine payload copied onto another row
        return invalid
    return VerifyResult("revoked" if cert.revoked_at else "valid", cert.id, cert, view)


def verify_certificate(db: Session, settings: Settings, cert_id: str) -> VerifyResult:
    """Look up and check a certificate by its public id; 'unknown' if there is none."""
    cert = db.get(Certificate, cert_id) if 0 < len(cert_id) <= 32 else None
    if cert is None:
        return VerifyResult("unknown", cert_id)
    return check(settings, cert)


def owned_certificate(db: Session, user: User, cert_id: str) -> Certificate | None:
    """The certificate only if it is this user's: anyone else's looks like no certificate."""
    return db.exec(
        select(Certificate).where(Certificate.id == cert_id, Certificate.user_id == user.id)
    ).first()


def user_certificates(db: Session, user: User) -> list[Certificate]:
    query = select(Certificate).where(Certificate.user_id == user.id)
    return list(db.exec(query.order_by(col(Certificate.issued_at).desc())).all())


def all_certificates(db: Session, limit: int = 500) -> list[tuple[Certificate, User]]:
    """The newest certificates with their holders, for the admin list."""
    query = select(Certificate, User).join(User, col(User.id) == Certificate.user_id)
    query = query.order_by(col(Certificate.issued_at).desc(), col(Certificate.id)).limit(limit)
    return [(cert, user) for cert, user in db.exec(query).all()]


def revoke(db: Session, actor: User, cert_id: str, reason: str) -> str | None:
    """Revoke and audit in one commit; returns a problem to show, or None.

    Only admins may revoke (the route checks too). The reason is shown publicly on /verify.
    """
    if actor.role != Role.admin:
        raise PermissionError("only admins revoke certificates")
    cert = db.get(Certificate, cert_id) if len(cert_id) <= 32 else None
    if cert is None:
        return NOT_FOUND
    reason = " ".join(reason.split())
    if not reason:
        return "Enter the reason for revoking this certificate"
    if len(reason) > MAX_REASON:
        return f"The reason must be {MAX_REASON} characters or fewer"
    if cert.revoked_at is not None:
        return "This certificate has already been revoked"
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason
    db.add(cert)
    db.add(
        AuditEvent(
            actor_id=actor.id,
            actor_role=str(actor.role),
            action="certificate_revoked",
            scope=f"certificate:{cert.id}",
            rows=1,
            sha256=hashlib.sha256(cert.payload.encode("utf-8")).hexdigest(),
            detail=reason,
        )
    )
    db.commit()
    return None
