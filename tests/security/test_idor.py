"""IDOR: every route that takes the id of something a person owns, tried by another person who
must not see it, answers 404 (as if it did not exist) and leaves an audit row."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models import Annotation, AuditEvent, Dataset, Role, Supervision, User
from app.services.supervision import create_invite, start_supervision
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import set_role, user_id
from tests.web.test_certificates import issue


def refusals(engine: Engine) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(select(AuditEvent.scope).where(AuditEvent.action == "forbidden"))
        return list(rows.all())


def try_all(client: httpx.Client, engine: Engine, tries: list[tuple[str, str, str]]) -> None:
    token = csrf(client, "/lab")
    for method, url, scope in tries:
        data = {"csrf_token": token} if method == "POST" else None
        response = client.request(method, url, data=data)
        assert response.status_code == 404, (method, url, response.status_code)
        assert scope in refusals(engine), (method, url)


def test_another_persons_ids_are_404_and_audited(
    client: httpx.Client, server_url: str, engine: Engine, settings: Settings
) -> None:
    owner_email = register(client)
    owner = user_id(engine, owner_email)
    with httpx.Client(base_url=server_url) as other:
        boss = set_role(engine, register(other), Role.supervisor)
    with Session(engine) as db:
        dataset = Dataset(user_id=owner, title="Mine", chart="run", profile="ihi", values_text="1")
        db.add(dataset)
        db.commit()
        note = Annotation(dataset_id=dataset.id, point_index=0, text="PDSA 1")
        db.add(note)
        start_supervision(db, boss, owner)
        invite = create_invite(db, db.get(User, boss))
        db.commit()
        dataset_id, note_id, invite_id = dataset.id, note.id, invite.id
        supervision_id = db.exec(select(Supervision.id)).one()
    cert_id = issue(engine, settings, owner_email)
    lab = f"/lab/datasets/{dataset_id}"

    with httpx.Client(base_url=server_url) as stranger:  # another trainee
        register(stranger)
        try_all(stranger, engine, [
            ("GET", lab, f"dataset:{dataset_id}"),
            ("POST", lab, f"dataset:{dataset_id}"),
            ("POST", f"{lab}/annotations", f"dataset:{dataset_id}"),
            ("POST", f"{lab}/annotations/{note_id}/delete", f"dataset:{dataset_id}"),
            ("GET", f"/certificates/{cert_id}", f"certificate:{cert_id}"),
            ("GET", f"/certificates/{cert_id}.pdf", f"certificate:{cert_id}"),
            ("POST", f"/account/supervisors/{supervision_id}/end",
             f"supervision:{supervision_id}"),
            ("POST", "/account/cohorts/2147483000/leave", "cohort:2147483000"),
        ])  # fmt: skip

    with httpx.Client(base_url=server_url) as rival:  # a supervisor of nobody here
        set_role(engine, register(rival), Role.supervisor)
        try_all(rival, engine, [
            ("GET", f"/supervise/trainees/{owner}", f"trainee:{owner}"),
            ("POST", f"/supervise/invites/{invite_id}/cancel", f"invite:{invite_id}"),
        ])  # fmt: skip
