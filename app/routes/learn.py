"""The reading path: home, the module list, a module, a lesson, and a learner's own overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.catalog import Catalog
from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS, Lesson, Module
from app.deps import CatalogDep, CurrentUser, DbSession, OptionalUser, ViewerCatalog
from app.models import User
from app.models.content import utcnow
from app.routes.lesson_view import lesson_context, question_view
from app.services.grading import BadAnswer, grade, parse_answer
from app.services.progress import redo_lesson, resume_url
from app.services.records import ModuleRecord, continue_target, learner_records
from app.services.review import home_offer, in_words
from app.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    catalog: ViewerCatalog,
    published: CatalogDep,
    db: DbSession,
    user: OptionalUser,
) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    context = {
        "catalog": catalog,
        "statuses": statuses,
        "continue_at": _continue_at(db, user, catalog, statuses),
        # The 3-minute review, once a module is started (services/review.py; published only).
        "review_offer": home_offer(db, user, published, statuses),
        "now": utcnow(),
        "in_words": in_words,
    }
    return render(request, "pages/home.html", context)


def _continue_at(
    db: Session, user: User | None, catalog: Catalog, statuses: dict[str, ModuleRecord]
) -> tuple[Module, Lesson, str] | None:
    """The lesson "Continue" opens, and its URL at the first unanswered question."""
    target = continue_target(catalog, statuses) if user else None
    if user is None or target is None:
        return None
    module, lesson = target
    return module, lesson, resume_url(module, lesson)


@router.get("/modules", response_class=HTMLResponse)
def modules(
    request: Request, catalog: ViewerCatalog, db: DbSession, user: OptionalUser
) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    return render(request, "pages/modules.html", {"catalog": catalog, "statuses": statuses})


@router.get("/learning", response_class=HTMLResponse)
def learning(
    request: Request, catalog: ViewerCatalog, db: DbSession, user: CurrentUser
) -> HTMLResponse:
    statuses = learner_records(db, user, catalog)
    context = {
        "catalog": catalog,
        "statuses": statuses,
        "continue_at": _continue_at(db, user, catalog, statuses),
    }
    return render(request, "pages/learning.html", context)


@router.get("/modules/{module_slug}", response_class=HTMLResponse)
def module(
    request: Request, module_slug: str, catalog: ViewerCatalog, db: DbSession, user: OptionalUser
) -> HTMLResponse:
    found = catalog.module(module_slug)
    if found is None:
        return not_found(request)
    status = learner_records(db, user, catalog).get(found.slug)
    resume = None
    if user is not None and status is not None and status.started_at and not status.passed:
        lesson = next((x for x in found.lessons if x.slug not in status.completed_lessons), None)
        resume = resume_url(found, lesson) if lesson else None
    context = {
        "module": found,
        "status": status,
        "resume_url": resume,
        "updated": status.updated_lessons if status else {},
        "gpc_domains": GPC_DOMAINS,
        "rcp_skills": RCP_SKILLS,
    }
    return render(request, "pages/module.html", context)


@router.get("/modules/{module_slug}/{lesson_slug}", response_class=HTMLResponse)
def lesson(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    catalog: ViewerCatalog,
    db: DbSession,
    user: OptionalUser,
    answered: str | None = None,
    retry: str | None = None,
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
            result = grade(question, keys)
            focus = question_view(request, user, question, module, current, result=result)
        except BadAnswer:
            focus = None
    context = lesson_context(request, db, user, module, current, focus=focus, retry=retry)
    return render(request, "pages/lesson.html", context, fragment="partials/_lesson.html")


@router.post("/modules/{module_slug}/{lesson_slug}/redo")
def redo(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    catalog: ViewerCatalog,
    db: DbSession,
    user: CurrentUser,
) -> Response:
    """Reopen a lesson completed before a major change (see progress.redo_lesson); 409 when
    there is nothing new to redo."""
    found = catalog.lesson(module_slug, lesson_slug)
    if found is None:
        return not_found(request, catalog.module(module_slug))
    module, lesson = found
    if not redo_lesson(db, user, module, lesson):
        raise HTTPException(status_code=409, detail="nothing has changed since you completed it")
    return RedirectResponse(f"/modules/{module.slug}/{lesson.slug}#lesson-title", status_code=303)


def not_found(request: Request, module: Module | None = None) -> HTMLResponse:
    return render(
        request,
        "pages/not_found.html",
        {"module": module},
        status_code=404,
    )
