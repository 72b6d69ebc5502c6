"""A project's measures over HTTP: definitions, data pasted as in the lab, points added one at a
time (and at once by two people), charts with PDSA cycles, and who may see or change them."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from html import unescape

import httpx
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app.models import AuditEvent, Measure, PdsaCycle, ProjectEvent
from app.services.projects import measures
from tests.web.helpers import csrf, register
from tests.web.project_data_helpers import project_for, team_member

SHIFT = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62]
MONDAYS = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(12)]
DEFINITION = {
    "name": "Antibiotics within 1 hour",
    "kind": "process",
    "numerator": "Patients with red-flag sepsis given IV antibiotics within 60 minutes",
    "denominator": "Patients with red-flag sepsis on AMU",
    "inclusions": "Adults admitted through ED",
    "exclusions": "Transfers from other hospitals",
    "source": "Sepsis audit spreadsheet",
    "frequency": "Weekly",
}


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea {name}"
    return unescape(found.group(1))


def add_measure(client: httpx.Client, project_id: int, **fields: str) -> str:
    url = f"/projects/{project_id}/measures"
    data = {"csrf_token": csrf(client, url), **DEFINITION, **fields}
    response = client.post(url, data=data)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def paste(client: httpx.Client, url: str, **fields: str) -> httpx.Response:
    page = client.get(url).text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert version, "no data form"
    data = {
        "csrf_token": csrf(client, url),
        "version": version.group(1),
        "values": "\n".join(f"{d.isoformat()}\t{v}" for d, v in zip(MONDAYS, SHIFT, strict=True)),
        "chart": "run",
        "profile": "ihi",
        "direction": "higher_is_better",
        **fields,
    }
    return client.post(f"{url}/data", data=data)


def values_of(engine: Engine, measure_url: str) -> str:
    measure_id = int(measure_url.rsplit("/", 1)[1])
    with Session(engine) as db:
        return db.get(Measure, measure_id).values_text  # type: ignore[union-attr]


def test_a_measure_is_created_with_its_definition(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    page = unescape(client.get(url).text)
    assert "Antibiotics within 1 hour" in page and "Process measure" in page
    for value in DEFINITION.values():
        if value != "process":
            assert value in page
    assert f'<a href="/projects/{pid}">Sepsis antibiotics on AMU</a>' in page
    listing = unescape(client.get(f"/projects/{pid}/measures").text)
    assert "Antibiotics within 1 hour" in listing and "No data yet" in listing
    with Session(engine) as db:
        actions = db.exec(select(ProjectEvent.action).where(ProjectEvent.project_id == pid)).all()
    assert "measure_added" in actions
    # Editing the definition keeps the data.
    paste(client, url)
    edit = {"csrf_token": csrf(client, url), **DEFINITION, "name": "Abx < 1 h", "kind": "outcome"}
    assert client.post(url, data=edit).status_code == 303
    page = unescape(client.get(url).text)
    assert "Abx < 1 h" in page and "Outcome measure" in page and "<svg" in page


def test_bad_input_is_422_with_the_input_kept(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = f"/projects/{pid}/measures"
    typed = {**DEFINITION, "name": " ", "kind": "vanity", "numerator": "<b>n</b>" + "x" * 1000}
    response = client.post(url, data={"csrf_token": csrf(client, url), **typed})
    assert response.status_code == 422
    page = unescape(response.text)
    assert "There is a problem" in page
    assert "Give the measure a name" in page
    assert "Choose whether this is an outcome, process or balancing measure" in page
    assert "Keep the numerator to 1,000 characters or fewer" in page
    assert textarea(response.text, "numerator") == typed["numerator"]
    assert "<b>n</b>" not in response.text  # escaped
    assert textarea(response.text, "source") == DEFINITION["source"]
    with Session(engine) as db:
        assert db.exec(select(Measure)).all() == []


def test_twelve_pasted_points_draw_the_chart_with_summary_table_and_signals(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    saved = paste(client, url)
    assert saved.status_code == 303, saved.text[:500]
    page = unescape(client.get(url).text)
    assert "<svg" in page and 'role="img"' in page
    assert "Antibiotics within 1 hour." in page  # the chart's text summary, titled
    assert "Show the data" in page and page.count('<th scope="row">2026-') == 12
    assert "No signal:" in page or "Signals:" in page
    assert textarea(page, "values").startswith("2026-01-05\t62")
    listing = unescape(client.get(f"/projects/{pid}/measures").text)
    assert re.search(r"<td>12</td>\s*<td>62 <span[^>]*>\(2026-03-23\)", listing)
    # Bad data: 422, the paste kept, the saved chart still shown.
    bad = paste(client, url, values="1\n2\nabc\n" + "\n".join(["5"] * 10))
    assert bad.status_code == 422
    assert "Line 3 of the values: “abc” is not a number" in unescape(bad.text)
    assert textarea(bad.text, "values").startswith("1\n2\nabc")
    assert "<svg" in bad.text


def test_points_are_added_one_at_a_time(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    token = csrf(client, url)
    first = client.post(
        f"{url}/points", data={"csrf_token": token, "point_label": "", "point_value": "61"}
    )
    assert first.status_code == 303 and first.headers["location"].endswith("#measure-chart")
    assert "Point added and saved" in client.get(first.headers["location"]).text
    for value in (63, "64,5", "60%"):
        swapped = client.post(
            f"{url}/points",
            data={"csrf_token": token, "point_value": str(value)},
            headers={"HX-Request": "true"},
        )
        assert swapped.status_code == 200
        assert swapped.text.lstrip().startswith('<div id="measure-chart">')
        assert "<html" not in swapped.text and "<svg" in swapped.text
    assert values_of(engine, url) == "61\n63\n64.5\n60"
    refused = client.post(
        f"{url}/points",
        data={"csrf_token": token, "point_value": "six", "point_label": "x"},
        headers={"HX-Request": "true"},
    )
    assert refused.status_code == 422
    text = unescape(refused.text)
    assert "“six” is not a number" in text and "The earlier points have no labels" in text
    assert 'value="six"' in refused.text and "<svg" in refused.text
    # With dated points, a new point needs its date and lands in the same columns.
    other = add_measure(client, pid, name="Dated")
    paste(client, other)
    token = csrf(client, other)
    need = client.post(f"{other}/points", data={"csrf_token": token, "point_value": "70"})
    assert need.status_code == 422 and "Give the point a label" in unescape(need.text)
    label = {"point_label": "2026-03-30", "point_value": "70"}
    assert client.post(f"{other}/points", data={"csrf_token": token, **label}).status_code == 303
    assert values_of(engine, other).endswith("2026-03-23\t62\n2026-03-30\t70")


def test_a_p_chart_point_needs_its_denominator(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    values = "\n".join(str(v) for v in SHIFT)
    saved = paste(client, url, values=values, chart="p", denominators="\n".join(["100"] * 12))
    assert saved.status_code == 303, unescape(saved.text)[:300]
    token = csrf(client, url)
    missing = client.post(f"{url}/points", data={"csrf_token": token, "point_value": "50"})
    assert missing.status_code == 422 and "Enter the denominator" in unescape(missing.text)
    over = {"csrf_token": token, "point_value": "150", "point_denominator": "100"}
    refused = client.post(f"{url}/points", data=over)
    assert refused.status_code == 422 and "more than its denominator" in unescape(refused.text)
    ok = {"csrf_token": token, "point_value": "50", "point_denominator": "80"}
    assert client.post(f"{url}/points", data=ok).status_code == 303
    with Session(engine) as db:
        measure = db.exec(select(Measure).where(Measure.project_id == pid)).one()
        assert measure.values_text.endswith("62\n50")
        assert measure.denominators_text.endswith("100\n80")


def test_two_people_adding_points_at_once_both_are_kept(client, server_url, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    team = [client] + [team_member(server_url, engine, pid) for _ in range(5)]
    try:
        tokens = [csrf(member, url) for member in team]
        start = threading.Barrier(len(team))

        def add(i: int) -> httpx.Response:
            start.wait()
            data = {"csrf_token": tokens[i], "point_value": str(100 + i)}
            return team[i].post(f"{url}/points", data=data)

        with ThreadPoolExecutor(max_workers=len(team)) as pool:
            answers = list(pool.map(add, range(len(team))))
    finally:
        for member in team[1:]:
            member.close()
    assert [a.status_code for a in answers] == [303] * len(team)
    stored = sorted(int(v) for v in values_of(engine, url).split("\n"))
    assert stored == [100 + i for i in range(len(team))]
    with Session(engine) as db:
        events = db.exec(
            select(ProjectEvent).where(ProjectEvent.action == "measure_point_added")
        ).all()
    assert len(events) == len(team)


def test_a_paste_over_data_added_meanwhile_is_refused_not_lost(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    page = client.get(url).text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    token = csrf(client, url)
    client.post(f"{url}/points", data={"csrf_token": token, "point_value": "7"})
    stale = {"csrf_token": token, "version": version, "values": "1\n2\n3", "chart": "run"}
    stale |= {"profile": "ihi", "direction": "neither"}
    response = client.post(f"{url}/data", data=stale)
    assert response.status_code == 409
    assert "Someone added data to this measure" in unescape(response.text)
    assert textarea(response.text, "values") == "1\n2\n3"
    assert values_of(engine, url) == "7"


def test_pdsa_cycles_are_marked_on_dated_charts_and_explained_otherwise(client, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    paste(client, url)
    with Session(engine) as db:
        db.add(PdsaCycle(project_id=pid, number=1, change="Grab bag", starts_on=date(2026, 2, 3)))
        db.add(PdsaCycle(project_id=pid, number=2, change="Huddle", starts_on=date(2026, 9, 1)))
        db.commit()
    page = unescape(client.get(url).text)
    assert "PDSA 1 starts</text>" in page  # drawn on the chart
    assert "PDSA 1 starts at point 6 (2026-02-09)" in page
    assert "PDSA 2 starts 1 Sep 2026, after the last point." in page
    weeks = "\n".join(f"Week {i}\t{v}" for i, v in enumerate(SHIFT, start=1))
    assert paste(client, url, values=weeks).status_code == 303
    page = unescape(client.get(url).text)
    assert "PDSA cycles can't be placed on this chart" in page
    assert "point 1's label “Week 1” is not a date" in page
    assert "PDSA 1 starts</text>" not in page


def test_strangers_get_404_and_an_audit_row(client, server_url, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    other_pid = project_for(engine, register(client), title="Falls")  # now signed in as its lead
    assert (
        client.get(f"/projects/{other_pid}{url.removeprefix(f'/projects/{pid}')}").status_code
        == 404
    )
    with httpx.Client(base_url=server_url) as stranger:
        register(stranger)
        token = csrf(stranger, "/lab")
        assert stranger.get(f"/projects/{pid}/measures").status_code == 404
        assert stranger.get(url).status_code == 404
        posted = stranger.post(f"{url}/points", data={"csrf_token": token, "point_value": "1"})
        assert posted.status_code == 404
    with Session(engine) as db:
        scopes = db.exec(select(AuditEvent.scope).where(AuditEvent.action == "forbidden")).all()
    assert f"GET /projects/{pid}/measures" in scopes
    assert f"POST {url}/points" in scopes
    assert f"GET /projects/{other_pid}/measures/{url.rsplit('/', 1)[1]}" in scopes
    assert values_of(engine, url) == ""


def test_a_team_supervisor_reads_but_cannot_change(client, server_url, engine) -> None:
    pid = project_for(engine, register(client))
    url = add_measure(client, pid)
    paste(client, url)
    supervisor = team_member(server_url, engine, pid, role="supervisor")
    try:
        page = supervisor.get(url)
        assert page.status_code == 200 and "<svg" in page.text
        assert "Add a point" not in page.text and 'name="version"' not in page.text
        token = csrf(supervisor, url)
        for path, data in [
            (f"/projects/{pid}/measures", DEFINITION),
            (url, DEFINITION),
            (f"{url}/points", {"point_value": "5"}),
            (f"{url}/data", {"values": "1"}),
        ]:
            assert supervisor.post(path, data={"csrf_token": token, **data}).status_code == 403
    finally:
        supervisor.close()
    with Session(engine) as db:
        refusals = db.exec(select(AuditEvent.detail).where(AuditEvent.action == "forbidden")).all()
    assert refusals.count("answered 403") == 4


def test_the_summary_is_one_query_and_names_are_escaped(client, engine) -> None:
    pid = project_for(engine, register(client))
    payload = '<script>alert("x")</script>'
    urls = [add_measure(client, pid, name=name) for name in ("First", payload, "Third")]
    for url in urls:
        paste(client, url)
    page = client.get(f"/projects/{pid}/measures").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    chart = client.get(urls[1]).text
    assert "<script>alert" not in chart and "&lt;script&gt;" in chart
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as db:
            rows = measures.summary(db, pid)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert [(r.name, r.points, r.last_value) for r in rows] == [
        ("First", 12, 62),
        (payload, 12, 62),
        ("Third", 12, 62),
    ]
    assert len(statements) == 1
