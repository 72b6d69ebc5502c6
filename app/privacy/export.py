"""The subject access export: everything held about one person, as one JSON file, built from
the registry's export handlers, and audited with its row count and the SHA-256 of its bytes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session

from app.models import AuditEvent, User
from app.models.content import utcnow
from app.privacy.registry import REGISTRY, NotPersonal, Personal
from app.privacy.rows import Subject, plain

FORMAT = 1
ACTION = "export_subject_access"


def subject_of(user: User) -> Subject:
    assert user.id is not None
    return Subject(user.id, user.email, str(user.role))


def subject_access(db: Session, user: User) -> dict[str, Any]:
    """Table name -> the person's rows, for every table holding personal data; and the tables
    that hold none, with the reason, so the file says what it left out and why."""
    subject = subject_of(user)
    return {
        "format": FORMAT,
        "service": "QI Skills",
        "generated_at": plain(utcnow()),
        "subject": {"id": subject.id, "email": subject.email},
        "tables": {
            name: entry.export(db, subject)
            for name, entry in sorted(REGISTRY.items())
            if isinstance(entry, Personal)
        },
        "not_personal": {
            name: entry.reason
            for name, entry in sorted(REGISTRY.items())
            if isinstance(entry, NotPersonal)
        },
        "left_out": (
            "Password hashes, session and reset token hashes, and the network addresses of"
            " failed sign-ins (a guesser's address is not yours) are never exported."
        ),
    }


def export_file(db: Session, user: User) -> bytes:
    """The file's bytes; the audit row is committed before they are sent."""
    data = subject_access(db, user)
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    db.add(
        AuditEvent(
            actor_id=user.id,
            actor_role=str(user.role),
            action=ACTION,
            scope="self",
            rows=sum(len(rows) for rows in data["tables"].values()),
            sha256=hashlib.sha256(body).hexdigest(),
        )
    )
    db.commit()
    return body
