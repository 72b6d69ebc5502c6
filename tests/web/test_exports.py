"""Exports: the curriculum's fields, CSV injection neutralised, xAPI shape, audit rows, scoping."""

from __future__ import annotations

import csv
import dataclasses
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

from app.catalog.schema import RCP_SKILLS
from app.models import Attempt, AuditEvent, Certificate, Role, User
from app.services import exports
from app.services.certificates import canonical_json
from app.services.exports import FIELDS, JSON_FIELDS, neutralise
from tests.web.helpers import csrf, post, register
from tests.web.supervision_helpers import (
    CATALOG,
    MODULE,
    accept,
    finish_module,
    invite_code,
    supervisor,
    user_id,
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
    done = next(r for r in rows if r["module_id"] == MODULE.slug and r["status"] == "passed")
    assert done["best_score"] == "100" and done["pass_mark"] == str(MODULE.pass_mark)
    assert done["regulator_number"] == "7654321" and done["grade"] == "F1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["completed_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", done["started_at"])
    assert done["certificate_id"] and done["certificate_url"].endswith(done["certificate_id"])
    assert int(done["answers"]) == sum(len(lesson.questions) for lesson in MODULE.lessons)
    assert done["attempts"] == "1"
    assert done["outcomes_achieved"] == "; ".join(o.text for o in MODULE.outcomes)
    assert "Domain 6" in done["gpc_mapping"]
    assert re.fullmatch(r"[0-9a-f]{8} \(\d{4}-\d\d-\d\d\)", done["content_version"])


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
    assert tuple(data[0]) == JSON_FIELDS and set(JSON_FIELDS) - set(FIELDS) == {
        "content_version_hash"
    }
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
    assert len(current) == 1 and current[0]["status"] == "passed"
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


def by_trainee(rows: list[dict], module_slug: str) -> dict[str, dict]:
    return {r["name"]: r for r in rows if r["module_id"] == module_slug}


@pytest.fixture
def four(client: httpx.Client, server_url: str, engine: Engine):
    """Trainees who passed (lessons done last-first), failed and retook, answered once, or
    have not started."""
    supervisor(client, engine)
    names = ("Passed", "Retook", "Once", "Idle")
    browsers = {name: httpx.Client(base_url=server_url, timeout=10) for name in names}
    emails = {}
    for name, browser in browsers.items():
        emails[name] = register(browser, name=name)
        assert accept(browser, invite_code(client)).status_code == 303
    backwards = dataclasses.replace(MODULE, lessons=MODULE.lessons[::-1])
    finish_module(browsers["Passed"], module=backwards)
    finish_module(browsers["Retook"], wrong_first=2)
    page = f"/modules/{MODULE.slug}"
    assert post(browsers["Retook"], f"{page}/retake", {}, page=page).status_code == 303
    lesson = MODULE.lessons[0]
    url = f"/modules/{MODULE.slug}/{lesson.slug}"
    form_key = re.search(r'name="form_key" value="([0-9a-f]+)"', browsers["Once"].get(url).text)
    question = lesson.questions[0]
    browsers["Once"].post(
        f"{url}/questions/{question.id}",
        data={
            "answer": "a",
            "form_key": form_key.group(1),
            "csrf_token": csrf(browsers["Once"], url),
        },
    )
    yield browsers, emails
    for browser in browsers.values():
        browser.close()


def test_status_answers_and_attempts_for_every_row(client, four) -> None:
    rows = read_csv(client.get("/supervise/export?format=csv"))
    assert {r["status"] for r in rows} <= {"not started", "in progress", "passed", "failed"}
    mine = by_trainee(rows, MODULE.slug)
    assert {name: r["status"] for name, r in mine.items()} == {
        "Passed": "passed",
        "Retook": "in progress",
        "Once": "in progress",
        "Idle": "not started",
    }
    questions = sum(len(lesson.questions) for lesson in MODULE.lessons)
    assert {name: (r["answers"], r["attempts"]) for name, r in mine.items()} == {
        "Passed": (str(questions), "1"),
        "Retook": (str(questions), "2"),  # the answers before the retake stay in the record
        "Once": ("1", "1"),
        "Idle": ("0", "0"),
    }
    others = [r for r in rows if r["module_id"] != MODULE.slug]
    assert {r["status"] for r in others} == {"not started"}


def test_failed_before_a_retake(client, server_url, engine) -> None:
    supervisor(client, engine)
    with httpx.Client(base_url=server_url, timeout=10) as trainee:
        register(trainee, name="Below")
        accept(trainee, invite_code(client))
        finish_module(trainee, wrong_first=2)
    row = by_trainee(read_csv(client.get("/supervise/export?format=csv")), MODULE.slug)["Below"]
    assert row["status"] == "failed" and row["best_score"] == "50"


def test_time_is_measured_never_the_estimate_and_blank_when_unknown(client, four, engine) -> None:
    browsers, emails = four
    estimate = str(sum(lesson.minutes for lesson in MODULE.lessons))
    rows = by_trainee(read_csv(client.get("/supervise/export?format=csv")), MODULE.slug)
    assert rows["Once"]["time_spent_minutes"] == ""  # one answer: no span to measure
    assert rows["Idle"]["time_spent_minutes"] == ""
    assert rows["Passed"]["time_spent_minutes"] in ("", "0")  # done in seconds, not the estimate
    assert rows["Passed"]["time_spent_minutes"] != estimate
    data = client.get("/supervise/export?format=json").json()
    once = next(r for r in data if r["name"] == "Once" and r["module_id"] == MODULE.slug)
    assert once["time_spent_minutes"] is None
    assert "not known" in browsers["Once"].get("/learning/record").text
    # The same answer 6 minutes before the lesson's progress stamps: 6 minutes measured.
    once_id = user_id(engine, emails["Once"])
    with Session(engine) as db:
        attempt = db.exec(select(Attempt).where(Attempt.user_id == once_id)).one()
        attempt.created_at = attempt.created_at - timedelta(minutes=6)
        db.add(attempt)
        db.commit()
    rows = by_trainee(read_csv(client.get("/supervise/export?format=csv")), MODULE.slug)
    assert rows["Once"]["time_spent_minutes"] == "6"
    page = client.get(f"/supervise/trainees/{once_id}").text
    assert "6 minutes measured" in page


def test_versions_skills_and_outcome_order(client, four, engine) -> None:
    data = client.get("/supervise/export?format=json").json()
    passed = next(r for r in data if r["name"] == "Passed" and r["module_id"] == MODULE.slug)
    full = passed["content_version_hash"]
    assert re.fullmatch(r"[0-9a-f]{64}", full)
    assert re.fullmatch(rf"{full[:8]} \(\d{{4}}-\d\d-\d\d\)", passed["content_version"])
    with Session(engine) as db:
        cert = db.exec(select(Certificate)).one()
    signed = json.loads(cert.payload)["content_version"]
    assert full == hashlib.sha256(canonical_json(signed).encode()).hexdigest()
    # Lessons were done last-first; outcomes still come in the module's order.
    assert passed["outcomes_achieved"] == [o.text for o in MODULE.outcomes]
    skills = {s for o in MODULE.outcomes for s in o.rcp}
    assert passed["rcp_skills"] == [name for key, name in RCP_SKILLS.items() if key in skills]
    assert passed["rcp_skills"] and passed["gpc_mapping"]
    rows = read_csv(client.get("/supervise/export?format=csv"))
    assert "content_version_hash" not in rows[0]
    assert all(full not in value for value in rows[0].values())


def export_bytes(engine: Engine, fmt: str, actor_email: str) -> bytes:
    """An export of every trainee, made without HTTP so a test can shrink the pages."""
    with Session(engine) as db:
        actor = db.exec(select(User).where(User.email == actor_email)).one()
    users = select(User).where(User.role == Role.trainee)
    request = exports.ExportRequest(users, "all", fmt)
    return b"".join(exports.stream_export(engine, request, CATALOG, "http://t", actor))


@pytest.fixture
def awkward(four, engine: Engine) -> str:
    """The four trainees with names a CSV or JSON writer must quote or escape."""
    names = ['Comma, "quoted"', "Line\nbreak", "-minus Ünïcødé", "Tab\tand\r"]
    with Session(engine) as db:
        trainees = db.exec(select(User).where(User.role == Role.trainee).order_by(User.id)).all()
        for trainee, name in zip(trainees, names, strict=True):
            trainee.name = name
            db.add(trainee)
        actor = db.exec(select(User).where(User.role == Role.supervisor)).one()
        db.commit()
        return actor.email


def test_files_are_exactly_what_the_csv_and_json_writers_make(client, awkward) -> None:
    """Rows are assembled from pre-rendered cells for speed; the bytes must still be exactly
    csv.writer's and json.dumps's for the same values, quoting and escaping included."""
    raw = client.get("/supervise/export?format=csv").content
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n").writerows(rows)
    assert raw == ("\ufeff" + again.getvalue()).encode()
    assert {'Comma, "quoted"', "Line\nbreak", "'-minus Ünïcødé", "Tab\tand\r"} <= {
        r[0] for r in rows[1:]
    }
    raw = client.get("/supervise/export?format=json").content
    data = json.loads(raw)
    lines = [json.dumps(item, ensure_ascii=False) for item in data]
    assert raw == ("[\n" + ",\n".join(lines) + "\n]\n").encode()
    csv_rows = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    for item, row in zip(data, csv_rows, strict=True):
        for name in FIELDS:
            value = item[name]
            cell = "; ".join(value) if isinstance(value, list) else value
            assert row[name] == neutralise("" if cell is None else str(cell))


def test_an_export_over_many_pages_lists_every_learner_once(awkward, engine, monkeypatch) -> None:
    """Pages of one learner and chunks of one row give the same bytes as a single page, and
    every learner appears once per module."""
    whole = {fmt: export_bytes(engine, fmt, awkward) for fmt in ("csv", "json", "xapi")}
    monkeypatch.setattr(exports, "BATCH", 1)
    monkeypatch.setattr(exports, "XAPI_BATCH", 1)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 1)
    for fmt in ("csv", "json"):
        assert export_bytes(engine, fmt, awkward) == whole[fmt]
    data = json.loads(whole["json"])
    emails = [item["email"] for item in data]
    assert len(set(emails)) == 4
    assert all(emails.count(e) == len(CATALOG.modules) for e in emails)
    assert [item["module_id"] for item in data[: len(CATALOG.modules)]] == [
        m.slug for m in CATALOG.modules
    ]
    paged = json.loads(export_bytes(engine, "xapi", awkward))
    assert sorted(s["id"] for s in paged) == sorted(s["id"] for s in json.loads(whole["xapi"]))
    with Session(engine) as db:
        counts = db.exec(select(AuditEvent.rows).where(AuditEvent.action == "export_json")).all()
    assert set(counts) == {4 * len(CATALOG.modules)}
