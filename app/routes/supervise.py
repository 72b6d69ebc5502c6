"""Supervisors: their trainees' dashboard, a trainee's detail, invites and exports.

Every route is for supervisors (and admins acting as supervisors), and every look-up of a trainee
goes through services.supervision.visible_trainees; any other id is a 404 and an audit row.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from sqlmodel import col
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from app.catalog import Catalog
from app.deps import CatalogDep, DbSession, RowId, parse_row_id, require_role
from app.models import Cohort, Grade, Role, User
from app.services import audit, exports, links, review, supervision
from app.services.dashboard import SORTS, Filters, matrix
from app.services.trainee import trainee_detail
from app.templating import render

router = APIRouter(prefix="/supervise")
SupervisorUser = Annotated[User, Depends(require_role(Role.supervisor, Role.admin))]


def refuse(db: DbSession, actor: User, what: str) -> HTTPException:
    """Record a look-up outside the supervisor's scope, and answer as if it did not exist."""
    audit.refused(db, actor, what, 404)
    return HTTPException(status_code=404)


def own_cohorts(db: DbSession, user: User, asked: int | None) -> list[Cohort]:
    """The supervisor's cohorts; asking for any other cohort is refused (404 and audited)."""
    cohorts = supervision.cohorts_of(db, user)
    if asked is not None and asked not in {c.id for c in cohorts}:
        raise refuse(db, user, f"cohort:{asked}")
    return cohorts


def _filters(cohort: str, grade: str, module: str, sort: str, catalog: Catalog) -> Filters:
    return Filters(
        cohort_id=parse_row_id(cohort),
        grade=grade if grade in {g.value for g in Grade} else "",
        module=module if catalog.module(module) else "",
        sort=sort if sort in SORTS else "name",
    )


@router.get("", response_class=HTMLResponse)
def dashboard(
    request: Request,
    user: SupervisorUser,
    db: DbSession,
    catalog: CatalogDep,
    cohort: str = "",
    grade: str = "",
    module: str = "",
    sort: str = "name",
) -> HTMLResponse:
    filters = _filters(cohort, grade, module, sort, catalog)
    cohorts = own_cohorts(db, user, filters.cohort_id)
    context = _dashboard(db, user, catalog, filters, cohorts)
    return render(request, "pages/supervise.html", context, fragment="partials/_matrix.html")


def _dashboard(
    db: DbSession,
    user: User,
    catalog: Catalog,
    filters: Filters,
    cohorts: list[Cohort],
    invite: dict[str, Any] | None = None,
    invite_errors: dict[str, str] | None = None,
    invite_form: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "pending": supervision.pending_invites(db, user),
        "matrix": matrix(db, user, catalog, filters),
        "filters": filters,
        "cohorts": cohorts,
        "sorts": SORTS,
        "invite": invite,
        "errors": invite_errors or {},
        "invite_form": invite_form or {},
    }


@router.post("/invites", response_class=HTMLResponse)
def invite(
    request: Request,
    user: SupervisorUser,
    db: DbSession,
    catalog: CatalogDep,
    cohort: Annotated[str, Form()] = "",
    invitee_name: Annotated[str, Form()] = "",
    invitee_email: Annotated[str, Form()] = "",
) -> HTMLResponse:
    cohort_id = parse_row_id(cohort)
    cohorts = own_cohorts(db, user, cohort_id)
    if errors := supervision.invitee_problems(invitee_name, invitee_email):
        typed = {"cohort": cohort, "invitee_name": invitee_name, "invitee_email": invitee_email}
        context = _dashboard(db, user, catalog, Filters(), cohorts, None, errors, typed)
        return render(request, "pages/supervise.html", context, status_code=422)
    created = supervision.create_invite(db, user, cohort_id, invitee_name, invitee_email)
    link = links.absolute_url(request, f"/invite/{created.code}")
    invitation = {
        "code": created.code,
        "link": link,
        "expires": created.expires_at,
        "for": created.invitee_name or created.invitee_email,
    }
    context = _dashboard(db, user, catalog, Filters(), cohorts, invitation)
    return render(request, "pages/supervise.html", context, status_code=201)


@router.post("/invites/{invite_id}/cancel")
def cancel_invite(invite_id: RowId, user: SupervisorUser, db: DbSession) -> Response:
    if not supervision.cancel_invite(db, user, invite_id):
        raise refuse(db, user, f"invite:{invite_id}")
    return RedirectResponse("/supervise", status_code=303)


@router.get("/trainees/{trainee_id}", response_class=HTMLResponse)
def trainee(
    request: Request, trainee_id: RowId, user: SupervisorUser, db: DbSession, catalog: CatalogDep
) -> HTMLResponse:
    found = supervision.can_see(db, user, trainee_id)
    if found is None:
        raise refuse(db, user, f"trainee:{trainee_id}")
    context = trainee_detail(db, found, catalog)
    context["review_activity"] = review.activity(db, found.id)  # counts only, never answers
    return render(request, "pages/trainee.html", context)


@router.get("/export")
def export(
    request: Request,
    user: SupervisorUser,
    db: DbSession,
    catalog: CatalogDep,
    format: str = "csv",
    scope: str = "all",
    date_from: str = "",
    date_to: str = "",
) -> Response:
    """One trainee ("trainee:ID"), a cohort ("cohort:ID") or all of this supervisor's trainees."""
    if format not in exports.FORMATS:
        raise HTTPException(status_code=422, detail="format")
    start, end = optional_date(date_from), optional_date(date_to)
    users = supervision.visible_trainees(user)
    kind, _, ident = scope.partition(":")
    ident_id = parse_row_id(ident)
    if kind == "trainee" and ident_id is not None:
        if supervision.can_see(db, user, ident_id) is None:
            raise refuse(db, user, scope)
        users = users.where(User.id == ident_id)
    elif kind == "cohort" and ident_id is not None:
        own_cohorts(db, user, ident_id)
        users = users.where(col(User.id).in_(supervision.cohort_member_ids(ident_id)))
    elif scope != "all":
        raise HTTPException(status_code=422, detail="scope")
    request_ = exports.ExportRequest(users, scope, format, start, end)
    return stream(request, user, catalog, request_, f"qi-skills-{scope.replace(':', '-')}")


def optional_date(text: str) -> date | None:
    """An empty date field means no limit; anything else must be YYYY-MM-DD."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise HTTPException(status_code=422, detail="date") from None


def stream(
    request: Request, user: User, catalog: CatalogDep, req: exports.ExportRequest, stem: str
) -> StreamingResponse:
    site = links.site_url(request)
    body = exports.stream_export(request.app.state.engine, req, catalog, site, user)
    extension = "csv" if req.format == "csv" else "json"
    suffix = "-xapi" if req.format == "xapi" else ""
    return StreamingResponse(
        body,
        media_type=exports.FORMATS[req.format],
        headers={
            "Content-Disposition": f'attachment; filename="{stem}{suffix}.{extension}"',
            "Cache-Control": "no-store",
        },
    )
