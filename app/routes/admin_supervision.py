"""Admin: assign and remove supervisors, and run cohorts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import AdminUser, DbSession, PostedForm, RowId
from app.models import Cohort
from app.services import supervision
from app.templating import render

router = APIRouter(prefix="/admin")
FormStr = Annotated[str, Form()]


def _page(request: Request, db: DbSession, status: int = 200, **extra: Any) -> HTMLResponse:
    context = {
        "supervisions": supervision.active_supervisions(db),
        "cohorts": list(db.exec(select(Cohort).order_by(Cohort.name)).all()),
        "errors": {},
        "form": {},
        **extra,
    }
    return render(request, "pages/admin_supervision.html", context, status_code=status)


@router.get("/supervision", response_class=HTMLResponse)
def page(request: Request, admin: AdminUser, db: DbSession) -> HTMLResponse:
    return _page(request, db)


@router.post("/supervision", response_class=HTMLResponse)
def assign(
    request: Request,
    admin: AdminUser,
    db: DbSession,
    supervisor_email: FormStr = "",
    trainee_email: FormStr = "",
) -> Response:
    problem = supervision.assign(db, supervisor_email, trainee_email)
    if problem:
        form = {"supervisor_email": supervisor_email, "trainee_email": trainee_email}
        return _page(request, db, 422, errors={"supervisor_email": problem}, form=form)
    return RedirectResponse("/admin/supervision", status_code=303)


@router.post("/supervision/{supervision_id}/end")
def remove(supervision_id: RowId, admin: AdminUser, db: DbSession) -> Response:
    if not supervision.end_supervision(db, admin, supervision_id):
        raise HTTPException(status_code=404)
    return RedirectResponse("/admin/supervision", status_code=303)


@router.post("/cohorts", response_class=HTMLResponse)
def create_cohort(
    request: Request, admin: AdminUser, db: DbSession, cohort_name: FormStr = ""
) -> Response:
    _, problem = supervision.create_cohort(db, cohort_name)
    if problem:
        form = {"cohort_name": cohort_name}
        return _page(request, db, 422, errors={"cohort_name": problem}, form=form)
    return RedirectResponse("/admin/supervision#cohorts", status_code=303)


@router.post("/cohorts/{cohort_id}/people", response_class=HTMLResponse)
def add_person(
    request: Request, cohort_id: RowId, admin: AdminUser, db: DbSession, form: PostedForm
) -> Response:
    """The email field is named per cohort (email-<id>): its error shows beside the right form."""
    field = f"email-{cohort_id}"
    email = str(form.get(field, ""))
    as_supervisor = form.get("as_role") == "supervisor"
    problem = supervision.add_to_cohort(db, cohort_id, email, as_supervisor)
    if problem == "No such cohort":
        raise HTTPException(status_code=404)
    if problem:
        return _page(request, db, 422, errors={field: problem}, form={field: email})
    return RedirectResponse("/admin/supervision#cohorts", status_code=303)
