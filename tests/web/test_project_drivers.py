"""The driver diagram over real HTTP: build and nest it, link measures, order, delete, bad
input kept, and the project's walls (other projects' ids 404, outsiders 404, supervisors 403)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.models import ChangeIdeaMeasure, DriverNode, ProjectEvent
from tests.web.coach_draw_helpers import add_measure, add_member, id_of, make_project, refusals
from tests.web.helpers import csrf, register


@pytest.fixture
def lead(client: httpx.Client, engine: Engine) -> Iterator[tuple[httpx.Client, int]]:
    """A signed-in lead (the `client`) and their project."""
    email = register(client, name="Grace Mensah")
    pid = make_project(engine, id_of(engine, email), aim_what="Antibiotics within 1 hour")
    yield client, pid


def send(client: httpx.Client, pid: int, path: str, data: dict, **headers: str) -> httpx.Response:
    token = csrf(client, f"/projects/{pid}/drivers")
    return client.post(
        f"/projects/{pid}/drivers{path}", data={"csrf_token": token, **data}, headers=headers
    )


def add(client: httpx.Client, pid: int, kind: str, text: str, parent: int | None = None) -> int:
    data = {"kind": kind, "text": text, "parent": str(parent or "")}
    response = send(client, pid, "", data)
    assert response.status_code == 303, response.text[:400]
    return int(re.search(r"#node-(\d+)$", response.headers["location"]).group(1))


def nodes(engine: Engine, pid: int) -> list[DriverNode]:
    with Session(engine) as db:
        query = select(DriverNode).where(DriverNode.project_id == pid)
        return list(db.exec(query.order_by(col(DriverNode.position), col(DriverNode.id))).all())


def test_build_and_nest_the_diagram(lead, engine: Engine) -> None:
    client, pid = lead
    primary = add(client, pid, "primary", "Reliable recognition")
    secondary = add(client, pid, "secondary", "Screening at triage", primary)
    idea = add(client, pid, "change", "Sepsis prompt <b>on</b> the form", secondary)
    direct = add(client, pid, "change", "Antibiotic boxes in resus", primary)
    by_id = {n.id: n for n in nodes(engine, pid)}
    assert by_id[secondary].parent_id == primary and by_id[idea].parent_id == secondary
    assert by_id[direct].parent_id == primary and by_id[idea].author_id is not None
    page = client.get(f"/projects/{pid}/drivers")
    assert page.status_code == 200 and "HX-Request" in page.headers["vary"]
    html = page.text
    assert "<b>on</b>" not in html and "Sepsis prompt &lt;b&gt;on&lt;/b&gt; the form" in html
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "Screening at triage" in svg and "Antibiotic boxes" in svg
    # The nested list: the change idea sits inside the secondary's item, inside the primary's.
    item = html[html.index(f'id="node-{primary}"') :]
    assert item.index(f'id="node-{secondary}"') < item.index(f'id="node-{idea}"')
    with Session(engine) as db:
        actions = db.exec(select(ProjectEvent.action).where(ProjectEvent.project_id == pid)).all()
    assert actions.count("added a change idea") == 2 and "added a primary driver" in actions


def test_link_a_change_idea_to_measures(lead, engine: Engine) -> None:
    client, pid = lead
    falls = add_measure(engine, pid, "Antibiotics < 1 hour")
    harm = add_measure(engine, pid, "Antibiotics given without sepsis", kind="balancing")
    primary = add(client, pid, "primary", "Recognition")
    idea = add(client, pid, "change", "Prompt", primary)
    html = client.get(f"/projects/{pid}/drivers").text
    assert f'id="measure-{idea}-{harm}"' in html and "Measures: none linked yet" in html
    response = send(client, pid, f"/{idea}/measures", {"measure": [str(falls), str(harm)]})
    assert response.status_code == 303
    with Session(engine) as db:
        linked = set(db.exec(select(ChangeIdeaMeasure.measure_id)).all())
    assert linked == {falls, harm}
    assert (
        "Measures: Antibiotics &lt; 1 hour, Antibiotics given without sepsis"
        in client.get(f"/projects/{pid}/drivers").text
    )
    send(client, pid, f"/{idea}/measures", {})  # every box unticked
    with Session(engine) as db:
        assert db.exec(select(ChangeIdeaMeasure)).all() == []
    refused = send(client, pid, f"/{primary}/measures", {"measure": str(falls)})
    assert refused.status_code == 422 and "Only change ideas" in refused.text


def test_bad_input_is_422_with_the_text_kept(lead, engine: Engine) -> None:
    client, pid = lead
    empty = send(client, pid, "", {"kind": "primary", "text": "  "})
    assert empty.status_code == 422 and "Write the text of the box" in empty.text
    assert 'href="#text-new"' in empty.text  # the error summary links to the box
    long = "x" * 401
    too_long = send(client, pid, "", {"kind": "primary", "text": long})
    assert too_long.status_code == 422 and f">{long}</textarea>" in too_long.text
    orphan = send(client, pid, "", {"kind": "secondary", "text": "Nowhere"})
    assert orphan.status_code == 422 and "goes under a primary driver" in orphan.text
    primary = add(client, pid, "primary", "Recognition")
    idea = add(client, pid, "change", "Prompt", primary)
    nested = send(client, pid, "", {"kind": "change", "text": "Deeper", "parent": str(idea)})
    assert nested.status_code == 422 and f'id="text-new-{idea}"' not in nested.text
    assert "Deeper" in nested.text
    edit = send(client, pid, f"/{idea}", {"text": "", "parent": str(primary)})
    assert edit.status_code == 422 and f'href="#text-{idea}"' in edit.text
    kind = send(client, pid, "", {"kind": "aim", "text": "x"})
    assert kind.status_code == 422
    assert len(nodes(engine, pid)) == 2


def test_htmx_swaps_the_section(lead) -> None:
    client, pid = lead
    response = send(
        client, pid, "", {"kind": "primary", "text": "Teamwork"}, **{"HX-Request": "true"}
    )
    assert response.status_code == 200 and "HX-Request" in response.headers["vary"]
    assert response.text.lstrip().startswith('<section id="driver-tree"')
    assert "<html" not in response.text and "Teamwork" in response.text
    error = send(client, pid, "", {"kind": "primary", "text": ""}, **{"HX-Request": "true"})
    assert error.status_code == 422 and error.text.lstrip().startswith("<section")


def test_move_edit_and_delete(lead, engine: Engine) -> None:
    client, pid = lead
    first = add(client, pid, "primary", "First")
    second = add(client, pid, "primary", "Second")
    third = add(client, pid, "secondary", "Under first", first)
    assert send(client, pid, f"/{second}/move", {"direction": "up"}).status_code == 303
    assert [n.id for n in nodes(engine, pid) if n.kind == "primary"] == [second, first]
    send(client, pid, f"/{second}/move", {"direction": "up"})  # already first: nothing moves
    assert [n.id for n in nodes(engine, pid) if n.kind == "primary"] == [second, first]
    assert send(client, pid, f"/{second}/move", {"direction": "sideways"}).status_code == 422
    refused = send(client, pid, f"/{first}/delete", {})
    assert refused.status_code == 409 and "has 1 box under it" in refused.text
    moved = send(client, pid, f"/{third}", {"text": "Now under second", "parent": str(second)})
    assert moved.status_code == 303
    assert send(client, pid, f"/{first}/delete", {}).status_code == 303
    left = {n.id: n for n in nodes(engine, pid)}
    assert set(left) == {second, third} and left[third].parent_id == second
    assert left[third].text == "Now under second"


def test_another_projects_ids_are_404_and_audited(lead, engine: Engine, server_url: str) -> None:
    client, pid = lead
    other_lead = register(httpx.Client(base_url=server_url))
    other = make_project(engine, id_of(engine, other_lead), title="Falls")
    with Session(engine) as db:
        theirs = DriverNode(project_id=other, kind="primary", text="Theirs")
        db.add(theirs)
        db.commit()
        their_node = theirs.id
    their_measure = add_measure(engine, other, "Their measure")
    mine = add(client, pid, "primary", "Mine")
    idea = add(client, pid, "change", "Idea", mine)
    for path, data in (
        (f"/{their_node}", {"text": "Stolen"}),
        (f"/{their_node}/delete", {}),
        (f"/{their_node}/move", {"direction": "up"}),
        ("", {"kind": "secondary", "text": "x", "parent": str(their_node)}),
        (f"/{idea}/measures", {"measure": str(their_measure)}),
        (f"/{idea}/measures", {"measure": "²"}),
    ):
        assert send(client, pid, path, data).status_code == 404, path
    assert len(refusals(engine, f"/projects/{pid}/drivers")) == 6
    assert [n.text for n in nodes(engine, other)] == ["Theirs"]


def test_outsiders_get_404_and_supervisors_may_only_look(
    lead, engine: Engine, server_url: str
) -> None:
    client, pid = lead
    add(client, pid, "primary", "Recognition")
    with httpx.Client(base_url=server_url) as outsider:
        register(outsider)
        assert outsider.get(f"/projects/{pid}/drivers").status_code == 404
        token = csrf(outsider, "/lab")
        denied = outsider.post(
            f"/projects/{pid}/drivers", data={"csrf_token": token, "kind": "primary", "text": "x"}
        )
        assert denied.status_code == 404
    assert len(refusals(engine, f"/projects/{pid}/drivers")) == 2
    with httpx.Client(base_url=server_url) as supervisor:
        add_member(engine, pid, id_of(engine, register(supervisor)), "supervisor")
        page = supervisor.get(f"/projects/{pid}/drivers")
        assert page.status_code == 200 and "Recognition" in page.text
        assert "Add primary driver" not in page.text
        token = csrf(supervisor, "/lab")
        edit = supervisor.post(
            f"/projects/{pid}/drivers", data={"csrf_token": token, "kind": "primary", "text": "x"}
        )
        assert edit.status_code == 403
    assert any("answered 403" in r for r in refusals(engine, f"/projects/{pid}/drivers"))
    assert len(nodes(engine, pid)) == 1
