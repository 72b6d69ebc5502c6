"""Projects made straight in the database (the /projects pages are built elsewhere), and the team
members who use them over real HTTP."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from app.models import Project, ProjectMember
from tests.web.helpers import register
from tests.web.supervision_helpers import user_id


def project_for(engine: Engine, lead_email: str, title: str = "Sepsis antibiotics on AMU") -> int:
    """A project led by this user (a `lead` member row), as /projects would create it."""
    lead = user_id(engine, lead_email)
    with Session(engine) as db:
        project = Project(title=title, lead_id=lead, created_by_id=lead)
        db.add(project)
        db.flush()
        db.add(ProjectMember(project_id=project.id, user_id=lead, role="lead"))
        db.commit()
        return project.id or 0


def join(engine: Engine, project_id: int, email: str, role: str) -> None:
    with Session(engine) as db:
        db.add(ProjectMember(project_id=project_id, user_id=user_id(engine, email), role=role))
        db.commit()


def team_member(
    server_url: str, engine: Engine, project_id: int, role: str = "member"
) -> httpx.Client:
    """A new signed-in client on the team with this role (the caller closes it)."""
    client = httpx.Client(base_url=server_url, timeout=30)
    join(engine, project_id, register(client), role)
    return client
