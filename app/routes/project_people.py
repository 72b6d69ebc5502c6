"""The stakeholder map and conversation log: /projects/{project_id}/people. Plain forms, POST
then redirect; a form error re-renders the page (422) with what was typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, RowId, parse_row_id
from app.diagrams import QUADRANTS
from app.models import Stakeholder, User
from app.models.content import utcnow
from app.routes.project_deps import ProjectEdit, ProjectSeen
from app.services import audit
from app.services.projects import stakeholders as people
from app.services.projects.access import ProjectAccess
from app.templating import render

router = APIRouter(prefix="/projects/{project_id}/people")
FormStr = Annotated[str, Form()]


def _page(
    request: Request,
    db: DbSession,
    access: ProjectAccess,
    *,
    errors: dict[str, str] | None = None,
    kept: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    project = access.project
    found = people.stakeholders(db, project.id or 0)
    user = getattr(request.state, "user", None)
    context = {
        "project": project,
        "access": access,
        "can_edit": access.can_edit,
        "nav": "people",
        "stakeholders": found,
        "editable": [s for s in found if access.can_edit and people.may_change(user, project, s)],
        "groups": people.grouped(found),
        "quadrants": QUADRANTS,
        "svg": people.map_svg(found),
        "log": people.conversations(db, project.id or 0),
        "today": utcnow().date().isoformat(),
        "errors": errors or {},
        "kept": kept or {},
    }
    return render(request, "pages/project_people.html", context, status_code=status)


def _back(access: ProjectAccess, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/projects/{access.project.id}/people#{anchor}", status_code=303)


def _refuse(request: Request, db: DbSession, user: User, status: int) -> HTTPException:
    audit.refused(db, user, f"{request.method} {request.url.path}", status)
    return HTTPException(status_code=status)


def _own(
    request: Request, db: DbSession, user: User, access: ProjectAccess, stakeholder_id: int
) -> Stakeholder:
    """This project's stakeholder (else 404), added by this user or their lead's (else 403)."""
    found = people.stakeholder_in(db, access.project.id or 0, stakeholder_id)
    if found is None:
        raise _refuse(request, db, user, 404)
    if not people.may_change(user, access.project, found):
        raise _refuse(request, db, user, 403)
    return found


@router.get("", response_class=HTMLResponse)
def people_page(request: Request, access: ProjectSeen, db: DbSession) -> HTMLResponse:
    return _page(request, db, access)


def _input(name: str, role: str, power: str, interest: str, notes: str) -> people.StakeholderInput:
    return people.StakeholderInput(name, role, power, interest, notes)


@router.post("", response_class=HTMLResponse)
def add(
    request: Request,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    name: FormStr = "",
    role: FormStr = "",
    power: FormStr = "",
    interest: FormStr = "",
    notes: FormStr = "",
) -> Response:
    data = _input(name, role, power, interest, notes)
    errors = data.problems()
    if errors:
        kept = {"new": data}
        return _page(request, db, access, errors=errors, kept=kept, status=422)
    made = people.add_stakeholder(db, user, access.project.id or 0, data)
    return _back(access, f"stakeholder-{made.id}")


@router.post("/conversations", response_class=HTMLResponse)
def log_conversation(
    request: Request,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    held_on: FormStr = "",
    stakeholder: FormStr = "",
    summary: FormStr = "",
) -> Response:
    who = None
    if stakeholder.strip():
        who_id = parse_row_id(stakeholder)
        who = people.stakeholder_in(db, access.project.id or 0, who_id) if who_id else None
        if who is None:  # another project's, or none: the same 404 as any foreign id
            raise _refuse(request, db, user, 404)
    day, errors = people.conversation_problems(held_on, summary)
    if errors or day is None:
        kept = {"held_on": held_on, "stakeholder": stakeholder, "summary": summary}
        return _page(request, db, access, errors=errors, kept=kept, status=422)
    people.add_conversation(db, user, access.project.id or 0, day, who, summary)
    return _back(access, "conversations")


@router.post("/{stakeholder_id}", response_class=HTMLResponse)
def edit(
    request: Request,
    stakeholder_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    name: FormStr = "",
    role: FormStr = "",
    power: FormStr = "",
    interest: FormStr = "",
    notes: FormStr = "",
) -> Response:
    found = _own(request, db, user, access, stakeholder_id)
    data = _input(name, role, power, interest, notes)
    errors = data.problems()
    if errors:
        prefixed = {f"{key}-{found.id}": message for key, message in errors.items()}
        kept = {found.id: data}
        return _page(request, db, access, errors=prefixed, kept=kept, status=422)
    people.update_stakeholder(db, user, found, data)
    return _back(access, f"stakeholder-{found.id}")


@router.post("/{stakeholder_id}/delete", response_class=HTMLResponse)
def remove(
    request: Request, stakeholder_id: RowId, access: ProjectEdit, user: CurrentUser, db: DbSession
) -> Response:
    found = _own(request, db, user, access, stakeholder_id)
    people.delete_stakeholder(db, user, found)
    return _back(access, "stakeholder-table")
