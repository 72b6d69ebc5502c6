"""A project's PDSA cycles: list, start one, and each stage (plan, do, study, act) on its own.

Every stage is a small form that HTMX swaps in place (the section comes back as a fragment);
without JavaScript it posts and returns to the cycle page at that stage. Cycle ids are looked up
with the project's id, so another project's cycle is a 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, PostedForm, RowId, form_fields, wants_fragment
from app.models import PdsaCycle, User
from app.routes.project_deps import ProjectEdit, ProjectSeen
from app.services import audit
from app.services.projects import pdsa
from app.services.projects.access import ProjectAccess
from app.services.projects.timeline import day_text
from app.templating import render

router = APIRouter(prefix="/projects/{project_id}/pdsa")
PLAN_FIELDS = ("change_idea_id", "change", "who", "starts_on", "where", "prediction")
CYCLE_PAGE = "pages/project_pdsa_cycle.html"


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
        "nav": "pdsa",
        "cycles": pdsa.list_cycles(db, pid),
        "ideas": pdsa.change_ideas(db, pid),
        "stage_reached": pdsa.stage_reached,
        "day_text": day_text,
        "form": form or {},
        "errors": errors or {},
    }
    return render(request, "pages/project_pdsa.html", context, status_code=422 if errors else 200)


@router.get("", response_class=HTMLResponse)
def cycle_list(request: Request, access: ProjectSeen, db: DbSession) -> HTMLResponse:
    return _list_page(request, db, access)


@router.post("", response_class=HTMLResponse)
def start_cycle(
    request: Request, access: ProjectEdit, user: CurrentUser, db: DbSession, form: PostedForm
) -> Response:
    pid = access.project.id or 0
    fields = form_fields(form, PLAN_FIELDS)
    plan = pdsa.check_plan(fields, pdsa.change_ideas(db, pid))
    if isinstance(plan, dict):
        return _list_page(request, db, access, fields, plan)
    cycle = pdsa.create(db, pid, user, plan)
    return RedirectResponse(f"/projects/{pid}/pdsa/{cycle.id}", status_code=303)


def _found(
    request: Request, db: DbSession, user: CurrentUser, access: ProjectAccess, cycle_id: int
) -> PdsaCycle:
    cycle = pdsa.get_cycle(db, access.project.id or 0, cycle_id)
    if cycle is None:  # none, or another project's: the same 404, audited
        audit.refused(db, user, f"{request.method} {request.url.path}", 404)
        raise HTTPException(status_code=404)
    return cycle


def _plan_form(cycle: PdsaCycle) -> dict[str, str]:
    return {
        "change_idea_id": str(cycle.change_idea_id or ""),
        "change": cycle.change,
        "who": cycle.who,
        "starts_on": cycle.starts_on.isoformat() if cycle.starts_on else "",
        "where": cycle.where,
        "prediction": cycle.prediction,
    }


def _cycle_context(
    db: DbSession, access: ProjectAccess, cycle: PdsaCycle, **extra: Any
) -> dict[str, Any]:
    forms = {
        "plan": _plan_form(cycle),
        "do": {"do_notes": cycle.do_notes},
        "study": {"study": cycle.study},
        "act": {"act": cycle.act, "act_notes": cycle.act_notes},
    }
    forms.update(extra.pop("forms", {}))
    ideas = pdsa.change_ideas(db, cycle.project_id)
    return {
        "project": access.project,
        "access": access,
        "nav": "pdsa",
        "cycle": cycle,
        "ideas": ideas,
        "idea": next((i for i in ideas if i.id == cycle.change_idea_id), None),
        "acts": pdsa.ACTS,
        "day_text": day_text,
        "on_charts": pdsa.on_charts(db, cycle),
        "forms": forms,
        "stage_errors": {},
        "saved": None,
        **extra,
    }


@router.get("/{cycle_id}", response_class=HTMLResponse)
def cycle_page(
    request: Request,
    cycle_id: RowId,
    access: ProjectSeen,
    user: CurrentUser,
    db: DbSession,
    saved: str = "",
) -> HTMLResponse:
    cycle = _found(request, db, user, access, cycle_id)
    stage = saved if saved in pdsa.STAGES else None
    return render(request, CYCLE_PAGE, _cycle_context(db, access, cycle, saved=stage))


def _stage_answer(
    request: Request,
    db: DbSession,
    access: ProjectAccess,
    cycle: PdsaCycle,
    stage: str,
    errors: dict[str, str] | None,
    typed: dict[str, str],
) -> Response:
    """The stage's fragment for HTMX (saved, or refused with the input kept), the whole page
    with the errors without JavaScript, or back to the page at the stage once saved."""
    fragment = f"partials/_project_pdsa_{stage}.html"
    if errors:
        context = _cycle_context(
            db, access, cycle, forms={stage: typed}, stage_errors=errors, open_stage=stage
        )
        return render(request, CYCLE_PAGE, context, fragment=fragment, status_code=422)
    if wants_fragment(request):
        context = _cycle_context(db, access, cycle, saved=stage)
        return render(request, CYCLE_PAGE, context, fragment=fragment)
    return RedirectResponse(
        f"/projects/{cycle.project_id}/pdsa/{cycle.id}?saved={stage}#stage-{stage}",
        status_code=303,
    )


@router.post("/{cycle_id}/plan", response_class=HTMLResponse)
def save_plan(
    request: Request,
    cycle_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    cycle = _found(request, db, user, access, cycle_id)
    typed = form_fields(form, PLAN_FIELDS)
    plan = pdsa.check_plan(typed, pdsa.change_ideas(db, cycle.project_id))
    if isinstance(plan, dict):
        return _stage_answer(request, db, access, cycle, "plan", plan, typed)
    pdsa.save_plan(db, cycle, user, plan)
    return _stage_answer(request, db, access, cycle, "plan", None, typed)


# Do and Study are one text each: the same check, the stage's own saver and message.
TEXT_STAGES = {
    "do": ("do_notes", "Say what happened when you tried it", pdsa.save_do),
    "study": (
        "study",
        "Compare the result with your prediction: what did you learn?",
        pdsa.save_study,
    ),
}


def _save_text_stage(
    request: Request,
    cycle_id: int,
    access: ProjectAccess,
    user: User,
    db: Session,
    form: FormData,
    stage: str,
) -> Response:
    field, empty, save = TEXT_STAGES[stage]
    cycle = _found(request, db, user, access, cycle_id)
    typed = form_fields(form, (field,))
    text = pdsa.check_text(typed, field, 4000, empty)
    if isinstance(text, dict):
        return _stage_answer(request, db, access, cycle, stage, text, typed)
    save(db, cycle, user, text)
    return _stage_answer(request, db, access, cycle, stage, None, typed)


@router.post("/{cycle_id}/do", response_class=HTMLResponse)
def save_do(
    request: Request,
    cycle_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    return _save_text_stage(request, cycle_id, access, user, db, form, "do")


@router.post("/{cycle_id}/study", response_class=HTMLResponse)
def save_study(
    request: Request,
    cycle_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    return _save_text_stage(request, cycle_id, access, user, db, form, "study")


@router.post("/{cycle_id}/act", response_class=HTMLResponse)
def save_act(
    request: Request,
    cycle_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    cycle = _found(request, db, user, access, cycle_id)
    typed = form_fields(form, ("act", "act_notes"))
    decided = pdsa.check_act(typed)
    if isinstance(decided, dict):
        return _stage_answer(request, db, access, cycle, "act", decided, typed)
    pdsa.save_act(db, cycle, user, *decided)
    return _stage_answer(request, db, access, cycle, "act", None, typed)


@router.post("/{cycle_id}/next")
def start_next_cycle(
    request: Request, cycle_id: RowId, access: ProjectEdit, user: CurrentUser, db: DbSession
) -> Response:
    cycle = _found(request, db, user, access, cycle_id)
    if not cycle.act:
        context = _cycle_context(
            db,
            access,
            cycle,
            open_stage="act",
            stage_errors={"act": "Decide to adopt, adapt or abandon before the next cycle"},
        )
        return render(request, CYCLE_PAGE, context, status_code=409)
    new = pdsa.next_cycle(db, cycle, user)
    return RedirectResponse(f"/projects/{new.project_id}/pdsa/{new.id}#stage-plan", status_code=303)
