"""Evidence packs: generate one (content, PDF, JSON, hashes, signature, in one commit), list them,
rebuild their files, and check a pack or an uploaded file against it.

The pack row keeps the canonical JSON of its content. The PDF and the JSON file are rebuilt from
it on every download, byte for byte the same (see evidence_pdf.py), so only their SHA-256 is
stored. The signature covers the id and the three hashes: anyone with the public key can check a
pack offline, and `/verify` compares an uploaded file's SHA-256 with the stored ones.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session, col, select

from app.config import Settings
from app.models import (
    Conversation,
    DriverNode,
    EvidencePack,
    Handover,
    Measure,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectMember,
    ProjectReflection,
    Stakeholder,
    User,
)
from app.models.content import as_utc, utcnow
from app.security import signing
from app.services import certificates
from app.services.certificates import canonical_json, iso_z
from app.services.projects import history
from app.services.projects.attestations import signature_holds
from app.services.projects.evidence_content import EvidenceRows, build_content

ID_PREFIX = "QIE-"  # certificates are QI-: the prefix tells /verify which one it is looking at
ID_CHARS = 16
STATEMENT = "qi-skills-evidence-pack"


def new_pack_id() -> str:
    """'QIE-' and 16 base32 characters: 80 random bits, unguessable and easy to read out."""
    return ID_PREFIX + base64.b32encode(secrets.token_bytes(10)).decode()


def is_pack_id(text: str) -> bool:
    return text.startswith(ID_PREFIX)


def normalise_pack_id(raw: str, misread: dict[int, str]) -> str | None:
    """From the letters and digits a person typed (upper case): the pack id, or None when it is
    not one. `misread` maps digits that can only be misread letters."""
    if len(raw) == len(ID_PREFIX) - 1 + ID_CHARS and raw.startswith(ID_PREFIX[:-1]):
        return ID_PREFIX + raw[len(ID_PREFIX) - 1 :].translate(misread)
    return None


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def json_file(content: dict[str, Any]) -> bytes:
    """The downloadable JSON: the same content, indented for people, one spelling for one value."""
    text = json.dumps(content, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def stored_content(pack: EvidencePack) -> dict[str, Any]:
    return json.loads(pack.content)


def pdf_file(content: dict[str, Any]) -> bytes:
    from app.services.projects.evidence_pdf import pack_pdf  # fpdf: loaded on demand

    return pack_pdf(content)


def statement(pack_id: str, content_sha: str, pdf_sha: str, json_sha: str) -> bytes:
    """Exactly the bytes the pack's signature covers."""
    return canonical_json(
        {
            "statement": STATEMENT,
            "id": pack_id,
            "content_sha256": content_sha,
            "pdf_sha256": pdf_sha,
            "json_sha256": json_sha,
        }
    ).encode("utf-8")


# ---- reading the project ----------------------------------------------------------------------


def _for(db: Session, model: type, project_id: int) -> list[Any]:
    return list(db.exec(select(model).where(model.project_id == project_id)).all())


def gather(db: Session, settings: Settings, project: Project) -> EvidenceRows:
    """Every row the pack states: one query a table, and one for every name they mention."""
    pid = project.id
    assert pid is not None
    rows = EvidenceRows(project=project, names={})
    rows.members = _for(db, ProjectMember, pid)
    rows.stakeholders = _for(db, Stakeholder, pid)
    rows.conversations = _for(db, Conversation, pid)
    rows.nodes = _for(db, DriverNode, pid)
    rows.measures = _for(db, Measure, pid)
    rows.cycles = _for(db, PdsaCycle, pid)
    rows.reflections = _for(db, ProjectReflection, pid)
    rows.handovers = _for(db, Handover, pid)
    attestations = db.exec(
        select(ProjectAttestation)
        .where(ProjectAttestation.project_id == pid)
        .order_by(col(ProjectAttestation.created_at), col(ProjectAttestation.id))
    ).all()
    rows.attestations = [(a, signature_holds(settings, a)) for a in attestations if _readable(a)]
    lead = db.get(User, project.lead_id)
    if lead is not None:
        rows.certificates = lead_certificates(db, settings, lead)
    ids = {project.lead_id} | {m.user_id for m in rows.members}
    ids |= {r.author_id for r in [*rows.reflections, *rows.cycles] if r.author_id}
    ids |= {u for h in rows.handovers for u in (h.from_user_id, h.to_user_id) if u}
    found = db.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all()
    rows.names = {user_id: name for user_id, name in found}
    return rows


def _readable(row: ProjectAttestation) -> bool:
    try:
        payload = json.loads(row.payload)
        return all(k in payload for k in ("kind", "supervisor", "created_at", "text"))
    except ValueError:
        return False


def lead_certificates(db: Session, settings: Settings, lead: User) -> list[dict[str, str]]:
    """The lead's module certificates that still verify (never a revoked or broken one)."""
    found = []
    for cert in certificates.user_certificates(db, lead):
        result = certificates.check(settings, cert)
        if result.status == "valid" and result.view is not None:
            found.append(
                {
                    "certificate_id": cert.id,
                    "title": result.view.module_title,
                    "issued_at": iso_z(result.view.issued_at),
                }
            )
    return found


# ---- generating and listing -------------------------------------------------------------------


def generate(
    db: Session, settings: Settings, project: Project, user: User, verify_url_for: Any
) -> EvidencePack:
    """Build, hash, sign and store a pack with its history event, in one commit.

    `verify_url_for(pack_id)` gives the public check's address, printed in the PDF and its QR."""
    pack_id = new_pack_id()
    generated_at = utcnow().replace(microsecond=0)
    rows = gather(db, settings, project)
    content = build_content(
        rows,
        pack_id=pack_id,
        generated_at=generated_at,
        verify_url=verify_url_for(pack_id),
        by=user.name,
    )
    text = canonical_json(content)
    content_sha = sha256(text)
    pdf_sha, json_sha = sha256(pdf_file(content)), sha256(json_file(content))
    pack = EvidencePack(
        id=pack_id,
        project_id=project.id,
        generated_by_id=user.id,
        generated_at=generated_at,
        content=text,
        content_sha256=content_sha,
        pdf_sha256=pdf_sha,
        json_sha256=json_sha,
        signature=signing.sign(settings, statement(pack_id, content_sha, pdf_sha, json_sha)),
    )
    db.add(pack)
    history.record(db, project.id, user, "evidence_pack", pack_id)
    db.commit()
    db.refresh(pack)
    return pack


@dataclass(frozen=True)
class PackListing:
    id: str
    generated_at: datetime
    generated_by: str
    content_sha256: str


def packs(db: Session, project_id: int) -> list[PackListing]:
    """The project's packs, newest first, without their content."""
    query = (
        select(EvidencePack.id, EvidencePack.generated_at, User.name, EvidencePack.content_sha256)
        .outerjoin(User, col(User.id) == EvidencePack.generated_by_id)
        .where(EvidencePack.project_id == project_id)
        .order_by(col(EvidencePack.generated_at).desc(), col(EvidencePack.id))
    )
    return [
        PackListing(i, as_utc(at), name or "a former user", sha)
        for i, at, name, sha in db.exec(query)
    ]


def project_pack(db: Session, project_id: int, pack_id: str) -> EvidencePack | None:
    """The pack only if it belongs to this project: an id from elsewhere is no pack."""
    if not is_pack_id(pack_id) or len(pack_id) > 32:
        return None
    return db.exec(
        select(EvidencePack).where(
            EvidencePack.id == pack_id, EvidencePack.project_id == project_id
        )
    ).first()


# ---- checking ---------------------------------------------------------------------------------

Status = Literal["valid", "invalid", "unknown"]


@dataclass(frozen=True)
class PackCheck:
    """What the public check shows: the headline facts only, and whether they hold."""

    status: Status
    pack_id: str
    title: str = ""
    lead: str = ""
    generated_at: datetime | None = None
    content_sha256: str = ""
    signature_valid: bool = False


def check_pack(settings: Settings, pack: EvidencePack) -> PackCheck:
    sig = statement(pack.id, pack.content_sha256, pack.pdf_sha256, pack.json_sha256)
    signature_ok = signing.verify(settings, sig, pack.signature)
    content_ok = sha256(pack.content) == pack.content_sha256
    try:
        content = json.loads(pack.content)
        title, lead = str(content["project"]["title"]), str(content["lead"])
        same_id = content["id"] == pack.id
    except (ValueError, KeyError, TypeError):
        title, lead, same_id = "", "", False
    ok = signature_ok and content_ok and same_id
    return PackCheck(
        "valid" if ok else "invalid",
        pack.id,
        title,
        lead,
        as_utc(pack.generated_at),
        pack.content_sha256,
        signature_ok,
    )


def verify_pack(
    db: Session, settings: Settings, pack_id: str
) -> tuple[PackCheck, EvidencePack | None]:
    pack = db.get(EvidencePack, pack_id) if is_pack_id(pack_id) and len(pack_id) <= 32 else None
    if pack is None:
        return PackCheck("unknown", pack_id), None
    return check_pack(settings, pack), pack


def file_matches(pack: EvidencePack, data: bytes) -> str | None:
    """'PDF' or 'JSON' when the file is, byte for byte, that pack's file; None otherwise."""
    digest = sha256(data)
    if secrets.compare_digest(digest, pack.pdf_sha256):
        return "PDF"
    if secrets.compare_digest(digest, pack.json_sha256):
        return "JSON"
    return None
