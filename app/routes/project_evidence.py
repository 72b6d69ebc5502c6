"""A project's evidence: the packs (generate, download), supervisors' comments and attestations,
the plain-text blocks for portfolios, and the public check of a pack at /verify/<pack id>.

Every project route takes ProjectSeen/ProjectEdit/ProjectAttest (404 or 403, audited), and a pack
is looked up with its project id, so a pack id under another project's address is a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.config import Settings
from app.deps import CurrentUser, DbSession, PostedForm
from app.models import EvidencePack
from app.routes.project_deps import ProjectAttest, ProjectEdit, ProjectSeen
from app.services import links
from app.services.certificates import verify_path
from app.services.projects import attestations, evidence
from app.services.projects.access import ProjectAccess
from app.services.projects.evidence_content import build_content
from app.services.projects.evidence_sections import plain_text, sections
from app.templating import render

router = APIRouter()
PAGE = "pages/project_evidence.html"
VERIFY_PAGE = "pages/verify_pack.html"
NO_FILE = "Choose the evidence pack's PDF or JSON file to check"


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _page(
    request: Request,
    db: DbSession,
    access: ProjectAccess,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    project = access.project
    packs = evidence.packs(db, project.id)
    new = request.query_params.get("new", "")
    saved = request.query_params.get("saved", "")
    context = {
        "project": project,
        "access": access,
        "nav": "evidence",
        "packs": packs,
        "remarks": attestations.listed(db, _settings(request), project.id),
        "kinds": attestations.KINDS,
        "new": new if any(p.id == new for p in packs) else "",  # says only what is true
        "saved": saved if saved in attestations.KINDS else "",
        "errors": errors or {},
        "typed": typed or {"kind": "", "text": ""},
    }
    return render(request, PAGE, context, status_code=status_code)


@router.get("/projects/{project_id}/evidence", response_class=HTMLResponse)
def evidence_page(request: Request, access: ProjectSeen, db: DbSession) -> HTMLResponse:
    return _page(request, db, access)


@router.post("/projects/{project_id}/evidence")
def generate_pack(
    request: Request, access: ProjectEdit, user: CurrentUser, db: DbSession
) -> Response:
    project = access.project
    pack = evidence.generate(
        db,
        _settings(request),
        project,
        user,
        lambda pack_id: links.absolute_url(request, verify_path(pack_id)),
    )
    return RedirectResponse(
        f"/projects/{project.id}/evidence?new={pack.id}#pack-{pack.id}", status_code=303
    )


@router.get("/projects/{project_id}/evidence/text", response_class=HTMLResponse)
def evidence_text(
    request: Request, access: ProjectSeen, user: CurrentUser, db: DbSession
) -> HTMLResponse:
    """The sections as they stand now, from the same builder as the pack, to copy and paste."""
    project = access.project
    rows = evidence.gather(db, _settings(request), project)
    content = build_content(
        rows, pack_id="", generated_at=project.updated_at, verify_url="", by=user.name
    )
    blocks = [(s.key, s.heading, plain_text(s)) for s in sections(content)]
    context = {"project": project, "access": access, "nav": "evidence", "blocks": blocks}
    return render(request, "pages/project_evidence_text.html", context)


def _pack(db: DbSession, access: ProjectAccess, pack_id: str) -> EvidencePack:
    pack = evidence.project_pack(db, access.project.id, pack_id)
    if pack is None:
        raise HTTPException(status_code=404)
    return pack


def _download(body: bytes, name: str, media_type: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
    }
    return Response(body, media_type=media_type, headers=headers)


@router.get("/projects/{project_id}/evidence/{pack_id}.pdf")
def pack_pdf(access: ProjectSeen, pack_id: str, db: DbSession) -> Response:
    pack = _pack(db, access, pack_id)
    body = evidence.pdf_file(evidence.stored_content(pack))
    return _download(body, f"qi-evidence-pack-{pack.id}.pdf", "application/pdf")


@router.get("/projects/{project_id}/evidence/{pack_id}.json")
def pack_json(access: ProjectSeen, pack_id: str, db: DbSession) -> Response:
    pack = _pack(db, access, pack_id)
    body = evidence.json_file(evidence.stored_content(pack))
    return _download(body, f"qi-evidence-pack-{pack.id}.json", "application/json")


@router.post("/projects/{project_id}/attestations", response_class=HTMLResponse)
def add_attestation(
    request: Request,
    access: ProjectAttest,
    user: CurrentUser,
    db: DbSession,
    kind: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
) -> Response:
    errors = attestations.problems(kind, text)
    if errors:
        typed = {"kind": kind, "text": text}
        return _page(request, db, access, errors=errors, typed=typed, status_code=422)
    attestations.add(db, _settings(request), access.project, user, kind, text)
    project_id = access.project.id
    return RedirectResponse(
        f"/projects/{project_id}/evidence?saved={kind}#supervision", status_code=303
    )


# ---- the public check -------------------------------------------------------------------------


def verify_pack_page(request: Request, db: DbSession, pack_id: str) -> HTMLResponse:
    """GET /verify/<pack id> (routes/certificates.py sends pack ids here): the headline facts
    and whether they hold; nothing else of the pack."""
    result, _ = evidence.verify_pack(db, _settings(request), pack_id)
    return _verify_page(request, result)


def _verify_page(
    request: Request,
    result: evidence.PackCheck,
    *,
    outcome: str = "",
    errors: dict[str, str] | None = None,
    status_code: int | None = None,
) -> HTMLResponse:
    context: dict[str, Any] = {"result": result, "outcome": outcome, "errors": errors or {}}
    if status_code is None:
        status_code = 404 if result.status == "unknown" else 200
    return render(request, VERIFY_PAGE, context, status_code=status_code)


@router.post("/verify/{pack_id}", response_class=HTMLResponse)
def verify_pack_file(request: Request, pack_id: str, form: PostedForm, db: DbSession) -> Response:
    """Compare an uploaded file's SHA-256 with the pack's PDF and JSON. The request limits
    middleware already refused anything over its size limit before this was read."""
    result, pack = evidence.verify_pack(db, _settings(request), pack_id)
    if pack is None or result.status != "valid":
        return _verify_page(request, result)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _verify_page(request, result, errors={"file": NO_FILE}, status_code=422)
    data = upload.file.read()
    if not data:
        errors = {"file": "That file is empty. Choose the PDF or JSON file you downloaded"}
        return _verify_page(request, result, errors=errors, status_code=422)
    found = evidence.file_matches(pack, data)
    outcome = f"match-{found.lower()}" if found else "changed"
    return _verify_page(request, result, outcome=outcome)
