"""PDSA cycles over HTTP: a plan with a prediction, each stage on its own form (HTMX swaps it),
act then the next cycle, numbering under a race, the cycle on the chart, and who may do what."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent, DriverNode, PdsaCycle, ProjectEvent
from tests.web.helpers import csrf, register
from tests.web.project_data_helpers import project_for, team_member
from tests.web.test_project_measures import add_measure, paste

PLAN = {
    "change": "Sepsis grab bag in bay B",
    "who": "Night nurses, bay B",
    "starts_on": "2026-02-03",
    "where": "AMU bay B",
    "prediction": "Door to antibiotics under an hour for 8 of 10 patients",
}


def start(client: httpx.Client, pid: int, **fields: str) -> httpx.Response:
    url = f"/projects/{pid}/pdsa"
    return client.post(url, data={"csrf_token": csrf(client, url), **PLAN, **fields})


def cycles(engine: Engine, pid: int) -> list[PdsaCycle]:
    with Session(engine) as db:
        return list(
            db.exec(
                select(PdsaCycle).where(PdsaCycle.project_id == pid).order_by(PdsaCycle.number)
            ).all()
        )


def test_a_cycle_starts_with_its_plan_and_prediction(client, engine) -> None:
    email = register(client)
    pid = project_for(engine, email)
    response = start(client, pid, starts_on="3 Feb 2026")
    assert response.status_code == 303
    url = response.headers["location"]
    page = unescape(client.get(url).text)
    assert "PDSA 1: Sepsis grab bag in bay B" in page
    assert "3 Feb 2026" in page and PLAN["prediction"] in page and PLAN["who"] in page
    assert f'<a href="/projects/{pid}">Sepsis antibiotics on AMU</a>' in page
    listing = unescape(client.get(f"/projects/{pid}/pdsa").text)
    assert "PDSA 1: Sepsis grab bag in bay B" in listing and "starts 3 Feb 2026" in listing
    (cycle,) = cycles(engine, pid)
    assert cycle.starts_on.isoformat() == "2026-02-03" and cycle.author_id is not None
    with Session(engine) as db:
        assert db.exec(select(ProjectEvent.action)).all() == ["pdsa_started"]


def test_a_bad_plan_is_422_with_the_input_kept(client, engine) -> None:
    pid = project_for(engine, register(client))
    response = start(client, pid, change=" ", starts_on="next Tuesday", change_idea_id="99")
    assert response.status_code == 422
    page = unescape(response.text)
    assert "Say what change you will test" in page
    assert "Enter the start as a date, for example 2026-01-05, 05/01/2026 or 5 Jan 2026" in page
    assert 'value="next Tuesday"' in page and PLAN["prediction"] in page
    assert cycles(engine, pid) == []


def test_a_change_idea_from_this_project_only(client, engine) -> None:
    email = register(client)
    pid = project_for(engine, email)
    other = project_for(engine, email, title="Falls")  # the same lead: still another project
    with Session(engine) as db:
        mine = DriverNode(project_id=pid, kind="change", text="Grab bags")
        theirs = DriverNode(project_id=other, kind="change", text="Bed alarms")
        db.add(mine)
        db.add(theirs)
        db.commit()
        mine_id, theirs_id = mine.id, theirs.id
    page = client.get(f"/projects/{pid}/pdsa").text
    assert "Grab bags</option>" in page and "Bed alarms" not in page
    refused = start(client, pid, change_idea_id=str(theirs_id))
    assert refused.status_code == 422 and "Choose a change idea from the list" in refused.text
    url = start(client, pid, change="", change_idea_id=str(mine_id)).headers["location"]
    assert "PDSA 1: Grab bags" in unescape(client.get(url).text)
    assert cycles(engine, pid)[0].change_idea_id == mine_id


def test_each_stage_is_saved_on_its_own_and_act_starts_the_next_cycle(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = start(client, pid).headers["location"]
    token = csrf(client, url)
    htmx = {"HX-Request": "true"}
    did = client.post(
        f"{url}/do", data={"csrf_token": token, "do_notes": "Used for 9 patients"}, headers=htmx
    )
    assert did.status_code == 200
    assert did.text.lstrip().startswith('<section id="stage-do"')
    assert "Do saved." in did.text and "Used for 9 patients" in did.text
    assert "<html" not in did.text and "HX-Request" in did.headers["vary"]
    empty = client.post(f"{url}/study", data={"csrf_token": token, "study": " "}, headers=htmx)
    assert empty.status_code == 422 and empty.text.lstrip().startswith('<section id="stage-study"')
    assert "Compare the result with your prediction" in unescape(empty.text)
    studied = client.post(f"{url}/study", data={"csrf_token": token, "study": "7 of 9: close"})
    assert studied.status_code == 303 and studied.headers["location"].endswith("#stage-study")
    assert "Study saved." in client.get(studied.headers["location"]).text
    early = client.post(f"{url}/next", data={"csrf_token": token})
    assert early.status_code == 409 and "Decide to adopt, adapt or abandon" in unescape(early.text)
    bad = client.post(f"{url}/act", data={"csrf_token": token, "act": "ignore", "act_notes": "n"})
    assert bad.status_code == 422 and "Choose whether to adopt, adapt or abandon" in bad.text
    assert ">n</textarea>" in bad.text
    acted = {"csrf_token": token, "act": "adapt", "act_notes": "Add a checklist card"}
    assert client.post(f"{url}/act", data=acted).status_code == 303
    page = unescape(client.get(url).text)
    assert "Adapt: change it and test again" in page and "Start the next cycle" in page
    replan = {**PLAN, "prediction": "9 of 10", "csrf_token": token}
    assert client.post(f"{url}/plan", data=replan).status_code == 303
    following = client.post(f"{url}/next", data={"csrf_token": token})
    assert following.status_code == 303
    first, second = cycles(engine, pid)
    assert (first.do_notes, first.study, first.act) == (
        "Used for 9 patients",
        "7 of 9: close",
        "adapt",
    )
    assert first.prediction == "9 of 10"
    assert second.number == 2 and second.change == PLAN["change"] and second.prediction == ""
    assert following.headers["location"].startswith(f"/projects/{pid}/pdsa/{second.id}")
    with Session(engine) as db:
        actions = set(db.exec(select(ProjectEvent.action)).all())
    assert {"pdsa_do_saved", "pdsa_study_saved", "pdsa_act_saved", "pdsa_plan_saved"} <= actions


def test_cycles_started_at_once_get_distinct_numbers(client, server_url, engine) -> None:
    pid = project_for(engine, register(client))
    team = [client] + [team_member(server_url, engine, pid) for _ in range(4)]
    try:
        url = f"/projects/{pid}/pdsa"
        tokens = [csrf(member, url) for member in team]
        barrier = threading.Barrier(len(team))

        def go(i: int) -> httpx.Response:
            barrier.wait()
            data = {"csrf_token": tokens[i], **PLAN, "change": f"Change {i}"}
            return team[i].post(url, data=data)

        with ThreadPoolExecutor(max_workers=len(team)) as pool:
            answers = list(pool.map(go, range(len(team))))
    finally:
        for member in team[1:]:
            member.close()
    assert [a.status_code for a in answers] == [303] * len(team)
    assert [c.number for c in cycles(engine, pid)] == list(range(1, len(team) + 1))


def test_the_cycle_start_appears_on_the_measure_chart(client, engine) -> None:
    pid = project_for(engine, register(client))
    measure = add_measure(client, pid)
    paste(client, measure)
    url = start(client, pid).headers["location"]  # starts 2026-02-03: the week of 9 Feb
    chart = unescape(client.get(measure).text)
    assert "PDSA 1 starts</text>" in chart and "PDSA 1 starts at point 6 (2026-02-09)" in chart
    page = unescape(client.get(url).text)
    assert f'href="{measure}#measure-chart">Antibiotics within 1 hour</a>' in page
    assert "Marked at point 6 (2026-02-09)." in page


def test_another_projects_cycle_and_strangers_are_404_and_audited(
    client, server_url, engine
) -> None:
    pid = project_for(engine, register(client))
    url = start(client, pid).headers["location"]
    cycle_id = url.rsplit("/", 1)[1]
    other = project_for(engine, register(client), title="Falls")  # now signed in as its lead
    token = csrf(client, url)
    assert client.get(f"/projects/{other}/pdsa/{cycle_id}").status_code == 404
    moved = client.post(
        f"/projects/{other}/pdsa/{cycle_id}/do", data={"csrf_token": token, "do_notes": "x"}
    )
    assert moved.status_code == 404
    with httpx.Client(base_url=server_url) as stranger:
        register(stranger)
        assert stranger.get(f"/projects/{pid}/pdsa").status_code == 404
        assert stranger.get(url).status_code == 404
        posted = stranger.post(
            f"/projects/{pid}/pdsa", data={"csrf_token": csrf(stranger, "/lab"), **PLAN}
        )
        assert posted.status_code == 404
    with Session(engine) as db:
        scopes = db.exec(select(AuditEvent.scope).where(AuditEvent.action == "forbidden")).all()
    assert f"GET /projects/{other}/pdsa/{cycle_id}" in scopes
    assert f"POST /projects/{other}/pdsa/{cycle_id}/do" in scopes
    assert f"GET /projects/{pid}/pdsa" in scopes and f"GET {url}" in scopes
    assert f"POST /projects/{pid}/pdsa" in scopes
    assert len(cycles(engine, pid)) == 1 and cycles(engine, pid)[0].do_notes == ""


def test_a_team_supervisor_reads_cycles_but_cannot_change_them(client, server_url, engine) -> None:
    pid = project_for(engine, register(client))
    url = start(client, pid).headers["location"]
    supervisor = team_member(server_url, engine, pid, role="supervisor")
    try:
        page = supervisor.get(url)
        assert page.status_code == 200 and PLAN["prediction"] in unescape(page.text)
        assert "Save the plan" not in page.text and "Start the next cycle" not in page.text
        assert "Start the cycle" not in supervisor.get(f"/projects/{pid}/pdsa").text
        token = csrf(supervisor, url)
        for path, data in [
            (f"/projects/{pid}/pdsa", PLAN),
            (f"{url}/plan", PLAN),
            (f"{url}/do", {"do_notes": "x"}),
            (f"{url}/study", {"study": "x"}),
            (f"{url}/act", {"act": "adopt"}),
            (f"{url}/next", {}),
        ]:
            response = supervisor.post(path, data={"csrf_token": token, **data})
            assert response.status_code == 403, path
    finally:
        supervisor.close()
    assert len(cycles(engine, pid)) == 1 and cycles(engine, pid)[0].do_notes == ""
    with Session(engine) as db:
        details = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "forbidden")).all()
    assert details.count("answered 403") == 6
