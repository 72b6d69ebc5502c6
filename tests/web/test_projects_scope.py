"""The project scope, as issue 14 requires it: a non-member gets a 404 and an audit row on
EVERY route under /projects/{project_id}, including routes added later (they are read from the
app itself), and a row id of one project used under another project's address is a 404."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models import (
    Conversation,
    DriverNode,
    EvidencePack,
    Handover,
    Measure,
    PdsaCycle,
    ProjectAttestation,
    ProjectInvite,
    ProjectMember,
    ProjectReflection,
    Stakeholder,
)
from app.models.content import utcnow
from tests.web.projects_helpers import (  # noqa: F401
    Someone,
    add,
    empty_tables,
    people,
    refusals,
    start_project,
)

PREFIX = "/projects/{project_id}"
# Path parameters that are not row ids: a plausible value (the scope check comes first anyway).
NOT_IDS = {"section": "problem", "format": "pdf", "kind": "outcome"}
# Which sample row an id parameter names, by the words in its name. A new kind of id fails the
# test below until it is added here, so no route is tried with a made-up id.
ID_WORDS = (
    (("measure",), "measure"),
    (("cycle", "pdsa"), "cycle"),
    (("node", "driver", "idea"), "node"),
    (("stakeholder",), "stakeholder"),
    (("conversation",), "conversation"),
    (("reflection",), "reflection"),
    (("handover",), "handover"),
    (("attestation", "comment"), "attestation"),
    (("pack", "evidence"), "pack"),
    (("invite",), "invite"),
    (("member", "user"), "member"),
)


def project_routes(settings: Settings) -> list[tuple[str, str]]:
    """Every (METHOD, path template) the app serves under /projects/{project_id}."""
    paths = create_app(settings).openapi()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if path == PREFIX or path.startswith(PREFIX + "/")
        for method in operations
    )


def sample_rows(engine: Engine, project_id: int, lead: Someone, member: Someone) -> dict[str, str]:
    """One real row of every kind in the project, written directly."""
    with Session(engine) as db:
        node = DriverNode(project_id=project_id, kind="primary", text="Triage", author_id=lead.id)
        measure = Measure(project_id=project_id, name="Door to needle", kind="outcome",
                          author_id=lead.id)  # fmt: skip
        stakeholder = Stakeholder(project_id=project_id, name="Pharmacy", power="high",
                                  interest="low", author_id=lead.id)  # fmt: skip
        db.add_all([node, measure, stakeholder])
        db.flush()
        cycle = PdsaCycle(project_id=project_id, number=1, change="Trolley",
                          change_idea_id=node.id, author_id=lead.id)  # fmt: skip
        conversation = Conversation(project_id=project_id, stakeholder_id=stakeholder.id,
                                    held_on=date(2026, 11, 1), summary="Agreed",
                                    author_id=lead.id)  # fmt: skip
        reflection = ProjectReflection(project_id=project_id, author_id=lead.id, text="Went well")
        handover = Handover(project_id=project_id, from_user_id=lead.id, to_user_id=member.id,
                            what_works="a", what_next="b", who_to_talk_to="c")  # fmt: skip
        attestation = ProjectAttestation(project_id=project_id, supervisor_id=None,
                                         kind="comment", text="Good", payload="{}",
                                         signature="x")  # fmt: skip
        pack = EvidencePack(id=secrets.token_hex(8).upper(), project_id=project_id,
                            generated_by_id=lead.id, content="{}", content_sha256="0" * 64,
                            pdf_sha256="0" * 64, json_sha256="0" * 64, signature="x")  # fmt: skip
        invite = ProjectInvite(project_id=project_id, email="x@example.nhs.uk", role="member",
                               token_hash=secrets.token_hex(32), invited_by_id=lead.id,
                               expires_at=utcnow() + timedelta(days=1))  # fmt: skip
        db.add_all([cycle, conversation, reflection, handover, attestation, pack, invite])
        db.commit()
        membership = db.exec(
            select(ProjectMember).where(
                ProjectMember.project_id == project_id, ProjectMember.user_id == member.id
            )
        ).one()
        rows = {
            "measure": measure.id, "cycle": cycle.id, "node": node.id,
            "stakeholder": stakeholder.id, "conversation": conversation.id,
            "reflection": reflection.id, "handover": handover.id, "attestation": attestation.id,
            "pack": pack.id, "invite": invite.id, "member": membership.id,
        }  # fmt: skip
    return {kind: str(value) for kind, value in rows.items()}


def fill(template: str, project_id: int, rows: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "project_id":
            return str(project_id)
        for words, kind in ID_WORDS:
            if any(word in name for word in words):
                return rows[kind]
        assert not name.endswith("id"), f"{template}: add a sample row for {{{name}}} to ID_WORDS"
        return NOT_IDS.get(name, "x")

    return re.sub(r"\{(\w+)\}", value, template)


def test_a_non_member_gets_404_and_an_audit_row_on_every_project_route(
    server_url: str, engine: Engine, settings: Settings
) -> None:
    routes = project_routes(settings)
    assert ("GET", PREFIX) in routes and ("POST", PREFIX + "/handover") in routes
    assert len(routes) >= 14, routes  # this helper's own; others add theirs
    with people(server_url, engine, "Dr Ada Lead", "Nurse Bo", "Dr Eve Outsider") as (
        lead, member, outsider,
    ):  # fmt: skip
        pid = start_project(lead)
        assert add(lead, pid, member.email).status_code == 303
        rows = sample_rows(engine, pid, lead, member)
        wrong = []
        for method, template in routes:
            path = fill(template, pid, rows)
            if method == "GET":
                response = outsider.get(path)
            else:
                response = outsider.post(path, {"text": "x", "title": "x"})
            if response.status_code != 404:
                wrong.append(f"{method} {template}: {response.status_code}")
            elif f"{method} {path}" not in refusals(engine):
                wrong.append(f"{method} {template}: 404 but no audit row")
        assert wrong == [], "\n".join(wrong)
        # And nothing changed: the team's own view is as it was.
        assert "Went well" in lead.get(f"/projects/{pid}/reflections").text


def test_a_row_of_one_project_under_another_projects_address_is_404(
    server_url: str, engine: Engine
) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Nurse Bo") as (lead, member):
        first, second = start_project(lead, "A"), start_project(lead, "B")
        assert add(lead, first, member.email).status_code == 303
        rows = sample_rows(engine, first, lead, member)
        tries = [
            (f"/projects/{second}/reflections/{rows['reflection']}/delete",
             f"project_reflection:{rows['reflection']}"),
            (f"/projects/{second}/members/{rows['member']}/remove",
             f"project_member:{rows['member']}"),
            (f"/projects/{second}/members/{rows['member']}/role",
             f"project_member:{rows['member']}"),
            (f"/projects/{second}/invites/{rows['invite']}/cancel",
             f"project_invite:{rows['invite']}"),
        ]  # fmt: skip
        for path, scope in tries:
            response = lead.post(path, {"role": "supervisor"})
            assert response.status_code == 404, (path, response.status_code)
            assert scope in refusals(engine), path
        with Session(engine) as db:
            assert db.get(ProjectReflection, int(rows["reflection"])) is not None
            member_row = db.get(ProjectMember, int(rows["member"]))
            assert member_row is not None and member_row.role == "member"
            assert member_row.ended_at is None
