"""Projects over real HTTP: people with their own browsers, a project started the way a
trainee starts one, and the forms posted with the CSRF token from a page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent
from tests.conftest import _empty_learner_tables
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import user_id


@pytest.fixture(autouse=True)
def empty_tables(engine: Engine) -> Iterator[None]:
    """Import into a test module: every test there starts from empty tables, as `client` does."""
    yield
    _empty_learner_tables(engine)


@dataclass
class Someone:
    client: httpx.Client
    email: str
    id: int

    def post(self, path: str, data: dict | None = None, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        token = csrf(self.client, "/projects")
        return self.client.post(path, data={"csrf_token": token, **(data or {})}, **kw)

    def get(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return self.client.get(path, **kw)


@contextmanager
def people(server_url: str, engine: Engine, *names: str) -> Iterator[list[Someone]]:
    """Registered, signed-in people, each with their own browser."""
    clients = [httpx.Client(base_url=server_url, timeout=30) for _ in names]
    try:
        found = []
        for name, client in zip(names, clients, strict=True):
            email = register(client, name=name)
            found.append(Someone(client, email, user_id(engine, email)))
        yield found
    finally:
        for client in clients:
            client.close()


def start_project(person: Someone, title: str = "Antibiotics within the hour") -> int:
    response = person.post("/projects", {"title": title})
    assert response.status_code == 303, response.text[:500]
    match = re.fullmatch(r"/projects/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def refusals(engine: Engine) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(select(AuditEvent.scope).where(AuditEvent.action == "forbidden"))
        return list(rows.all())


INVITE_LINK = re.compile(r'<code class="qi-code" id="invite-link">(https?://[^<]+)</code>')


def invite(lead: Someone, project_id: int, email: str, role: str = "member") -> str:
    """Invite by email; returns the path of the link shown once to the lead."""
    response = lead.post(
        f"/projects/{project_id}/members",
        {"member_email": email, "member_role": role, "how": "invite"},
    )
    assert response.status_code == 201, response.text[:500]
    match = INVITE_LINK.search(response.text)
    assert match, "the link is shown to the lead"
    return "/" + match.group(1).split("/", 3)[3]


def add(lead: Someone, project_id: int, email: str, role: str = "member") -> httpx.Response:
    return lead.post(
        f"/projects/{project_id}/members",
        {"member_email": email, "member_role": role, "how": "add"},
    )


def fuzz_projects(lead: httpx.Client, other: httpx.Client, other_email: str) -> list[str]:
    """Projects for the fuzzer's cast (tests/security/test_fuzz.py), so every project form
    appears at a real address: one project with a teammate, a reflection, a pending invitation
    and a handover waiting for the teammate's answer; a second one showing the handover form.
    Returns the invitation link, which no page links to."""

    def send(path: str, data: dict) -> httpx.Response:
        return lead.post(path, data={"csrf_token": csrf(lead, "/projects"), **data})

    first = send("/projects", {"title": "Falls at night"}).headers["location"]
    send(f"{first}/members", {"member_email": other_email, "member_role": "member", "how": "add"})
    send(f"{first}/reflections", {"text": "Huddles help"})
    shown = send(f"{first}/members", {"member_email": "new@example.nhs.uk", "how": "invite"})
    match = INVITE_LINK.search(shown.text)
    assert match, shown.text[:300]
    other_id = re.search(r'<option value="(\d+)"', lead.get(f"{first}/handover").text)
    assert other_id, "the teammate is offered as successor"
    note = {"what_works": "a", "what_next": "b", "who_to_talk_to": "c"}
    assert send(f"{first}/handover", {"successor": other_id.group(1), **note}).status_code == 303
    send("/projects", {"title": "Sepsis six"})
    assert "Offered to you" in other.get("/projects").text
    return ["/" + match.group(1).split("/", 3)[3]]
