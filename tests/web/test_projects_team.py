"""A project's team: invitations by email link (emailed and shown once, single use, 14 days,
one winner of a race), adding an existing account, roles, removing and leaving."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.main import create_app
from app.models import ProjectEvent, ProjectInvite, ProjectMember
from app.models.content import utcnow
from app.security.tokens import digest
from tests.conftest import CONTENT_DIR
from tests.live_server import serve
from tests.web.helpers import PASSWORD, csrf, post, register
from tests.web.projects_helpers import (  # noqa: F401
    add,
    empty_tables,
    invite,
    people,
    start_project,
)
from tests.web.smtp import Inbox, smtp_server
from tests.web.supervision_helpers import user_id


def members(engine: Engine, project_id: int) -> dict[int, str]:
    with Session(engine) as db:
        rows = db.exec(
            select(ProjectMember).where(
                ProjectMember.project_id == project_id, col(ProjectMember.ended_at).is_(None)
            )
        ).all()
    return {m.user_id: m.role for m in rows}


@pytest.fixture(scope="module")
def mailing(database_url: str) -> Iterator[tuple[Inbox, str]]:
    """The app with a real SMTP server behind QI_SMTP_URL."""
    with smtp_server() as (inbox, smtp_url):
        settings = Settings(
            database_url=database_url, content_dir=CONTENT_DIR, password_profile="test",
            smtp_url=smtp_url, mail_from="QI Skills <qi@example.org>",
        )  # fmt: skip
        with serve(create_app(settings)) as url:
            yield inbox, url


def test_an_invitation_is_emailed_shown_once_and_used_once(
    mailing: tuple[Inbox, str], engine: Engine
) -> None:
    inbox, url = mailing
    inbox.clear()
    with people(url, engine, "Dr Ada Lead", "Nurse Bo New", "Dr Cy Other") as (lead, bo, cy):
        pid = start_project(lead, "Falls at night")
        path = invite(lead, pid, "BO.NEW@example.nhs.uk")
        (message,) = inbox.wait_for(1)
        assert message["To"] == "bo.new@example.nhs.uk"
        link = re.search(r"https?://\S+/projects/invites/\S+", message.get_content())
        assert link and urlsplit(link.group(0)).path == path, "the same link, emailed"
        token = path.rsplit("/", 1)[1]
        with Session(engine) as db:
            stored = db.exec(select(ProjectInvite)).one()
            assert stored.token_hash == digest(token) and token not in stored.token_hash
            assert abs((stored.expires_at - stored.created_at) - timedelta(days=14)) < timedelta(
                seconds=1
            )
        page = lead.get(f"/projects/{pid}").text
        assert path not in page, "shown once: not on the page afterwards"
        assert "bo.new@example.nhs.uk" in page, "the lead sees it waiting"
        offered = bo.get(path)
        assert offered.status_code == 200
        assert "Dr Ada Lead" in offered.text and "Falls at night" in unescape(offered.text)
        joined = bo.post(path)
        assert joined.status_code == 303 and joined.headers["location"].startswith(
            f"/projects/{pid}"
        )
        assert members(engine, pid) == {lead.id: "lead", bo.id: "member"}
        again = cy.post(path)
        assert again.status_code == 409 and "does not work" in again.text
        assert cy.get(path).status_code == 404
        assert cy.get(f"/projects/{pid}").status_code == 404


def test_signed_out_the_link_goes_to_sign_in_and_back(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead") as (lead,):
        pid = start_project(lead)
        path = invite(lead, pid, "someone@example.nhs.uk")
        with httpx.Client(base_url=server_url) as visitor:
            email = register(visitor)
            visitor.cookies.clear()  # signed out
            first = visitor.get(path)
            assert first.status_code == 303
            sign_in = first.headers["location"]
            assert sign_in == f"/login?next={path}"
            back = post(visitor, "/login", {"email": email, "password": PASSWORD, "next": path})
            assert back.status_code == 303 and back.headers["location"] == path
            assert "Join the team" in visitor.get(path).text
            accepted = visitor.post(path, data={"csrf_token": csrf(visitor, "/projects")})
            assert accepted.status_code == 303
        assert set(members(engine, pid).values()) == {"lead", "member"}


def test_eight_accepting_one_link_at_once_one_joins(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", *[f"Trainee {i}" for i in range(8)]) as team:
        lead, others = team[0], team[1:]
        pid = start_project(lead)
        path = invite(lead, pid, "anyone@example.nhs.uk")
        tokens = [csrf(o.client, "/projects") for o in others]
        start = threading.Barrier(len(others))

        def take(i: int) -> httpx.Response:
            start.wait()
            return others[i].client.post(path, data={"csrf_token": tokens[i]})

        with ThreadPoolExecutor(max_workers=len(others)) as pool:
            answers = list(pool.map(take, range(len(others))))
    assert sorted(a.status_code for a in answers) == [303] + [409] * 7
    assert len(members(engine, pid)) == 2, "the lead and exactly one newcomer"


def test_an_expired_link_does_not_work(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Nurse Bo") as (lead, bo):
        pid = start_project(lead)
        path = invite(lead, pid, "bo@example.nhs.uk")
        with Session(engine) as db:
            row = db.exec(select(ProjectInvite)).one()
            row.expires_at = utcnow() - timedelta(seconds=1)
            db.add(row)
            db.commit()
        assert bo.get(path).status_code == 404
        assert bo.post(path).status_code == 409
        assert bo.id not in members(engine, pid)


def test_adding_an_account_roles_removal_and_leaving(server_url: str, engine: Engine) -> None:
    names = ("Dr Ada Lead", "Nurse Bo", "Dr Cy Sup", "Dr Di Member")
    with people(server_url, engine, *names) as (lead, bo, cy, di):
        pid = start_project(lead)
        unknown = add(lead, pid, "nobody@example.nhs.uk")
        assert unknown.status_code == 422 and "No account uses that address" in unknown.text
        assert 'value="nobody@example.nhs.uk"' in unknown.text, "input kept"
        bad = lead.post(f"/projects/{pid}/members", {"member_email": "not-an-email",
                        "member_role": "lead", "how": "add"})  # fmt: skip
        assert bad.status_code == 422 and "Choose member or supervisor" in bad.text
        for who, role in ((bo, "member"), (cy, "supervisor"), (di, "member")):
            assert add(lead, pid, who.email, role).status_code == 303
        assert add(lead, pid, bo.email).status_code == 422, "already on the team"
        assert members(engine, pid) == {lead.id: "lead", bo.id: "member", cy.id: "supervisor",
                                        di.id: "member"}  # fmt: skip
        with Session(engine) as db:
            ids = {m.user_id: m.id for m in db.exec(select(ProjectMember)).all()}
        # Only the lead manages the team; a member gets 403 (audited).
        assert bo.post(f"/projects/{pid}/members/{ids[di.id]}/remove").status_code == 403
        assert (
            lead.post(
                f"/projects/{pid}/members/{ids[bo.id]}/role", {"role": "supervisor"}
            ).status_code
            == 303
        )
        mine = lead.post(f"/projects/{pid}/members/{ids[lead.id]}/role", {"role": "member"})
        assert mine.status_code == 422 and "hand the project over" in mine.text
        assert lead.post(f"/projects/{pid}/members/{ids[lead.id]}/remove").status_code == 409
        assert lead.post(f"/projects/{pid}/members/{ids[di.id]}/remove").status_code == 303
        assert di.get(f"/projects/{pid}").status_code == 404, "removed: no longer sees it"
        assert cy.post(f"/projects/{pid}/leave").status_code == 303
        assert lead.post(f"/projects/{pid}/leave").status_code == 409, "the lead hands over first"
        assert members(engine, pid) == {lead.id: "lead", bo.id: "supervisor"}
        # Someone who left can be added again.
        assert add(lead, pid, di.email).status_code == 303
        assert members(engine, pid)[di.id] == "member"
    with Session(engine) as db:
        actions = db.exec(select(ProjectEvent.action).where(ProjectEvent.project_id == pid)).all()
    for action in ("member_added", "role_changed", "member_removed", "left"):
        assert action in actions


def test_the_lead_withdraws_an_invitation(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Nurse Bo") as (lead, bo):
        pid = start_project(lead)
        path = invite(lead, pid, "bo@example.nhs.uk")
        with Session(engine) as db:
            invite_id = db.exec(select(ProjectInvite.id)).one()
        assert lead.post(f"/projects/{pid}/invites/{invite_id}/cancel").status_code == 303
        assert bo.post(path).status_code == 409
        assert user_id(engine, bo.email) not in members(engine, pid)
