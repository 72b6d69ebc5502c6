"""The subject access export: everything held about the signed-in person, nothing of anyone
else's, from the account page, audited."""

from __future__ import annotations

import hashlib
import json

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent
from app.privacy.registry import personal
from tests.privacy.helpers import Person


def test_the_export_holds_every_kind_of_data_and_nothing_of_anothers(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, them = two
    assert 'href="/account/export"' in client.get("/account").text
    response = client.get("/account/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "attachment" in response.headers["content-disposition"]
    assert "no-store" in response.headers["cache-control"]
    data = json.loads(response.content)
    tables = data["tables"]
    assert set(tables) == set(personal()), "every personal table has its section"
    empty = [name for name, rows in tables.items() if not rows]
    assert empty == [], "each kind of data is in the export"
    assert tables["app_user"] == [
        {**tables["app_user"][0], "id": me.id, "email": me.email, "name": me.name}
    ]
    assert len(tables["attempt"]) == 2 and tables["certificate"][0]["id"] == me.certificate
    text = response.text
    assert me.marker in text
    for secret in ("password_hash", "token_hash", "192.0.2.1"):
        assert secret not in text
    for theirs in (them.email, them.name, them.marker, them.certificate):
        assert theirs not in text, f"another person's data in the export: {theirs}"
    for name, rows in tables.items():
        for row in rows:
            for key in ("user_id", "trainee_id", "supervisor_id", "used_by", "actor_id"):
                assert row.get(key) in (None, me.id), f"{name}: {row}"


def test_the_export_is_audited_with_the_hash_of_its_bytes(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, _ = two
    body = client.get("/account/export").content
    with Session(engine) as db:
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "export_subject_access")).all()
    assert [(e.actor_id, e.scope, e.sha256) for e in rows] == [
        (me.id, "self", hashlib.sha256(body).hexdigest())
    ]


def test_signed_out_visitors_are_sent_to_sign_in(server_url: str) -> None:
    with httpx.Client(base_url=server_url) as anonymous:
        response = anonymous.get("/account/export")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
