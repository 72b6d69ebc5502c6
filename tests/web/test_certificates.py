"""Certificates over real HTTP: owner page and PDF, the public check, tampering, revocation."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator

import httpx
import pytest
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.config import Settings
from app.models import AuditEvent, Certificate, ModuleCompletion, Role, User
from app.services.certificates import issue_certificate
from tests.conftest import CONTENT_DIR, course_module
from tests.web.helpers import post, register
from tests.web.supervision_helpers import pass_and_certify
from tests.web.test_permissions import set_role

CATALOG = load_catalog(CONTENT_DIR)
MODULE = course_module()
NAME = "Dr Si\N{LATIN SMALL LETTER A WITH CIRCUMFLEX}n O\N{RIGHT SINGLE QUOTATION MARK}Brien"


@pytest.fixture
def other(client: httpx.Client) -> Iterator[httpx.Client]:
    """A second browser on the same server."""
    with httpx.Client(base_url=str(client.base_url), timeout=10) as browser:
        yield browser


def issue(engine: Engine, settings: Settings, email: str) -> str:
    """Record a completion for the user, as the learning code will, and issue its certificate."""
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        return pass_and_certify(db, settings, user).id


def html(text: str) -> str:
    return str(escape(text))


def pdf_text(body: bytes) -> str:
    """The text a PDF reader extracts: what a person copying from the certificate would get."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def edit(engine: Engine, cert_id: str, **changes: str) -> None:
    with Session(engine) as db:
        cert = db.get(Certificate, cert_id)
        for name, value in changes.items():
            setattr(cert, name, value)
        db.add(cert)
        db.commit()


def test_the_owner_sees_the_certificate_and_downloads_the_pdf(
    client: httpx.Client, engine: Engine, settings: Settings
) -> None:
    email = register(client, name=NAME)
    cert_id = issue(engine, settings, email)

    page = client.get(f"/certificates/{cert_id}")
    assert page.status_code == 200
    body = page.text
    assert '<h1 class="nhsuk-heading-xl">Your certificate</h1>' in body
    assert NAME in body and html(MODULE.title) in body and cert_id in body
    assert all(html(o.text) in body for o in MODULE.outcomes)
    assert "Domain 6: Capabilities in patient safety and quality improvement" in body
    assert f"{MODULE.minutes} minutes" in body and "90%" not in body  # the score stays private
    assert MODULE.version[:12] in body
    assert f'href="/certificates/{cert_id}.pdf"' in body and "Download PDF" in body
    assert f"{client.base_url}/verify/{cert_id}" in body
    qr = re.search(r"<svg [^>]*>", body)
    assert qr and 'role="img"' in qr.group(0) and 'aria-label="QR code' in qr.group(0)
    assert "style=" not in body  # the CSP allows no inline styles

    pdf = client.get(f"/certificates/{cert_id}.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    disposition = pdf.headers["content-disposition"]
    assert disposition == f'attachment; filename="qi-skills-certificate-{cert_id}.pdf"'
    assert pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert f"Certificate ID: {cert_id}" in text
    assert NAME in text
    assert f"{client.base_url}/verify/{cert_id}" in text

    mine = client.get("/learning/certificates")
    assert mine.status_code == 200 and f'href="/certificates/{cert_id}"' in mine.text


def test_issuing_twice_gives_the_same_certificate(
    client: httpx.Client, engine: Engine, settings: Settings
) -> None:
    email = register(client)
    first = issue(engine, settings, email)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        completion = db.exec(select(ModuleCompletion).where(ModuleCompletion.user_id == user.id))
        again = issue_certificate(db, settings, user, MODULE, completion.one())
        assert again.id == first
        assert len(db.exec(select(Certificate)).all()) == 1


def test_nobody_else_sees_the_page_or_the_pdf(
    client: httpx.Client, other: httpx.Client, engine: Engine, settings: Settings
) -> None:
    cert_id = issue(engine, settings, register(client))
    anonymous = other.get(f"/certificates/{cert_id}")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    register(other)
    assert other.get(f"/certificates/{cert_id}").status_code == 404
    assert other.get(f"/certificates/{cert_id}.pdf").status_code == 404
    assert cert_id not in other.get("/learning/certificates").text
    assert client.get("/certificates/QI-AAAAAAAAAAAAAAAA").status_code == 404


def test_anyone_can_verify_a_fresh_certificate_and_sees_no_email(
    client: httpx.Client, other: httpx.Client, engine: Engine, settings: Settings
) -> None:
    email = register(client, name=NAME)
    cert_id = issue(engine, settings, email)
    for browser, path in ((other, cert_id), (client, cert_id), (other, cert_id.lower())):
        page = browser.get(f"/verify/{path}")
        assert page.status_code == 200
        assert "This certificate is valid" in page.text
        assert NAME in page.text and html(MODULE.title) in page.text
        assert f"{MODULE.minutes} minutes" in page.text and cert_id in page.text
        assert email not in page.text and email.split("@")[0] not in page.text
        assert "90%" not in page.text  # in the signed payload, but never displayed


@pytest.mark.parametrize("part", ["payload", "signature"])
def test_a_tampered_certificate_is_not_valid(
    client: httpx.Client, other: httpx.Client, engine: Engine, settings: Settings, part: str
) -> None:
    cert_id = issue(engine, settings, register(client))
    with Session(engine) as db:
        cert = db.get(Certificate, cert_id)
        original = getattr(cert, part)
    if part == "payload":
        changed = original.replace('"name":"Test Trainee"', '"name":"Test Trainef"')
    else:
        changed = ("B" if original[0] != "B" else "C") + original[1:]
    assert changed != original
    edit(engine, cert_id, **{part: changed})
    page = other.get(f"/verify/{cert_id}")
    assert page.status_code == 200
    assert "This certificate is not valid" in page.text and "Not valid" in page.text
    assert "This certificate is valid" not in page.text and "Test Trainef" not in page.text
    assert client.get(f"/certificates/{cert_id}.pdf").status_code == 404  # never printed


def test_an_admin_revokes_with_a_reason_and_it_is_audited(
    client: httpx.Client, other: httpx.Client, engine: Engine, settings: Settings
) -> None:
    cert_id = issue(engine, settings, register(other, name=NAME))
    admin_email = register(client)
    set_role(engine, admin_email, Role.admin)

    listing = client.get("/admin/certificates")
    assert listing.status_code == 200 and cert_id in listing.text and NAME in listing.text
    assert f'action="/admin/certificates/{cert_id}/revoke"' in listing.text
    assert f'<label class="nhsuk-label" for="reason-{cert_id}">' in listing.text

    path, page = f"/admin/certificates/{cert_id}/revoke", "/admin/certificates"
    empty = post(client, path, {"reason": "   "}, page=page)
    assert empty.status_code == 422
    assert "There is a problem" in empty.text and f'href="#reason-{cert_id}"' in empty.text
    assert "Enter the reason" in empty.text
    too_long = post(client, path, {"reason": "x" * 301}, page=page)
    assert too_long.status_code == 422 and 'value="' + "x" * 301 + '"' in too_long.text

    reason = "Issued in error: the module was completed by someone else"
    done = post(client, path, {"reason": reason}, page=page)
    assert done.status_code == 303 and done.headers["location"] == f"/verify/{cert_id}"
    public = httpx.get(f"{client.base_url}/verify/{cert_id}")
    assert public.status_code == 200
    assert "This certificate has been revoked" in public.text and reason in public.text
    assert "This certificate is valid" not in public.text

    with Session(engine) as db:
        admin = db.exec(select(User).where(User.email == admin_email)).one()
        event = db.exec(select(AuditEvent).where(AuditEvent.action == "certificate_revoked")).one()
        assert (event.actor_id, event.actor_role) == (admin.id, "admin")
        assert event.scope == f"certificate:{cert_id}" and event.detail == reason
        assert db.get(Certificate, cert_id).revoked_reason == reason

    assert post(client, path, {"reason": "again"}, page=page).status_code == 422
    missing = post(client, "/admin/certificates/QI-NOPE/revoke", {"reason": "x"}, page=page)
    assert missing.status_code == 404
    assert other.get(f"/certificates/{cert_id}.pdf").status_code == 404
    assert "Revoked" in other.get(f"/certificates/{cert_id}").text


@pytest.mark.parametrize("role", [Role.trainee, Role.supervisor])
def test_only_admins_list_or_revoke(
    client: httpx.Client, engine: Engine, settings: Settings, role: Role
) -> None:
    email = register(client)
    set_role(engine, email, role)
    cert_id = issue(engine, settings, email)
    assert client.get("/admin/certificates").status_code == 403
    response = post(
        client, f"/admin/certificates/{cert_id}/revoke", {"reason": "mine"}, page="/account"
    )
    assert response.status_code == 403
    with Session(engine) as db:
        assert db.get(Certificate, cert_id).revoked_at is None
        # Nothing was revoked; both refusals are on record.
        actions = [(e.action, e.detail) for e in db.exec(select(AuditEvent)).all()]
        assert actions == [("forbidden", "answered 403")] * 2


def test_an_unknown_certificate_is_404_and_says_unknown(client: httpx.Client) -> None:
    for cert_id in ("QI-AAAAAAAAAAAAAAAA", "x" * 200, "<script>"):
        page = client.get(f"/verify/{cert_id}")
        assert page.status_code == 404
        assert "Unknown certificate" in page.text and "<SCRIPT>" not in page.text


def test_verify_without_an_id_is_a_form_for_the_printed_id(
    client: httpx.Client, other: httpx.Client, engine: Engine, settings: Settings
) -> None:
    form = other.get("/verify")
    assert form.status_code == 200
    assert 'action="/verify"' in form.text and 'method="get"' in form.text
    assert '<label class="nhsuk-label" for="id">Certificate ID</label>' in form.text
    cert_id = issue(engine, settings, register(client, name=NAME))
    raw = cert_id.removeprefix("QI-")
    typed = f" qi-{raw[:4]} {raw[4:8]} {raw[8:12]} {raw[12:]} ".lower()  # as read off paper
    for attempt in (cert_id, typed, raw.lower()):
        found = other.get("/verify", params={"id": attempt})
        assert found.status_code == 303 and found.headers["location"] == f"/verify/{cert_id}"
    page = other.get("/verify", params={"id": typed}, follow_redirects=True)
    assert page.status_code == 200 and "This certificate is valid" in page.text
    assert html(NAME) in page.text
    assert other.get(f"/verify/{typed.strip()}").status_code == 200  # the path is as tolerant


def test_an_unknown_id_in_the_form_is_404_with_the_input_kept(other: httpx.Client) -> None:
    unknown = other.get("/verify", params={"id": "qi-zzzz <b>"})
    assert unknown.status_code == 404
    assert "We have no certificate with that ID" in unknown.text
    assert 'href="#id"' in unknown.text and 'value="qi-zzzz &lt;b&gt;"' in unknown.text
    assert "<b>" not in unknown.text.split("<main", 1)[1]
    page = other.get("/verify/QI-AAAAAAAAAAAAAAAA")
    assert 'href="/verify"' in page.text  # an unknown certificate page offers the form


def test_a_development_key_says_development_on_the_page_the_pdf_and_verify(
    client: httpx.Client, engine: Engine, settings: Settings
) -> None:
    """The test server has no QI_CERTIFICATE_KEY, like `make run`: nothing it signs may pass
    as real. A configured key prints no such mark (the PDF is drawn the same way)."""
    assert settings.development_signing_key
    email = register(client, name=NAME)
    cert_id = issue(engine, settings, email)
    assert "DEVELOPMENT" in client.get(f"/certificates/{cert_id}").text
    assert "DEVELOPMENT" in client.get(f"/verify/{cert_id}").text
    assert "DEVELOPMENT" in pdf_text(client.get(f"/certificates/{cert_id}.pdf").content)

    from app.services.certificate_pdf import certificate_pdf
    from app.services.certificates import check

    view = check(settings, client_certificate(engine, cert_id)).view
    assert "DEVELOPMENT" not in pdf_text(certificate_pdf(view, "https://x/verify"))
    configured = Settings(
        database_url=settings.database_url, certificate_key=base64.b64encode(b"k" * 32).decode()
    )
    assert not configured.development_signing_key


def client_certificate(engine: Engine, cert_id: str) -> Certificate:
    with Session(engine) as db:
        return db.get(Certificate, cert_id)
