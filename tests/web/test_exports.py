"""Exports: the curriculum's fields, CSV injection neutralised, xAPI shape, audit rows, scoping."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent
from app.services.exports import FIELDS, neutralise
from tests.web.helpers import register
from tests.web.supervision_helpers import (
    CATALOG,
    MODULE,
    accept,
    finish_module,
    invite_code,
    supervisor,
)


@pytest.fixture
def supervised(client: httpx.Client, server_url: str, engine: Engine):
    supervisor(client, engine)
    trainees = []
    for name in ('=HYPERLINK("http://evil")', "Plain Name"):
        trainee = httpx.Client(base_url=server_url)
        register(trainee, name=name, organisation="@North Trust", regulator_number="7654321")
        assert accept(trainee, invite_code(client)).status_code == 303
        trainees.append(trainee)
    finish_module(trainees[0])
    yield trainees
    for t in trainees:
        t.close()


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_every_field_and_one_row_per_trainee_and_module(client, supervised) -> None:
    response = client.get("/supervise/export?format=csv&scope=all")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = read_csv(response)
    assert tuple(rows[0]) == FIELDS
    assert len(rows) == 2 * len(CATALOG.modules)
    done = next(r for r in rows if r["module_id"] == MODULE.slug and r["result"] == "pass")
    assert done["best_score"] == "100" and done["pass_mark"] == str(MODULE.pass_mark)
    assert done["regulator_number"] == "7654321" and done["grade"] == "F1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["completed_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["started_at"])
    assert done["certificate_id"] and done["certificate_url"].endswith(done["certificate_id"])
    assert int(done["attempts"]) == sum(len(lesson.questions) for lesson in MODULE.lessons)
    assert all(o.text in done["outcomes_achieved"] for o in MODULE.outcomes)
    assert "Domain 6" in done["gpc_mapping"]
    assert done["content_version"] == MODULE.version


def test_csv_neutralises_formula_injection(client, supervised) -> None:
    rows = read_csv(client.get("/supervise/export?format=csv"))
    names = {r["name"] for r in rows}
    assert '\'=HYPERLINK("http://evil")' in names
    assert all(r["organisation"] == "'@North Trust" for r in rows)
    for cell in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert neutralise(cell).startswith("'")
    assert neutralise("safe") == "safe"


def test_json_has_the_same_fields(client, supervised) -> None:
    data = client.get("/supervise/export?format=json").json()
    assert len(data) == 2 * len(CATALOG.modules)
    assert set(data[0]) == set(FIELDS)
    assert isinstance(data[0]["outcomes_achieved"], list)


def test_xapi_statements_are_well_formed(client, supervised) -> None:
    statements = client.get("/supervise/export?format=xapi").json()
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs.count("completed") == 1 and verbs.count("passed") == 1
    assert verbs.count("answered") == sum(len(lesson.questions) for lesson in MODULE.lessons)
    for s in statements:
        uuid.UUID(s["id"])
        assert s["version"] == "1.0.3"
        assert s["actor"]["objectType"] == "Agent" and s["actor"]["mbox"].startswith("mailto:")
        assert s["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert s["verb"]["display"]["en-GB"]
        assert s["object"]["objectType"] == "Activity" and s["object"]["id"].startswith("http")
        assert s["timestamp"].endswith("Z")
        datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
    passed = next(s for s in statements if s["verb"]["display"]["en-GB"] == "passed")
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert len({s["id"] for s in statements}) == len(statements)


def test_every_export_writes_an_audit_row_with_the_file_hash(client, supervised, engine) -> None:
    response = client.get("/supervise/export?format=csv&scope=all")
    with Session(engine) as db:
        (event,) = db.exec(select(AuditEvent).where(AuditEvent.action == "export_csv")).all()
    assert event.rows == 2 * len(CATALOG.modules)
    assert event.sha256 == hashlib.sha256(response.content).hexdigest()
    assert event.scope == "all" and event.actor_role == "supervisor"


def test_one_trainee_and_date_range(client, supervised, engine) -> None:
    page = client.get("/supervise").text
    first_id = re.search(r"/supervise/trainees/(\d+)", page).group(1)
    one = read_csv(client.get(f"/supervise/export?scope=trainee:{first_id}"))
    assert len(one) == len(CATALOG.modules) and len({r["email"] for r in one}) == 1
    today = datetime.now(UTC).date()
    current = read_csv(client.get(f"/supervise/export?date_from={today}&date_to={today}"))
    assert len(current) == 1 and current[0]["result"] == "pass"
    past = today - timedelta(days=30)
    assert read_csv(client.get(f"/supervise/export?date_from={past}&date_to={past}")) == []


def test_bad_export_parameters_are_4xx(client, supervised) -> None:
    assert client.get("/supervise/export?format=pdf").status_code == 422
    assert client.get("/supervise/export?scope=everyone").status_code == 422
    assert client.get("/supervise/export?date_from=yesterday").status_code == 422
    assert client.get("/supervise/export?date_from=&date_to=").status_code == 200


def test_a_trainee_downloads_their_own_complete_record(supervised) -> None:
    trainee = supervised[0]
    rows = read_csv(trainee.get("/learning/record.csv"))
    assert len(rows) == len(CATALOG.modules)
    assert {r["name"] for r in rows} == {'\'=HYPERLINK("http://evil")'}
    assert len(trainee.get("/learning/record.json").json()) == len(CATALOG.modules)
    assert trainee.get("/learning/record.xapi").status_code == 200
    assert trainee.get("/learning/record.exe").status_code == 404
    page = trainee.get("/learning/record")
    assert page.status_code == 200 and MODULE.title in page.text
    assert json.loads(trainee.get("/learning/record.json").text)[0]["email"]
