"""Projects: the list, starting one, the overview (one small form per section) and reflections.

Every route under /projects/{project_id} takes a `project_deps` dependency: a project the user
may not see is a 404 and an audit row, one they may see but not change a 403 (also audited).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, RowId, get_catalog, wants_fragment
from app.models import User
from app.routes.project_deps import ProjectEdit, ProjectSeen
from app.services import audit
from app.services.projects import handover, history, measures, reflections, team, workspace
from app.services.projects.access import ProjectAccess
from app.services.projects.coach_input import coach_findings
from app.services.projects.record import my_projects
from app.templating import render

router = APIRouter(prefix="/projects")
FormStr = Annotated[str, Form()]


def section_views(
    access: ProjectAccess,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: str = "",
) -> list[dict[str, Any]]:
    """Each free-text section as the page shows it: the saved text, and the form's text (what
    was typed, when a save was refused)."""
    typed, errors = typed or {}, errors or {}
    return [
        {
            "key": key,
            "label": label,
            "hint": hint,
            "text": getattr(access.project, key),
            "value": typed.get(key, getattr(access.project, key)),
            "error": errors.get(key),
            "saved": saved == key,
        }
        for key, (label, hint) in workspace.SECTIONS.items()
    ]


def overview(
    request: Request, db: DbSession, access: ProjectAccess, user: User, **extra: Any
) -> dict[str, Any]:
    """Everything the overview shows; `extra` carries a refused form or a new invitation."""
    project = access.project
    assert project.id is not None
    context: dict[str, Any] = {
        "access": access,
        "project": project,
        "current": "overview",
        "sections": section_views(access),
        "aim": workspace.aim_form_of(project),
        "aim_sentence": workspace.aim_sentence(project),
        "aim_missing": workspace.aim_missing(project),
        "aim_saved": False,
        "team": team.team(db, project.id),
        "invites": team.pending_invites(db, project.id) if access.is_lead else [],
        "roles": team.JOINABLE_ROLES,
        "member_form": {},
        "member_errors": {},
        "team_error": None,
        "new_invite": None,
        "pending_handover": handover.pending(db, project.id),
        "handovers": handover.accepted(db, project.id),
        "events": history.events(db, project.id),
        "coach_findings": coach_findings(db, get_catalog(request), project),
        "measures_summary": measures.summary(db, project.id),
        "me": user,
    }
    context.update(extra)
    return context


@router.get("", response_class=HTMLResponse)
def projects(
    request: Request, user: CurrentUser, db: DbSession, left: bool = False, declined: bool = False
) -> HTMLResponse:
    notice = "You have left the team." if left else "Handover declined." if declined else None
    context = {"lines": my_projects(db, user), "title": "", "errors": {}, "notice": notice}
    return render(request, "pages/projects.html", context)


@router.post("", response_class=HTMLResponse)
def create(request: Request, user: CurrentUser, db: DbSession, title: FormStr = "") -> Response:
    project, problem = workspace.create_project(db, user, title)
    if project is None:
        context = {"lines": my_projects(db, user), "title": title, "errors": {"title": problem}}
        return render(request, "pages/projects.html", context, status_code=422)
    return RedirectResponse(f"/projects/{project.id}", status_code=303)


@router.get("/{project_id}", response_class=HTMLResponse)
def project_page(
    request: Request,
    access: ProjectSeen,
    user: CurrentUser,
    db: DbSession,
    saved: str = "",
    joined: bool = False,
    lead: bool = False,
    added: bool = False,
) -> HTMLResponse:
    notice = (
        "You now lead this project."
        if lead
        else "You have joined the team."
        if joined
        else "Added to the team."
        if added
        else None
    )
    extra: dict[str, Any] = {"aim_saved": saved == "aim", "notice": notice}
    if saved in workspace.SECTIONS:
        extra["sections"] = section_views(access, saved=saved)
    return render(request, "pages/project.html", overview(request, db, access, user, **extra))


@router.post("/{project_id}/sections/{section}", response_class=HTMLResponse)
def save_section(
    request: Request,
    section: str,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    text: FormStr = "",
) -> Response:
    if section not in workspace.SECTIONS:
        raise HTTPException(status_code=404)
    problem = workspace.save_section(db, access.project, user, section, text)
    errors = {section: problem} if problem else {}
    views = section_views(access, {section: text}, errors, saved="" if problem else section)
    status = 422 if problem else 200
    if wants_fragment(request):
        one = next(v for v in views if v["key"] == section)
        context = {"access": access, "project": access.project, "sec": one}
        return render(request, "partials/_project_section.html", context, status_code=status)
    if problem:
        context = overview(request, db, access, user, sections=views)
        return render(request, "pages/project.html", context, status_code=422)
    pid = access.project.id
    return RedirectResponse(f"/projects/{pid}?saved={section}#section-{section}", status_code=303)


@router.post("/{project_id}/aim", response_class=HTMLResponse)
def save_aim(
    request: Request,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    aim_what: FormStr = "",
    aim_how_much: FormStr = "",
    aim_by_when: FormStr = "",
    aim_for_whom: FormStr = "",
) -> Response:
    form = workspace.parse_aim(aim_what, aim_how_much, aim_by_when, aim_for_whom)
    if not form.errors:
        workspace.save_aim(db, access.project, user, form)
        form = workspace.aim_form_of(access.project)
    project = access.project
    status = 422 if form.errors else 200
    if wants_fragment(request):
        context = {
            "access": access,
            "project": project,
            "aim": form,
            "aim_sentence": workspace.aim_sentence(project),
            "aim_missing": workspace.aim_missing(project),
            "aim_saved": not form.errors,
        }
        return render(request, "partials/_project_aim.html", context, status_code=status)
    if form.errors:
        context = overview(request, db, access, user, aim=form)
        return render(request, "pages/project.html", context, status_code=422)
    return RedirectResponse(f"/projects/{project.id}?saved=aim#aim", status_code=303)


def _reflections_page(
    request: Request, db: DbSession, access: ProjectAccess, **extra: Any
) -> HTMLResponse:
    assert access.project.id is not None
    context = {
        "access": access,
        "project": access.project,
        "current": "reflections",
        "reflections": reflections.of_project(db, access.project.id),
        "text": "",
        "error": None,
        **extra,
    }
    status = 422 if extra.get("error") else 200
    return render(request, "pages/project_reflections.html", context, status_code=status)


@router.get("/{project_id}/reflections", response_class=HTMLResponse)
def reflections_page(
    request: Request, access: ProjectSeen, user: CurrentUser, db: DbSession
) -> HTMLResponse:
    return _reflections_page(request, db, access, me=user)


@router.post("/{project_id}/reflections", response_class=HTMLResponse)
def add_reflection(
    request: Request, access: ProjectEdit, user: CurrentUser, db: DbSession, text: FormStr = ""
) -> Response:
    assert access.project.id is not None
    problem = reflections.add(db, access.project.id, user, text)
    if problem:
        return _reflections_page(request, db, access, me=user, text=text, error=problem)
    return RedirectResponse(f"/projects/{access.project.id}/reflections", status_code=303)


@router.post("/{project_id}/reflections/{reflection_id}/delete")
def delete_reflection(
    reflection_id: RowId, access: ProjectEdit, user: CurrentUser, db: DbSession
) -> Response:
    assert access.project.id is not None
    if not reflections.delete(db, access.project.id, user, reflection_id):
        audit.refused(db, user, f"project_reflection:{reflection_id}", 404)
        raise HTTPException(status_code=404)
    return RedirectResponse(f"/projects/{access.project.id}/reflections", status_code=303)
