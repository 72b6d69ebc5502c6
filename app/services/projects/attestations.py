"""Supervisors' comments and attestations on a project: dated, named and signed.

The payload is canonical JSON of what was said, by whom, about which project and when; the row
keeps those exact bytes and their Ed25519 signature, so an evidence pack generated later repeats
the words as signed, and a changed row no longer verifies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.config import Settings
from app.models import Project, ProjectAttestation, User
from app.models.content import as_utc, utcnow
from app.security import signing
from app.services.certificates import canonical_json, iso_z
from app.services.projects import history

KINDS = {"comment": "Comment", "attestation": "Attestation"}
MAX_TEXT = 4000
FORMAT = 1


def problems(kind: str, text: str) -> dict[str, str]:
    """What is wrong with the form, by field; empty when it can be saved."""
    errors = {}
    if kind not in KINDS:
        errors["kind"] = "Choose whether this is a comment or an attestation"
    if not text.strip():
        errors["text"] = "Enter your comment or attestation"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"Keep it to {MAX_TEXT:,} characters or fewer (it has {len(text):,})"
    return errors


def payload(project: Project, supervisor: User, kind: str, text: str, at: datetime) -> str:
    return canonical_json(
        {
            "format": FORMAT,
            "project_id": project.id,
            "supervisor": supervisor.name,
            "kind": kind,
            "text": text,
            "created_at": iso_z(at),
        }
    )


def add(
    db: Session, settings: Settings, project: Project, supervisor: User, kind: str, text: str
) -> ProjectAttestation:
    """Sign and store, with a history event, in one commit. Check `problems` first."""
    text = text.strip()
    at = utcnow().replace(microsecond=0)
    signed = payload(project, supervisor, kind, text, at)
    row = ProjectAttestation(
        project_id=project.id,
        supervisor_id=supervisor.id,
        kind=kind,
        text=text,
        payload=signed,
        signature=signing.sign(settings, signed.encode("utf-8")),
        created_at=at,
    )
    db.add(row)
    history.record(db, project.id, supervisor, f"supervisor_{kind}")
    db.commit()
    db.refresh(row)
    return row


def signature_holds(settings: Settings, row: ProjectAttestation) -> bool:
    """The signature is over these bytes, and the bytes are about this project."""
    if not signing.verify(settings, row.payload.encode("utf-8"), row.signature):
        return False
    try:
        return json.loads(row.payload).get("project_id") == row.project_id
    except ValueError:
        return False


@dataclass(frozen=True)
class Shown:
    kind: str
    name: str
    text: str
    created_at: datetime
    signature_valid: bool
    withdrawn: bool = False  # the supervisor's account was deleted: name and signature erased


def shown(settings: Settings, row: ProjectAttestation) -> Shown:
    """One remark as the page shows it. An erased supervisor's remark keeps its text but no
    longer says who signed it, and says so rather than calling the signature forged."""
    at = as_utc(row.created_at)
    if not row.payload and not row.signature:
        return Shown(row.kind, "a supervisor whose account was deleted", row.text, at, False, True)
    try:
        data = json.loads(row.payload)
        name, text = str(data["supervisor"]), str(data["text"])
    except (ValueError, KeyError, TypeError):
        name, text = "unknown", row.text
    return Shown(row.kind, name, text, at, signature_holds(settings, row))


def listed(db: Session, settings: Settings, project_id: int) -> list[Shown]:
    """The project's comments and attestations, oldest first, as signed."""
    rows = db.exec(
        select(ProjectAttestation)
        .where(ProjectAttestation.project_id == project_id)
        .order_by(col(ProjectAttestation.created_at), col(ProjectAttestation.id))
    ).all()
    return [shown(settings, row) for row in rows]
