"""Evidence packs over real HTTP: generate, download, read back, verify, upload, and who may."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import pytest
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models import (
    AuditEvent,
    DriverNode,
    EvidencePack,
    Handover,
    Measure,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectMember,
    ProjectReflection,
    Role,
    User,
)
from app.models.content import utcnow
from app.services.projects.evidence_sections import SECTIONS
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import pass_and_certify, set_role

LEAD = "Dr Si\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}n O\N{RIGHT SINGLE QUOTATION MARK}Brien"
SUPERVISOR = "Dr Łukasz Nowak"
AIM = "Increase antibiotics within one hour of sepsis recognition"
MEASURE = "Antibiotics within 1 hour"
PREDICTION = "Half the delays will go once the trolley is stocked"
ATTESTATION = "I confirm Siân led this project and the data are hers"
FIRST_DAY = date(2026, 1, 5)
VALUES = [58, 61, 57, 60, 59, 62, 70, 72, 71, 74, 76, 75]


@pytest.fixture
def browser(client: httpx.Client) -> Iterator[httpx.Client]:
    """A second browser on the same server."""
    with httpx.Client(base_url=str(client.base_url), timeout=20) as other:
        yield other


def user(engine: Engine, email: str) -> User:
    with Session(engine) as db:
        found = db.exec(select(User).where(User.email == email)).one()
        db.expunge(found)
        return found


@dataclass
class Setup:
    project_id: int
    lead_id: int
    supervisor_id: int
    cert_id: str


def make_project(engine: Engine, settings: Settings, lead: User, supervisor: User) -> Setup:
    """A project with everything a pack reports, written straight to the database."""
    with Session(engine) as db:
        project = Project(
            title="Sepsis antibiotics on Ward 5",
            lead_id=lead.id,
            created_by_id=lead.id,
            problem="Antibiotics for sepsis are often late on Ward 5",
            context="A 28-bed medical ward",
            baseline="58% within an hour in 2025",
            aim_what=AIM,
            aim_how_much="from 58% to 90%",
            aim_by_when=date(2027, 3, 31),
            aim_for_whom="adults on Ward 5",
            results="Antibiotics within the hour rose to 75%",
            sustainability="The trolley check is on the daily safety huddle",
            spread="Ward 6 is starting the same trolley",
        )
        db.add(project)
        db.commit()
        db.refresh(project)
        pid = project.id
        db.add(ProjectMember(project_id=pid, user_id=lead.id, role="lead"))
        db.add(ProjectMember(project_id=pid, user_id=supervisor.id, role="supervisor"))
        primary = DriverNode(project_id=pid, kind="primary", text="Recognition of sepsis")
        db.add(primary)
        db.commit()
        secondary = DriverNode(
            project_id=pid, kind="secondary", text="Screening at triage", parent_id=primary.id
        )
        db.add(secondary)
        db.commit()
        idea = DriverNode(
            project_id=pid, kind="change", text="A stocked sepsis trolley", parent_id=secondary.id
        )
        db.add(idea)
        days = [FIRST_DAY + timedelta(weeks=i) for i in range(12)]
        db.add(
            Measure(
                project_id=pid,
                name=MEASURE,
                kind="outcome",
                numerator="Patients given antibiotics within 60 minutes",
                denominator="Patients with sepsis",
                values_text="\n".join(str(v) for v in VALUES),
                labels_text="\n".join(d.isoformat() for d in days),
                author_id=lead.id,
            )
        )
        db.add(
            PdsaCycle(
                project_id=pid,
                number=1,
                change="Stock a sepsis trolley",
                starts_on=days[5] + timedelta(days=2),
                prediction=PREDICTION,
                do_notes="Stocked by the night team",
                study="Fewer delays, as predicted",
                act="adopt",
                author_id=lead.id,
            )
        )
        db.add(
            PdsaCycle(
                project_id=pid,
                number=2,
                change="Sepsis poster at triage",
                starts_on=days[9],
                prediction="Nurses will screen more",
                author_id=lead.id,
            )
        )
        db.add(
            ProjectReflection(
                project_id=pid, author_id=lead.id, text="Engaging the night team mattered most"
            )
        )
        db.add(
            Handover(
                project_id=pid,
                from_user_id=lead.id,
                to_user_id=supervisor.id,
                what_works="The trolley check",
                what_next="Audit in March",
                who_to_talk_to="Ward manager",
                status="accepted",
                decided_at=utcnow(),
            )
        )
        db.commit()
        cert = pass_and_certify(db, settings, db.get(User, lead.id))
        return Setup(pid, lead.id, supervisor.id, cert.id)


@pytest.fixture
def team(client: httpx.Client, browser: httpx.Client, engine: Engine, settings: Settings) -> Setup:
    """`client` is the lead (a trainee); `browser` the team's supervisor."""
    lead = user(engine, register(client, name=LEAD))
    email = register(browser, name=SUPERVISOR)
    set_role(engine, email, Role.supervisor)
    return make_project(engine, settings, lead, user(engine, email))


def attest(browser: httpx.Client, project_id: int, kind: str, text: str) -> httpx.Response:
    token = csrf(browser, f"/projects/{project_id}/evidence")
    return browser.post(
        f"/projects/{project_id}/attestations",
        data={"csrf_token": token, "kind": kind, "text": text},
    )


def generate(client: httpx.Client, project_id: int) -> str:
    token = csrf(client, f"/projects/{project_id}/evidence")
    response = client.post(f"/projects/{project_id}/evidence", data={"csrf_token": token})
    assert response.status_code == 303, response.text[:300]
    return re.search(r"new=(QIE-[A-Z2-7]{16})", response.headers["location"]).group(1)


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def upload(client: httpx.Client, pack_id: str, name: str, body: bytes) -> httpx.Response:
    token = csrf(client, f"/verify/{pack_id}")
    return client.post(
        f"/verify/{pack_id}", data={"csrf_token": token}, files={"file": (name, body)}
    )


def flip(body: bytes, index: int) -> bytes:
    return body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]


def test_a_pack_holds_every_section_and_verifies(
    client: httpx.Client, browser: httpx.Client, team: Setup, engine: Engine
) -> None:
    pid = team.project_id
    saved = attest(browser, pid, "attestation", ATTESTATION)
    assert saved.status_code == 303
    page = browser.get(saved.headers["location"])
    assert escape(ATTESTATION) in page.text and escape(SUPERVISOR) in page.text

    pack_id = generate(client, pid)
    page = client.get(f"/projects/{pid}/evidence?new={pack_id}")
    assert page.status_code == 200 and f'href="/projects/{pid}/evidence/{pack_id}.pdf"' in page.text

    pdf = client.get(f"/projects/{pid}/evidence/{pack_id}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "private, no-store"
    text = flat(pdf_text(pdf.content))
    for _, heading, _ in SECTIONS:
        assert heading in text, heading
    for expected in (AIM, MEASURE, PREDICTION, team.cert_id, ATTESTATION, pack_id, LEAD):
        assert flat(expected) in text, expected
    assert f"{client.base_url}/verify/{pack_id}" in text
    assert "Page 1 of" in text
    assert "PDSA 1: Stock a sepsis trolley" in text  # its start, placed on the chart's point

    with Session(engine) as db:
        pack = db.get(EvidencePack, pack_id)
        assert pack.project_id == pid
        assert hashlib.sha256(pdf.content).hexdigest() == pack.pdf_sha256
        content = json.loads(pack.content)
    assert content["lead"] == LEAD and content["supervision"][0]["text"] == ATTESTATION
    again = client.get(f"/projects/{pid}/evidence/{pack_id}.pdf")
    assert again.content == pdf.content  # rebuilt from the stored content, byte for byte

    document = client.get(f"/projects/{pid}/evidence/{pack_id}.json")
    assert document.status_code == 200
    assert hashlib.sha256(document.content).hexdigest() == pack.json_sha256
    assert json.loads(document.content) == content

    public = browser.get(f"/verify/{pack_id}")
    assert public.status_code == 200 and "This evidence pack is genuine" in public.text
    for shown in ("Sepsis antibiotics on Ward 5", LEAD, pack.content_sha256):
        assert escape(shown) in public.text
    assert pack.generated_at.strftime("%d %B %Y") in public.text
    assert ATTESTATION not in public.text and AIM not in public.text  # headline facts only

    anonymous = httpx.Client(base_url=str(client.base_url), timeout=20)
    with anonymous:
        for name, body in (("pack.pdf", pdf.content), ("pack.json", document.content)):
            same = upload(anonymous, pack_id, name, body)
            assert same.status_code == 200 and "This file matches the pack" in same.text
            changed = upload(anonymous, pack_id, name, flip(body, len(body) // 2))
            assert changed.status_code == 200
            assert "This file does not match: it has been changed" in changed.text
        empty = anonymous.post(
            f"/verify/{pack_id}", data={"csrf_token": csrf(anonymous, f"/verify/{pack_id}")}
        )
        assert empty.status_code == 422 and "Choose the evidence pack" in empty.text
        typed = anonymous.get("/verify", params={"id": pack_id.lower().replace("-", " ")})
        assert typed.status_code == 303 and typed.headers["location"] == f"/verify/{pack_id}"
        unknown = anonymous.get("/verify/QIE-AAAAAAAAAAAAAAAA")
        assert unknown.status_code == 404 and "Unknown evidence pack" in unknown.text


def test_the_plain_text_blocks_come_from_the_same_content(
    client: httpx.Client, team: Setup
) -> None:
    page = client.get(f"/projects/{team.project_id}/evidence/text")
    assert page.status_code == 200
    for key, heading, _ in SECTIONS:
        assert f'<label for="text-{key}">{escape(heading)}</label>' in page.text
        assert re.search(rf'<textarea [^>]*id="text-{key}"[^>]*readonly', page.text)
    assert escape(AIM) in page.text and escape(PREDICTION) in page.text
    assert team.cert_id in page.text


def test_a_pack_under_another_projects_address_is_404(
    client: httpx.Client, team: Setup, engine: Engine
) -> None:
    pack_id = generate(client, team.project_id)
    with Session(engine) as db:
        other = Project(title="Another", lead_id=team.lead_id, created_by_id=team.lead_id)
        db.add(other)
        db.commit()
        db.add(ProjectMember(project_id=other.id, user_id=team.lead_id, role="lead"))
        db.commit()
        other_id = other.id
    assert client.get(f"/projects/{other_id}/evidence").status_code == 200
    for suffix in ("pdf", "json"):
        assert client.get(f"/projects/{other_id}/evidence/{pack_id}.{suffix}").status_code == 404
        assert client.get(f"/projects/{other_id}/evidence/QI-X.{suffix}").status_code == 404


def test_people_outside_the_project_see_nothing_and_are_audited(
    client: httpx.Client, browser: httpx.Client, team: Setup, engine: Engine
) -> None:
    pack_id = generate(client, team.project_id)
    with httpx.Client(base_url=str(client.base_url), timeout=20) as stranger:
        register(stranger)
        for path in ("", "/text", f"/{pack_id}.pdf", f"/{pack_id}.json"):
            response = stranger.get(f"/projects/{team.project_id}/evidence{path}")
            assert response.status_code == 404, path
        posted = stranger.post(
            f"/projects/{team.project_id}/evidence",
            data={"csrf_token": csrf(stranger, "/lab")},
        )
        assert posted.status_code == 404
    with Session(engine) as db:
        refused = db.exec(select(AuditEvent).where(AuditEvent.action == "forbidden")).all()
        assert len(refused) == 5
        assert all(f"/projects/{team.project_id}/evidence" in e.scope for e in refused)
        assert len(db.exec(select(EvidencePack)).all()) == 1


def test_a_trainee_cannot_attest_and_a_supervisor_cannot_generate(
    client: httpx.Client, browser: httpx.Client, team: Setup, engine: Engine
) -> None:
    pid = team.project_id
    refused = attest(client, pid, "attestation", "I attest my own work")
    assert refused.status_code == 403
    generating = browser.post(
        f"/projects/{pid}/evidence", data={"csrf_token": csrf(browser, f"/projects/{pid}/evidence")}
    )
    assert generating.status_code == 403
    assert "Generate evidence pack" not in browser.get(f"/projects/{pid}/evidence").text
    assert "Sign and save" not in client.get(f"/projects/{pid}/evidence").text
    with Session(engine) as db:
        assert db.exec(select(ProjectAttestation)).all() == []
        audits = db.exec(select(AuditEvent).where(AuditEvent.action == "forbidden")).all()
        assert sorted(e.detail for e in audits) == ["answered 403", "answered 403"]
        assert {e.actor_id for e in audits} == {team.lead_id, team.supervisor_id}


def test_an_attestation_needs_its_kind_and_text(browser: httpx.Client, team: Setup) -> None:
    response = attest(browser, team.project_id, "", "   ")
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "Choose whether this is a comment or an attestation" in response.text
    assert "Enter your comment or attestation" in response.text
    kept = attest(browser, team.project_id, "verdict", "Kept text")
    assert kept.status_code == 422 and "Kept text</textarea>" in kept.text


def test_a_supervisor_of_the_lead_attests_without_being_on_the_team(
    client: httpx.Client, team: Setup, engine: Engine, settings: Settings
) -> None:
    from app.models import Supervision

    with httpx.Client(base_url=str(client.base_url), timeout=20) as overseer:
        email = register(overseer, name="Dr Ada Supervisor")
        overseer_id = set_role(engine, email, Role.supervisor)
        with Session(engine) as db:
            db.add(Supervision(supervisor_id=overseer_id, trainee_id=team.lead_id))
            db.commit()
        assert attest(overseer, team.project_id, "comment", "Good progress").status_code == 303
    with Session(engine) as db:
        row = db.exec(select(ProjectAttestation)).one()
        payload = json.loads(row.payload)
        assert payload == {
            "format": 1,
            "project_id": team.project_id,
            "supervisor": "Dr Ada Supervisor",
            "kind": "comment",
            "text": "Good progress",
            "created_at": payload["created_at"],
        }
    page = client.get(f"/projects/{team.project_id}/evidence")
    assert "Comment by Dr Ada Supervisor" in page.text
