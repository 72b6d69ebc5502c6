"""A project's measures: definitions, data pasted as in the lab, one point at a time, and charts.

Reading needs `ProjectSeen`; every change needs `ProjectEdit` (lead or member: a supervisor
reads, and gets 403). Measure ids are looked up with the project's id, so another project's
measure is a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, PostedForm, RowId, form_fields, wants_fragment
from app.models import Measure
from app.routes.lab import LabForm
from app.routes.project_deps import ProjectEdit, ProjectSeen
from app.services import audit
from app.services.lab import CHART_NAMES, PROFILE_NAMES
from app.services.lab_input import NEEDS_DENOMINATORS, LabInput
from app.services.projects import measures
from app.services.projects.access import ProjectAccess
from app.templating import render

router = APIRouter(prefix="/projects/{project_id}/measures")
CHART_FRAGMENT = "partials/_project_measure_chart.html"


def _list_page(
    request: Request,
    db: DbSession,
    access: ProjectAccess,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    pid = access.project.id or 0
    context = {
        "project": access.project,
        "access": access,
        "nav": "measures",
        "measures_summary": measures.summary(db, pid),
        "kinds": measures.KINDS,
        "definition": measures.DEFINITION,
        "form": form or {"kind": ""},
        "errors": errors or {},
    }
    status = 422 if errors else 200
    return render(request, "pages/project_measures.html", context, status_code=status)


@router.get("", response_class=HTMLResponse)
def measure_list(request: Request, access: ProjectSeen, db: DbSession) -> HTMLResponse:
    return _list_page(request, db, access)


@router.post("", response_class=HTMLResponse)
def add_measure(
    request: Request, access: ProjectEdit, user: CurrentUser, db: DbSession, form: PostedForm
) -> Response:
    fields = form_fields(form, measures.FIELDS)
    errors = measures.check_definition(fields)
    if errors:
        return _list_page(request, db, access, fields, errors)
    measure = measures.create(db, access.project.id or 0, user, fields)
    return RedirectResponse(
        f"/projects/{measure.project_id}/measures/{measure.id}", status_code=303
    )


def _found(
    request: Request, db: DbSession, user: CurrentUser, access: ProjectAccess, measure_id: int
) -> Measure:
    measure = measures.get_measure(db, access.project.id or 0, measure_id)
    if measure is None:  # none, or another project's: the same 404, audited
        audit.refused(db, user, f"{request.method} {request.url.path}", 404)
        raise HTTPException(status_code=404)
    return measure


def _measure_context(
    db: DbSession,
    access: ProjectAccess,
    measure: Measure,
    *,
    pasted: LabInput | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Everything the measure page and its chart fragment show. `pasted` is a refused paste,
    kept in the data form while the chart still shows what is saved."""
    drawn = measures.draw(measure, measures.cycle_starts(db, measure.project_id))
    definition = {key: getattr(measure, key) for key in measures.FIELDS}
    return {
        "project": access.project,
        "access": access,
        "nav": "measures",
        "measure": measure,
        "data": drawn.data,
        "chart": drawn.chart.view if drawn.chart else None,
        "too_few": drawn.chart.too_few if drawn.chart else None,
        "runs_note": drawn.chart.runs_note if drawn.chart else None,
        "chart_problem": drawn.chart_problem,
        "placement": drawn.placement,
        "pasted": pasted or drawn.data,
        "version": measures.version_of(measure),
        "chart_names": CHART_NAMES,
        "profile_names": PROFILE_NAMES,
        "needs_denominator": measure.chart in NEEDS_DENOMINATORS,
        "kinds": measures.KINDS,
        "definition": measures.DEFINITION,
        "form": definition,
        "errors": {},
        "point_form": {},
        "point_errors": {},
        "data_problem": None,
        "point_saved": False,
        **extra,
    }


@router.get("/{measure_id}", response_class=HTMLResponse)
def measure_page(
    request: Request,
    measure_id: RowId,
    access: ProjectSeen,
    user: CurrentUser,
    db: DbSession,
    added: bool = False,
) -> HTMLResponse:
    measure = _found(request, db, user, access, measure_id)
    context = _measure_context(db, access, measure, point_saved=added)
    return render(request, "pages/project_measure.html", context, fragment=CHART_FRAGMENT)


@router.post("/{measure_id}", response_class=HTMLResponse)
def edit_measure(
    request: Request,
    measure_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    measure = _found(request, db, user, access, measure_id)
    fields = form_fields(form, measures.FIELDS)
    errors = measures.check_definition(fields)
    if errors:
        context = _measure_context(db, access, measure, form=fields, errors=errors)
        return render(request, "pages/project_measure.html", context, status_code=422)
    measures.update_definition(db, measure, user, fields)
    return RedirectResponse(f"{request.url.path}#definition", status_code=303)


@router.post("/{measure_id}/data", response_class=HTMLResponse)
def save_data(
    request: Request,
    measure_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    data: LabForm,
    form: PostedForm,
) -> Response:
    measure = _found(request, db, user, access, measure_id)
    data.target_text, data.target = "", None  # a measure has no target (no column for it)
    data.errors.pop("target", None)
    page = "pages/project_measure.html"
    if data.errors:
        context = _measure_context(db, access, measure, pasted=data)
        return render(request, page, context, status_code=422)
    if not measures.save_data(db, measure, user, data, str(form.get("version", ""))):
        db.refresh(measure)
        problem = (
            "Someone added data to this measure since you opened the page, so nothing was "
            "saved: your text is kept below. Check the chart, add your changes to the data as "
            "it is now, and save again."
        )
        context = _measure_context(db, access, measure, pasted=data, data_problem=problem)
        return render(request, page, context, status_code=409)
    path = request.url.path.removesuffix("/data")
    return RedirectResponse(f"{path}#measure-chart", status_code=303)


POINT_FIELDS = ("point_label", "point_value", "point_denominator")


@router.post("/{measure_id}/points", response_class=HTMLResponse)
def add_point(
    request: Request,
    measure_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    measure = _found(request, db, user, access, measure_id)
    typed = form_fields(form, POINT_FIELDS)
    saved = measures.draw(measure, []).data
    point = measures.check_point(
        measure, saved, typed["point_label"], typed["point_value"], typed["point_denominator"]
    )
    errors = point if isinstance(point, dict) else {}
    if isinstance(point, measures.Point):
        problem = measures.append_point(db, measure, user, point)
        if problem:
            errors = {"point_value": problem}
            db.refresh(measure)
    page = "pages/project_measure.html"
    if errors:
        context = _measure_context(db, access, measure, point_form=typed, point_errors=errors)
        return render(request, page, context, fragment=CHART_FRAGMENT, status_code=422)
    context = _measure_context(db, access, measure, point_saved=True)
    if wants_fragment(request):
        return render(request, page, context, fragment=CHART_FRAGMENT)
    path = request.url.path.removesuffix("/points")
    return RedirectResponse(f"{path}?added=1#measure-chart", status_code=303)
