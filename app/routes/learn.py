"""The reading path: home, the module list, a module, a lesson, and a learner's own overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS, Module
from app.deps import CatalogDep, CurrentUser, DbSession, OptionalUser
from app.routes.lesson_view import QuestionView, lesson_context
from app.services.grading import BadAnswer, grade, parse_answer
from app.services.records import continue_target, learner_records
from app.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, catalog: CatalogDep, db: DbSession, user: OptionalUser) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    target = continue_target(catalog, statuses) if user else None
    context = {"statuses": statuses, "continue_at": target}
    return render(request, "pages/home.html", context)


@router.get("/modules", response_class=HTMLResponse)
def modules(
    request: Request, catalog: CatalogDep, db: DbSession, user: OptionalUser
) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    return render(request, "pages/modules.html", {"statuses": statuses})


@router.get("/learning", response_class=HTMLResponse)
def learning(
    request: Request, catalog: CatalogDep, db: DbSession, user: CurrentUser
) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    return render(request, "pages/learning.html", {"statuses": statuses})


@router.get("/modules/{module_slug}", response_class=HTMLResponse)
def module(
    request: Request, module_slug: str, catalog: CatalogDep, db: DbSession, user: OptionalUser
) -> HTMLResponse:
    found = catalog.module(module_slug)
    if found is None:
        return not_found(request)
    status = learner_records(db, user, catalog).get(found.slug)
    context = {
        "module": found,
        "status": status,
        "gpc_domains": GPC_DOMAINS,
        "rcp_skills": RCP_SKILLS,
    }
    return render(request, "pages/module.html", context)


@router.get("/modules/{module_slug}/{lesson_slug}", response_class=HTMLResponse)
def lesson(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    catalog: CatalogDep,
    db: DbSession,
    user: OptionalUser,
    answered: str | None = None,
    answer: Annotated[list[str], Query()] = [],  # noqa: B006  FastAPI copies defaults
) -> HTMLResponse:
    found = catalog.lesson(module_slug, lesson_slug)
    if found is None:
        return not_found(request, catalog.module(module_slug))
    module, current = found
    focus = None
    question = next((q for q in current.questions if q.id == answered), None)
    if question is not None:
        # After a no-JavaScript answer: the redirect carries the answer, so show its feedback.
        try:
            keys = parse_answer(question, answer)
            focus = QuestionView(question, module, current, result=grade(question, keys))
        except BadAnswer:
            focus = None
    context = lesson_context(request, db, user, module, current, focus=focus)
    return render(request, "pages/lesson.html", context, fragment="partials/_lesson.html")


def not_found(request: Request, module: Module | None = None) -> HTMLResponse:
    return render(
        request,
        "pages/not_found.html",
        {"module": module},
        status_code=404,
    )
