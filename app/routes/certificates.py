"""Certificates: the owner's page and PDF, the public check, and admin revocation.

Owner-only pages answer 404 to anyone else, so a certificate id reveals nothing to other users;
/verify is public on purpose and shows only what the certificate itself states.
"""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, HTTPException, Query, Request
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.config import Settings
from app.deps import AdminUser, CurrentUser, DbSession
from app.models import Certificate, User
from app.routes.project_evidence import verify_pack_page
from app.services import audit, certificates, links
from app.services.projects import evidence
from app.templating import render

router = APIRouter()


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def verify_url(request: Request, cert_id: str) -> str:
    """The public check's full address, as printed on the page, in the QR code and in the PDF."""
    return links.absolute_url(request, certificates.verify_path(cert_id))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url`, named for screen readers; attributes only, no styles."""
    svg = segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff", svgclass=None)
    label = escape(f"QR code that opens {url}")
    # The SVG is segno's own output for our URL and the label is escaped above.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # nosec B704


def _owned(db: DbSession, user: User, cert_id: str) -> Certificate:
    cert = certificates.owned_certificate(db, user, cert_id)
    if cert is None:  # someone else's, or none: the same 404, and an audit row
        audit.refused(db, user, f"certificate:{cert_id}", 404)
        raise HTTPException(status_code=404)
    return cert


@router.get("/learning/certificates", response_class=HTMLResponse)
def my_certificates(request: Request, user: CurrentUser, db: DbSession) -> HTMLResponse:
    settings = _settings(request)
    rows = [
        (certificates.check(settings, c), None) for c in certificates.user_certificates(db, user)
    ]
    return render(request, "pages/certificate.html", {"certificates": rows, "admin": False})


@router.get("/certificates/{cert_id}.pdf")
def certificate_download(
    request: Request, cert_id: str, user: CurrentUser, db: DbSession
) -> Response:
    settings = _settings(request)
    result = certificates.check(settings, _owned(db, user, cert_id))
    if result.status != "valid" or result.view is None:  # never print a revoked or broken one
        raise HTTPException(status_code=404)
    from app.services.certificate_pdf import certificate_pdf  # fpdf: 45 MB, loaded on demand

    body = certificate_pdf(
        result.view, verify_url(request, cert_id), development=settings.development_signing_key
    )
    headers = {
        "Content-Disposition": f'attachment; filename="qi-skills-certificate-{cert_id}.pdf"',
        "Cache-Control": "private, no-store",
    }
    return Response(body, media_type="application/pdf", headers=headers)


@router.get("/certificates/{cert_id}", response_class=HTMLResponse)
def certificate_page(
    request: Request, cert_id: str, user: CurrentUser, db: DbSession, new: bool = False
) -> HTMLResponse:
    settings = _settings(request)
    result = certificates.check(settings, _owned(db, user, cert_id))
    url = verify_url(request, cert_id)
    context = {"result": result, "verify_url": url, "qr": qr_svg(url), "new": new}
    return render(request, "pages/certificate.html", context)


UNKNOWN_ID = "We have no certificate with that ID. Check it against the paper, letter by letter"
UNKNOWN_PACK = "We have no evidence pack with that ID. Check it against the paper, letter by letter"
# Base32 never uses 0, 1, 8 or 9: on paper they can only be misread O, I, B and g.
MISREAD = str.maketrans({"0": "O", "1": "I", "8": "B"})


def normalise_certificate_id(typed: str) -> str:
    """The id as printed, from what a person typed: any case, spaces or dashes, with or without
    the QI- prefix, and digits that can only be misread letters."""
    raw = "".join(ch for ch in typed.upper() if ch.isalnum())
    if pack_id := evidence.normalise_pack_id(raw, MISREAD):
        return pack_id
    if len(raw) == 18 and raw.startswith("QI"):
        raw = raw[2:]
    if len(raw) != 16:
        return typed.strip().upper()
    return certificates.ID_PREFIX + raw.translate(MISREAD)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(
    request: Request, db: DbSession, cert_id: Annotated[str, Query(alias="id")] = ""
) -> Response:
    """A form for the id printed on a paper certificate; a known id goes to its public page."""
    if not cert_id.strip():
        return render(request, "pages/verify_form.html", {"typed": "", "errors": {}})
    wanted = normalise_certificate_id(cert_id)
    if evidence.is_pack_id(wanted):
        known = evidence.verify_pack(db, _settings(request), wanted)[0].status != "unknown"
    else:
        known = certificates.verify_certificate(db, _settings(request), wanted).status != "unknown"
    if known:
        return RedirectResponse(f"/verify/{wanted}", status_code=303)
    errors = {"id": UNKNOWN_PACK if evidence.is_pack_id(wanted) else UNKNOWN_ID}
    context = {"typed": cert_id, "errors": errors}
    return render(request, "pages/verify_form.html", context, status_code=404)


@router.get("/verify/{cert_id}", response_class=HTMLResponse)
def verify(request: Request, cert_id: str, db: DbSession) -> HTMLResponse:
    """A certificate, or an evidence pack (QIE-...: routes/project_evidence.py shows it)."""
    wanted = normalise_certificate_id(cert_id)
    if evidence.is_pack_id(wanted):
        return verify_pack_page(request, db, wanted)
    result = certificates.verify_certificate(db, _settings(request), wanted)
    status_code = 404 if result.status == "unknown" else 200
    return render(request, "pages/verify.html", {"result": result}, status_code=status_code)


def _admin_list(
    request: Request, db: DbSession, errors: dict[str, str], typed: dict[str, str]
) -> dict[str, Any]:
    settings = _settings(request)
    rows = [(certificates.check(settings, c), u) for c, u in certificates.all_certificates(db)]
    return {"certificates": rows, "admin": True, "errors": errors, "typed": typed}


@router.get("/admin/certificates", response_class=HTMLResponse)
def admin_certificates(request: Request, admin: AdminUser, db: DbSession) -> HTMLResponse:
    return render(request, "pages/certificate.html", _admin_list(request, db, {}, {}))


@router.post("/admin/certificates/{cert_id}/revoke", response_class=HTMLResponse)
def revoke_certificate(
    request: Request,
    cert_id: str,
    admin: AdminUser,
    db: DbSession,
    reason: Annotated[str, Form()] = "",
) -> Response:
    problem = certificates.revoke(db, admin, cert_id, reason)
    if problem == certificates.NOT_FOUND:
        raise HTTPException(status_code=404)
    if problem:
        context = _admin_list(request, db, {f"reason-{cert_id}": problem}, {cert_id: reason})
        return render(request, "pages/certificate.html", context, status_code=422)
    return RedirectResponse(f"/verify/{cert_id}", status_code=303)
