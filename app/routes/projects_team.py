"""A project's team: the lead adds people (an account at once, or an emailed invitation link),
changes roles and removes members; anyone on the team may leave; an invitation link is accepted
by whoever signs in with it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, RowId
from app.routes.project_deps import ProjectLead, ProjectSeen
from app.routes.projects import overview
from app.services import audit, links
from app.services.projects import team
from app.templating import render

router = APIRouter(prefix="/projects")
FormStr = Annotated[str, Form()]


def _team_page(request, db, access, user, status: int, **extra) -> HTMLResponse:  # type: ignore[no-untyped-def]
    context = overview(request, db, access, user, **extra)
    return render(request, "pages/project.html", context, status_code=status)


@router.post("/{project_id}/members", response_class=HTMLResponse)
def add_member(
    request: Request,
    background: BackgroundTasks,
    access: ProjectLead,
    user: CurrentUser,
    db: DbSession,
    member_email: FormStr = "",
    member_role: FormStr = "member",
    how: FormStr = "invite",
) -> Response:
    """`how`: "add" puts an existing account on the team at once; "invite" emails a link
    (and shows it once, to pass on by hand)."""
    typed = {"member_email": member_email, "member_role": member_role, "how": how}
    errors = team.add_problems(member_email, member_role)
    project = access.project
    if not errors and how == "add":
        if problem := team.add_member(db, project, user, member_email, member_role):
            errors["member_email"] = problem
        else:
            return RedirectResponse(f"/projects/{project.id}?added=1#team", status_code=303)
    if errors:
        return _team_page(request, db, access, user, 422, member_form=typed, member_errors=errors)
    invite, token = team.create_invite(db, project, user, member_email, member_role)
    url = links.absolute_url(request, f"/projects/invites/{token}")
    settings = request.app.state.settings
    background.add_task(team.email_invite, settings, invite.email, project.title, user.name, url)
    shown = {"link": url, "email": invite.email, "expires": team.expires_text(invite.expires_at)}
    return _team_page(request, db, access, user, 201, new_invite=shown)


@router.post("/{project_id}/invites/{invite_id}/cancel")
def cancel_invite(
    invite_id: RowId, access: ProjectLead, user: CurrentUser, db: DbSession
) -> Response:
    if not team.cancel_invite(db, access.project, user, invite_id):
        audit.refused(db, user, f"project_invite:{invite_id}", 404)
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/projects/{access.project.id}#team", status_code=303)


@router.post("/{project_id}/members/{member_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    member_id: RowId,
    access: ProjectLead,
    user: CurrentUser,
    db: DbSession,
    role: FormStr = "",
) -> Response:
    found, problem = team.change_role(db, access.project, user, member_id, role)
    if not found:
        audit.refused(db, user, f"project_member:{member_id}", 404)
        raise HTTPException(status_code=404)
    if problem:
        return _team_page(request, db, access, user, 422, team_error=problem)
    return RedirectResponse(f"/projects/{access.project.id}#team", status_code=303)


@router.post("/{project_id}/members/{member_id}/remove", response_class=HTMLResponse)
def remove_member(
    request: Request, member_id: RowId, access: ProjectLead, user: CurrentUser, db: DbSession
) -> Response:
    found, problem = team.remove_member(db, access.project, user, member_id)
    if not found:
        audit.refused(db, user, f"project_member:{member_id}", 404)
        raise HTTPException(status_code=404)
    if problem:
        return _team_page(request, db, access, user, 409, team_error=problem)
    return RedirectResponse(f"/projects/{access.project.id}#team", status_code=303)


@router.post("/{project_id}/leave", response_class=HTMLResponse)
def leave(request: Request, access: ProjectSeen, user: CurrentUser, db: DbSession) -> Response:
    if problem := team.leave(db, access.project, user):
        return _team_page(request, db, access, user, 409, team_error=problem)
    return RedirectResponse("/projects?left=1", status_code=303)


@router.get("/invites/{token}", response_class=HTMLResponse)
def invite_page(request: Request, token: str, user: CurrentUser, db: DbSession) -> HTMLResponse:
    """Signed out, `CurrentUser` sends the visitor to sign in and back here."""
    found = team.find_invite(db, token)
    if found is None:
        context = {"token": token, "problem": team.DEAD_LINK}
        return render(request, "pages/project_invite.html", context, status_code=404)
    invite, project, inviter = found
    context = {
        "token": token,
        "problem": None,
        "invite": invite,
        "project_title": project.title,
        "inviter": inviter,
        "role_label": team.JOINABLE_ROLES.get(invite.role, invite.role),
    }
    return render(request, "pages/project_invite.html", context)


@router.post("/invites/{token}", response_class=HTMLResponse)
def accept_invite(request: Request, token: str, user: CurrentUser, db: DbSession) -> Response:
    project_id, problem = team.accept_invite(db, user, token)
    if problem:
        context = {"token": token, "problem": problem}
        return render(request, "pages/project_invite.html", context, status_code=409)
    return RedirectResponse(f"/projects/{project_id}?joined=1", status_code=303)
