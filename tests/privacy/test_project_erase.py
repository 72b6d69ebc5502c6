"""Erasing a project lead's account: the team keeps the project (led by the anonymous stand-in),
what the lead wrote stays without their name, their own reflections and memberships go, and a
project only they were on is deleted."""

from __future__ import annotations

import secrets
from html import unescape

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import DriverNode, Project, ProjectMember, ProjectReflection, User
from app.privacy.placeholder import ERASED_DOMAIN
from tests.privacy.helpers import Person
from tests.privacy.test_delete import traces
from tests.web.helpers import PASSWORD
from tests.web.projects_helpers import add, empty_tables, people, start_project  # noqa: F401


def test_erasing_a_lead_leaves_the_project_with_the_team(server_url: str, engine: Engine) -> None:
    ada_name = f"Dr Ada Lead-{secrets.token_hex(3)}"
    with people(server_url, engine, ada_name, "Nurse Bo Member") as (ada, bo):
        shared, alone = start_project(ada, "Sepsis six"), start_project(ada, "Solo audit")
        assert add(ada, shared, bo.email).status_code == 303
        ada.post(f"/projects/{shared}/sections/problem", {"text": "Late antibiotics"})
        ada.post(f"/projects/{shared}/reflections", {"text": "Ada's own thoughts"})
        bo.post(f"/projects/{shared}/reflections", {"text": "Bo's thoughts"})
        with Session(engine) as db:
            db.add(DriverNode(project_id=shared, kind="primary", text="Triage", author_id=ada.id))
            db.commit()
        gone = ada.post("/account/delete", {"password": PASSWORD, "confirm": "yes"},
                        headers={"Referer": "/account/delete"})  # fmt: skip
        assert gone.status_code == 200, gone.text[:300]

        page = bo.get(f"/projects/{shared}")
        assert page.status_code == 200, "the team still has its project"
        text = unescape(page.text)
        assert "Late antibiotics" in text and "Someone started the project" in text
        assert ada_name not in text
        assert (
            bo.post(f"/projects/{shared}/sections/context", {"text": "Ward 7"}).status_code == 303
        )
        reflections = bo.get(f"/projects/{shared}/reflections").text
        assert "Bo&#39;s thoughts" in reflections and "Ada&#39;s own thoughts" not in reflections

    person = Person(ada.id, ada.email, ada_name, f"unused-{secrets.token_hex(4)}", "none")
    assert traces(engine, person) == [], "nothing names the erased lead"
    with Session(engine) as db:
        project = db.get(Project, shared)
        assert project is not None and db.get(Project, alone) is None, "the solo project went"
        stand_in = db.get(User, project.lead_id)
        assert stand_in is not None and stand_in.email.endswith("@" + ERASED_DOMAIN)
        assert project.created_by_id == stand_in.id
        roles = {m.user_id: m.role for m in db.exec(select(ProjectMember)).all()}
        assert roles == {stand_in.id: "lead", bo.id: "member"}
        node = db.exec(select(DriverNode)).one()
        assert node.author_id is None and node.text == "Triage", "kept, without an author"
        left = db.exec(select(ProjectReflection.text)).all()
        assert list(left) == ["Bo's thoughts"]
