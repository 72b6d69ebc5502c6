"""Handover at rotation: the note is required, the successor accepts once, the lead moves and
nothing else does (authorship and history kept), and records show who handed over what."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Handover, Project, ProjectEvent, ProjectMember, ProjectReflection, Role
from app.services.supervision import start_supervision
from tests.web.helpers import csrf
from tests.web.projects_helpers import (  # noqa: F401
    Someone,
    add,
    empty_tables,
    people,
    refusals,
    start_project,
)
from tests.web.supervision_helpers import set_role

NOTE = {
    "what_works": "Daily huddle at 08:30 <works>",
    "what_next": "PDSA 3: the sepsis trolley",
    "who_to_talk_to": "Sister Grey on ward 7",
}


def offer(lead: Someone, pid: int, **fields: str) -> httpx.Response:
    return lead.post(f"/projects/{pid}/handover", {**NOTE, **fields})


def handover_id(engine: Engine) -> int:
    with Session(engine) as db:
        return db.exec(select(Handover.id).where(Handover.status == "pending")).one()


def test_the_note_is_required_and_the_form_keeps_what_was_typed(
    server_url: str, engine: Engine
) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Dr Bo Next") as (lead, bo):
        pid = start_project(lead)
        add(lead, pid, bo.email)
        refused = offer(lead, pid, successor=str(bo.id), who_to_talk_to="  ")
        assert refused.status_code == 422
        text = unescape(refused.text)
        assert "Write “who to talk to”" in text
        assert "Daily huddle at 08:30 <works>" in text and "PDSA 3: the sepsis trolley" in text
        assert f'<option value="{bo.id}" selected>' in refused.text, "the choice is kept"
        nobody = offer(lead, pid)
        assert nobody.status_code == 422 and "Choose who will lead" in nobody.text
        stranger = offer(lead, pid, successor_email="nobody@example.nhs.uk")
        assert stranger.status_code == 422 and "No account uses that address" in stranger.text
        myself = offer(lead, pid, successor_email=lead.email)
        assert myself.status_code == 422 and "other than yourself" in myself.text
        assert bo.post(f"/projects/{pid}/handover", NOTE).status_code == 403, "only the lead"
    with Session(engine) as db:
        assert db.exec(select(Handover)).all() == []


def test_accepting_moves_the_lead_and_keeps_authorship_and_history(
    server_url: str, engine: Engine
) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Dr Bo Next") as (ada, bo):
        pid = start_project(ada)
        ada.post(f"/projects/{pid}/sections/problem", {"text": "Late antibiotics"})
        ada.post(f"/projects/{pid}/reflections", {"text": "Ada's reflection"})
        # Bo has an account but is not on the team: offered by email.
        assert offer(ada, pid, successor_email=bo.email).status_code == 303
        hid = handover_id(engine)
        listing = unescape(bo.get("/projects").text)
        assert "Offered to you" in listing and f"/projects/handovers/{hid}" in listing
        note = bo.get(f"/projects/handovers/{hid}")
        assert note.status_code == 200 and "Sister Grey on ward 7" in note.text
        assert "Daily huddle at 08:30 &lt;works&gt;" in note.text
        assert ada.get(f"/projects/handovers/{hid}").status_code == 404, "only the successor"
        assert f"handover:{hid}" in refusals(engine)
        accepted = bo.post(f"/projects/handovers/{hid}/accept")
        assert accepted.status_code == 303 and accepted.headers["location"].startswith(
            f"/projects/{pid}"
        )
        assert bo.post(f"/projects/handovers/{hid}/accept").status_code == 404, "accepted once"
        page = unescape(bo.get(f"/projects/{pid}").text)
        assert "Handovers" in page and "From Dr Ada Lead to Dr Bo Next" in page
        assert (
            "Sister Grey on ward 7" in page
            and "Dr Bo Next took over as lead from Dr Ada Lead" in page
        )
        assert "Dr Ada Lead started the project" in page, "history kept"
        # Ada stays on the team as a member: she still edits, no longer leads.
        assert ada.post(f"/projects/{pid}/sections/context", {"text": "Ward 7"}).status_code == 303
        assert offer(ada, pid, successor=str(bo.id)).status_code == 403
        record = unescape(ada.get("/learning/record").text)
        assert "Handed over" in record and "handed over to Dr Bo Next" in record
        bo_record = unescape(bo.get("/learning/record").text)
        assert f'<a href="/projects/{pid}">Antibiotics within the hour</a>' in bo_record
        # Ada may leave later and still sees on /projects that she handed it over.
        assert ada.post(f"/projects/{pid}/leave").status_code == 303
        assert ada.get(f"/projects/{pid}").status_code == 404
        assert "Handed over to Dr Bo Next" in unescape(ada.get("/projects").text)
    with Session(engine) as db:
        project = db.get(Project, pid)
        assert project is not None and project.lead_id == bo.id and project.created_by_id == ada.id
        roles = {m.user_id: (m.role, m.ended_at is None) for m in db.exec(select(ProjectMember))}
        assert roles == {bo.id: ("lead", True), ada.id: ("member", False)}
        (reflection,) = db.exec(select(ProjectReflection)).all()
        assert reflection.author_id == ada.id, "authorship unchanged"
        first = db.exec(select(ProjectEvent).where(ProjectEvent.action == "created")).one()
        assert first.actor_id == ada.id


def test_two_accepts_at_once_take_over_once(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Dr Bo Next") as (ada, bo):
        pid = start_project(ada)
        add(ada, pid, bo.email)
        offer(ada, pid, successor=str(bo.id))
        hid = handover_id(engine)
        token = csrf(bo.client, "/projects")
        start = threading.Barrier(4)

        def take(_: int) -> int:
            with httpx.Client(base_url=server_url, cookies=bo.client.cookies) as tab:
                start.wait()
                path = f"/projects/handovers/{hid}/accept"
                return tab.post(path, data={"csrf_token": token}).status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = sorted(pool.map(take, range(4)))
    assert statuses.count(303) == 1 and set(statuses) <= {303, 404, 409}, statuses
    with Session(engine) as db:
        taken = db.exec(select(ProjectEvent).where(ProjectEvent.action == "handover_accepted"))
        assert len(taken.all()) == 1


def test_decline_and_cancel(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Dr Bo Next") as (ada, bo):
        pid = start_project(ada)
        add(ada, pid, bo.email)
        offer(ada, pid, successor=str(bo.id))
        assert offer(ada, pid, successor=str(bo.id)).status_code == 422, "one at a time"
        hid = handover_id(engine)
        assert f"/projects/handovers/{hid}" in bo.get(f"/projects/{pid}").text
        assert bo.post(f"/projects/handovers/{hid}/decline").status_code == 303
        offer(ada, pid, successor=str(bo.id))
        second = handover_id(engine)
        assert ada.post(f"/projects/{pid}/handover/cancel").status_code == 303
        assert bo.post(f"/projects/handovers/{second}/accept").status_code == 404
    with Session(engine) as db:
        assert sorted(h.status for h in db.exec(select(Handover))) == ["cancelled", "declined"]
        assert db.get(Project, pid).lead_id == ada.id  # type: ignore[union-attr]


def test_the_leads_supervisor_reads_but_cannot_edit(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Dr Sam Supervisor", "Dr Tim Other") as (
        ada, sam, tim,
    ):  # fmt: skip
        set_role(engine, sam.email, Role.supervisor)
        set_role(engine, tim.email, Role.supervisor)
        with Session(engine) as db:
            start_supervision(db, sam.id, ada.id)
        pid = start_project(ada)
        ada.post(f"/projects/{pid}/sections/problem", {"text": "Late antibiotics"})
        assert "Supervising the lead" in sam.get("/projects").text
        page = sam.get(f"/projects/{pid}")
        assert page.status_code == 200 and "Late antibiotics" in page.text
        assert "Edit problem" not in page.text, "no forms for a reader"
        edit = f"/projects/{pid}/sections/problem"
        assert sam.post(edit, {"text": "changed"}).status_code == 403
        assert f"POST {edit}" in refusals(engine)
        assert sam.post(f"/projects/{pid}/handover", NOTE).status_code == 403
        trainee = unescape(sam.get(f"/supervise/trainees/{ada.id}").text)
        assert f'<a href="/projects/{pid}">Antibiotics within the hour</a>' in trainee
        assert tim.get(f"/projects/{pid}").status_code == 404, "not the lead's supervisor"
    with Session(engine) as db:
        assert db.get(Project, pid).problem == "Late antibiotics"  # type: ignore[union-attr]
