"""Handover at rotation: the lead offers the project with a note; the successor answers at
/projects/handovers/{id} (they may not be on the team yet, so that page is scoped to the person
it was offered to: anyone else gets a 404 and an audit row)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, RowId
from app.models import User
from app.routes.project_deps import ProjectLead, ProjectSeen
from app.services import audit
from app.services.projects import handover, team
from app.services.projects.access import ProjectAccess
from app.services.projects.record import HandoverLine
from app.templating import render

router = APIRouter(prefix="/projects")
FormStr = Annotated[str, Form()]


def _page(
    request: Request, db: DbSession, access: ProjectAccess, user: User, status: int = 200,
    **extra: Any,
) -> HTMLResponse:  # fmt: skip
    project = access.project
    assert project.id is not None
    context = {
        "access": access,
        "project": project,
        "current": "handover",
        "me": user,
        "team": [p for p in team.team(db, project.id) if p.member.user_id != project.lead_id],
        "pending_handover": handover.pending(db, project.id),
        "handovers": handover.accepted(db, project.id),
        "form": handover.HandoverForm(),
        "notes": handover.NOTES,
        **extra,
    }
    return render(request, "pages/project_handover.html", context, status_code=status)


@router.get("/{project_id}/handover", response_class=HTMLResponse)
def handover_page(
    request: Request, access: ProjectSeen, user: CurrentUser, db: DbSession
) -> HTMLResponse:
    return _page(request, db, access, user)


@router.post("/{project_id}/handover", response_class=HTMLResponse)
def offer(
    request: Request,
    access: ProjectLead,
    user: CurrentUser,
    db: DbSession,
    successor: FormStr = "",
    successor_email: FormStr = "",
    what_works: FormStr = "",
    what_next: FormStr = "",
    who_to_talk_to: FormStr = "",
) -> Response:
    form = handover.HandoverForm(successor, successor_email, what_works, what_next, who_to_talk_to)
    if handover.offer(db, access.project, user, form) is None:
        return _page(request, db, access, user, 422, form=form)
    return RedirectResponse(f"/projects/{access.project.id}/handover", status_code=303)


@router.post("/{project_id}/handover/cancel")
def cancel(access: ProjectLead, user: CurrentUser, db: DbSession) -> Response:
    if not handover.cancel(db, access.project, user):
        raise HTTPException(status_code=409)
    return RedirectResponse(f"/projects/{access.project.id}/handover", status_code=303)


def _offered(db: DbSession, user: User, handover_id: int) -> HandoverLine:
    line = handover.offered_to(db, user, handover_id)
    if line is None:  # someone else's, decided already, or none: the same 404, audited
        audit.refused(db, user, f"handover:{handover_id}", 404)
        raise HTTPException(status_code=404)
    return line


@router.get("/handovers/{handover_id}", response_class=HTMLResponse)
def offered(request: Request, handover_id: RowId, user: CurrentUser, db: DbSession) -> HTMLResponse:
    line = _offered(db, user, handover_id)
    context = {"line": line, "notes": handover.NOTES, "problem": None}
    return render(request, "pages/project_handover_offer.html", context)


@router.post("/handovers/{handover_id}/accept", response_class=HTMLResponse)
def accept(request: Request, handover_id: RowId, user: CurrentUser, db: DbSession) -> Response:
    line = _offered(db, user, handover_id)
    if problem := handover.accept(db, user, line):
        context = {"line": line, "notes": handover.NOTES, "problem": problem}
        return render(request, "pages/project_handover_offer.html", context, status_code=409)
    return RedirectResponse(f"/projects/{line.handover.project_id}?lead=1", status_code=303)


@router.post("/handovers/{handover_id}/decline", response_class=HTMLResponse)
def decline(request: Request, handover_id: RowId, user: CurrentUser, db: DbSession) -> Response:
    line = _offered(db, user, handover_id)
    if problem := handover.decline(db, user, line):
        context = {"line": line, "notes": handover.NOTES, "problem": problem}
        return render(request, "pages/project_handover_offer.html", context, status_code=409)
    return RedirectResponse("/projects?declined=1", status_code=303)
