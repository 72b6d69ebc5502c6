"""Projects made straight in the database for the coach, driver and stakeholder tests (the
/projects pages that create them belong to another part of the app)."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Measure, Project, ProjectMember, User


def make_user(engine: Engine, name: str = "Someone") -> int:
    with Session(engine) as db:
        user = User(email=f"u-{uuid.uuid4().hex[:10]}@example.nhs.uk", name=name, password_hash="x")
        db.add(user)
        db.commit()
        return user.id


def make_project(engine: Engine, lead_id: int, **fields) -> int:  # type: ignore[no-untyped-def]
    """A project led by `lead_id` (with its lead member row)."""
    with Session(engine) as db:
        project = Project(
            title=fields.pop("title", "Sepsis antibiotics"),
            lead_id=lead_id,
            created_by_id=lead_id,
            **fields,
        )
        db.add(project)
        db.flush()
        db.add(ProjectMember(project_id=project.id, user_id=lead_id, role="lead"))
        db.commit()
        return project.id


def add_member(engine: Engine, project_id: int, user_id: int, role: str) -> None:
    with Session(engine) as db:
        db.add(ProjectMember(project_id=project_id, user_id=user_id, role=role))
        db.commit()


def add_measure(engine: Engine, project_id: int, name: str, kind: str = "outcome", **data) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        measure = Measure(project_id=project_id, name=name, kind=kind, **data)
        db.add(measure)
        db.commit()
        return measure.id


def id_of(engine: Engine, email: str) -> int:
    with Session(engine) as db:
        return db.exec(select(User.id).where(User.email == email)).one()


def refusals(engine: Engine, path: str) -> list[str]:
    """Audit rows for refused requests whose scope names this path."""
    from app.models import AuditEvent

    with Session(engine) as db:
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "forbidden")).all()
        return [f"{r.scope} {r.detail}" for r in rows if path in r.scope]
