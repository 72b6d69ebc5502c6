"""Every refusal and every change to an account leaves an audit row (issue 13, item 7)."""

from __future__ import annotations

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent, Dataset, Role
from tests.web.helpers import PASSWORD, csrf, post, register
from tests.web.supervision_helpers import set_role, user_id


def events(engine: Engine, action: str) -> list[AuditEvent]:
    with Session(engine) as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_a_role_refusal_and_a_look_at_anothers_dataset_are_audited(
    client: httpx.Client, server_url: str, engine: Engine
) -> None:
    owner = user_id(engine, register(client))
    with Session(engine) as db:
        dataset = Dataset(user_id=owner, title="Mine", chart="run", profile="ihi", values_text="1")
        db.add(dataset)
        db.commit()
        dataset_id = dataset.id
    with httpx.Client(base_url=server_url) as other:
        nosy = user_id(engine, register(other))
        assert other.get("/admin/users").status_code == 403
        assert other.get(f"/lab/datasets/{dataset_id}").status_code == 404
    refusals = {(e.actor_id, e.scope, e.detail) for e in events(engine, "forbidden")}
    assert (nosy, "GET /admin/users", "answered 403") in refusals
    assert (nosy, f"dataset:{dataset_id}", "answered 404") in refusals


def test_password_email_and_role_changes_are_audited(client: httpx.Client, engine: Engine) -> None:
    email = register(client)
    me = user_id(engine, email)
    token = csrf(client, "/account")
    changed = client.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "new_password": "b" * 12},
    )
    assert changed.status_code == 303
    moved = post(
        client, "/account/email", {"email": "new-" + email, "password": "b" * 12}, "/account"
    )
    assert moved.status_code == 303
    assert [e.scope for e in events(engine, "password_changed")] == [f"user:{me}"]
    assert events(engine, "email_changed")[0].detail == f"{email} -> new-{email}"
    set_role(engine, "new-" + email, Role.admin)
    with httpx.Client(base_url=str(client.base_url)) as other:
        them = user_id(engine, register(other))
    role = post(client, f"/admin/users/{them}/role", {"role": "supervisor"}, "/admin/users")
    assert role.status_code == 303
    (event,) = events(engine, "role_changed")
    assert (event.actor_id, event.scope, event.detail) == (
        me,
        f"user:{them}",
        "trainee -> supervisor",
    )
