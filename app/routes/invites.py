"""The trainee's side of supervision: accept an invite, see who can see the record, end it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CatalogDep, CurrentUser, DbSession, RowId
from app.models import User
from app.routes.supervise import stream
from app.services import audit, exports, supervision
from app.services.trainee import trainee_detail
from app.templating import render

router = APIRouter()


def _invite_page(request: Request, code: str, error: str | None, status: int = 200) -> HTMLResponse:
    errors = {"code": error} if error else {}
    return render(
        request, "pages/invite.html", {"code": code, "errors": errors}, status_code=status
    )


@router.get("/invite", response_class=HTMLResponse)
def enter_code(request: Request, user: CurrentUser) -> HTMLResponse:
    return _invite_page(request, "", None)


@router.get("/invite/{code}", response_class=HTMLResponse)
def invite_link(request: Request, code: str, user: CurrentUser, db: DbSession) -> HTMLResponse:
    found = supervision.find_invite(db, code)
    problem = supervision.invite_problem(found, user)
    supervisor = db.get(User, found.supervisor_id) if found and not problem else None
    context = {
        "code": code,
        "errors": {"code": problem} if problem else {},
        "supervisor": supervisor,
    }
    return render(request, "pages/invite.html", context, status_code=404 if problem else 200)


@router.post("/invite", response_class=HTMLResponse)
def accept(
    request: Request, user: CurrentUser, db: DbSession, code: Annotated[str, Form()] = ""
) -> Response:
    _, problem = supervision.accept_invite(db, user, code)
    if problem:
        return _invite_page(request, code, problem, status=422)
    return RedirectResponse("/account/supervisors?accepted=1", status_code=303)


@router.get("/account/supervisors", response_class=HTMLResponse)
def supervisors(
    request: Request, user: CurrentUser, db: DbSession, accepted: bool = False
) -> HTMLResponse:
    context = {"viewers": supervision.who_can_see(db, user), "accepted": accepted}
    return render(request, "pages/supervisors.html", context)


@router.post("/account/supervisors/{supervision_id}/end")
def end(supervision_id: RowId, user: CurrentUser, db: DbSession) -> Response:
    if not supervision.end_supervision(db, user, supervision_id):
        audit.refused(db, user, f"supervision:{supervision_id}", 404)
        raise HTTPException(status_code=404)
    return RedirectResponse("/account/supervisors", status_code=303)


@router.post("/account/cohorts/{cohort_id}/leave")
def leave(cohort_id: RowId, user: CurrentUser, db: DbSession) -> Response:
    if not supervision.leave_cohort(db, user, cohort_id):
        audit.refused(db, user, f"cohort:{cohort_id}", 404)
        raise HTTPException(status_code=404)
    return RedirectResponse("/account/supervisors", status_code=303)


@router.get("/learning/record", response_class=HTMLResponse)
def my_record(
    request: Request, user: CurrentUser, db: DbSession, catalog: CatalogDep
) -> HTMLResponse:
    context = {**trainee_detail(db, user, catalog), "own": True}
    return render(request, "pages/trainee.html", context)


@router.get("/learning/record.{format}")
def download_record(
    request: Request, format: str, user: CurrentUser, catalog: CatalogDep
) -> Response:
    """A trainee's complete record to take to their next rotation."""
    if format not in exports.FORMATS:
        raise HTTPException(status_code=404)
    req = exports.ExportRequest(select(User).where(User.id == user.id), "self", format)
    return stream(request, user, catalog, req, "qi-skills-my-record")
