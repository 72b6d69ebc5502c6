"""The stakeholder map and conversation log over real HTTP: add, edit, delete one's own,
validation (422, input kept), the grid and its table, the log newest first with its author,
and the project's walls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Conversation, ProjectEvent, Stakeholder
from app.models.content import utcnow
from tests.web.coach_draw_helpers import add_member, id_of, make_project, refusals
from tests.web.helpers import csrf, register

CONSULTANT = {"name": "Dr Ade Okafor", "role": "ED consultant", "power": "high", "interest": "high"}


@pytest.fixture
def lead(client: httpx.Client, engine: Engine) -> Iterator[tuple[httpx.Client, int]]:
    email = register(client, name="Grace Mensah")
    yield client, make_project(engine, id_of(engine, email))


def send(client: httpx.Client, pid: int, path: str, data: dict) -> httpx.Response:
    token = csrf(client, "/lab")
    return client.post(f"/projects/{pid}/people{path}", data={"csrf_token": token, **data})


def people(engine: Engine, pid: int) -> list[Stakeholder]:
    with Session(engine) as db:
        return list(db.exec(select(Stakeholder).where(Stakeholder.project_id == pid)).all())


def test_add_people_and_see_them_in_their_quadrants(lead, engine: Engine) -> None:
    client, pid = lead
    assert send(client, pid, "", CONSULTANT).status_code == 303
    nasty = {"name": "<script>x</script> rep", "power": "low", "interest": "high", "notes": "n"}
    assert send(client, pid, "", nasty).status_code == 303
    send(client, pid, "", {"name": "Porters", "power": "low", "interest": "low"})
    html = client.get(f"/projects/{pid}/people").text
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt; rep" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    for label in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor", "Dr Ade Okafor"):
        assert label in svg
    table = html[html.index('id="stakeholder-table"') :]
    manage = table[table.index("Manage closely") : table.index("Keep satisfied")]
    assert "Dr Ade Okafor" in manage and "Porters" not in manage
    inform = table[table.index("Keep informed") : table.index("Monitor")]
    assert "rep" in inform
    assert {s.name for s in people(engine, pid)} == {
        "Dr Ade Okafor",
        "<script>x</script> rep",
        "Porters",
    }
    with Session(engine) as db:
        events = db.exec(select(ProjectEvent.action).where(ProjectEvent.project_id == pid)).all()
    assert events.count("added a stakeholder") == 3


def test_bad_input_is_422_and_keeps_what_was_typed(lead, engine: Engine) -> None:
    client, pid = lead
    bad = send(
        client, pid, "", {"name": "", "role": "Matron", "power": "huge", "notes": "Kept note"}
    )
    assert bad.status_code == 422
    for message in (
        "Enter a name",
        "power over the project is high or low",
        "interest in the project",
    ):
        assert message in bad.text
    assert 'value="Matron"' in bad.text and ">Kept note</textarea>" in bad.text
    assert 'href="#power"' in bad.text and 'id="power"' in bad.text
    long = send(client, pid, "", {**CONSULTANT, "role": "r" * 201})
    assert long.status_code == 422 and "200 characters or fewer" in long.text
    assert people(engine, pid) == []


def test_edit_and_delete_ones_own(lead, engine: Engine, server_url: str) -> None:
    client, pid = lead
    send(client, pid, "", CONSULTANT)
    sid = people(engine, pid)[0].id
    changed = send(client, pid, f"/{sid}", {**CONSULTANT, "interest": "low", "notes": "Busy"})
    assert changed.status_code == 303
    assert people(engine, pid)[0].interest == "low"
    bad = send(client, pid, f"/{sid}", {**CONSULTANT, "name": ""})
    assert bad.status_code == 422 and f'href="#name-{sid}"' in bad.text
    # A team member sees it but may not change what someone else added.
    with httpx.Client(base_url=server_url) as member:
        add_member(engine, pid, id_of(engine, register(member)), "member")
        assert "Dr Ade Okafor" in member.get(f"/projects/{pid}/people").text
        token = csrf(member, "/lab")
        other = member.post(f"/projects/{pid}/people/{sid}/delete", data={"csrf_token": token})
        assert other.status_code == 403
    assert send(client, pid, f"/{sid}/delete", {}).status_code == 303
    assert people(engine, pid) == []


def test_the_conversation_log(lead, engine: Engine) -> None:
    client, pid = lead
    send(client, pid, "", CONSULTANT)
    sid = people(engine, pid)[0].id
    today = utcnow().date()
    older = (today - timedelta(days=10)).isoformat()
    assert (
        send(client, pid, "/conversations", {"held_on": older, "summary": "First chat"}).status_code
        == 303
    )
    newer = {
        "held_on": today.strftime("%d/%m/%Y"),
        "stakeholder": str(sid),
        "summary": "Agreed a trial",
    }
    assert send(client, pid, "/conversations", newer).status_code == 303
    html = client.get(f"/projects/{pid}/people").text
    log = html[html.index('id="conversations"') :]
    assert log.index("Agreed a trial") < log.index("First chat")
    assert "with Dr Ade Okafor" in log and "Logged by Grace Mensah" in log
    future = (today + timedelta(days=2)).isoformat()
    bad = send(client, pid, "/conversations", {"held_on": future, "summary": "Kept summary"})
    assert bad.status_code == 422 and "cannot be in the future" in bad.text
    assert ">Kept summary</textarea>" in bad.text
    empty = send(client, pid, "/conversations", {"held_on": "soon", "summary": ""})
    assert (
        empty.status_code == 422
        and "Enter the date" in empty.text
        and "Write what was said" in empty.text
    )
    send(client, pid, f"/{sid}/delete", {})
    with Session(engine) as db:  # the log keeps the conversation, without the name
        assert len(db.exec(select(Conversation)).all()) == 2
    assert "Agreed a trial" in client.get(f"/projects/{pid}/people").text


def test_walls_between_projects(lead, engine: Engine, server_url: str) -> None:
    client, pid = lead
    with httpx.Client(base_url=server_url) as outsider:
        email = register(outsider)
        other = make_project(engine, id_of(engine, email), title="Falls")
        send(outsider, other, "", {**CONSULTANT, "name": "Their person"})
        theirs = people(engine, other)[0].id
        assert outsider.get(f"/projects/{pid}/people").status_code == 404
        assert send(outsider, pid, "", CONSULTANT).status_code == 404
    for path, data in (
        (f"/{theirs}", CONSULTANT),
        (f"/{theirs}/delete", {}),
        ("/conversations", {"held_on": "2026-01-05", "stakeholder": str(theirs), "summary": "x"}),
    ):
        assert send(client, pid, path, data).status_code == 404, path
    assert people(engine, other)[0].name == "Their person"
    assert len(refusals(engine, f"/projects/{pid}/people")) == 5
    with httpx.Client(base_url=server_url) as supervisor:
        add_member(engine, pid, id_of(engine, register(supervisor)), "supervisor")
        page = supervisor.get(f"/projects/{pid}/people")
        assert page.status_code == 200 and "Add a stakeholder" not in page.text
        assert send(supervisor, pid, "", CONSULTANT).status_code == 403
        assert send(supervisor, pid, "/conversations", {"summary": "x"}).status_code == 403
    assert people(engine, pid) == []
