"""Answering questions and marking lessons done. Grading is pure; storing is the service's."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.catalog import Catalog
from app.catalog.schema import Lesson, Module, Question
from app.deps import (
    CurrentUser,
    DbSession,
    OptionalUser,
    PostedForm,
    ViewerCatalog,
    wants_fragment,
)
from app.models import User
from app.models.content import as_utc
from app.routes.learn import not_found
from app.routes.lesson_view import QuestionView, lesson_context, question_view
from app.services import reflections
from app.services.certificates import issue_certificate
from app.services.grading import BadAnswer, grade, kept_input, parse_answer, stored_values
from app.services.progress import complete_lesson, record_attempt, retake_module
from app.services.records import check_module_completion, learner_records
from app.templating import render

router = APIRouter()
QUESTION_FRAGMENT = "partials/_question.html"


def _find(
    catalog: Catalog, module_slug: str, lesson_slug: str, question_id: str | None = None
) -> tuple[Module, Lesson, Question | None] | None:
    found = catalog.lesson(module_slug, lesson_slug)
    if found is None:
        return None
    module, lesson = found
    if question_id is None:
        return module, lesson, None
    question = next((q for q in lesson.questions if q.id == question_id), None)
    return (module, lesson, question) if question else None


def lesson_url(module: Module, lesson: Lesson) -> str:
    return f"/modules/{module.slug}/{lesson.slug}"


@router.get("/modules/{module_slug}/{lesson_slug}/questions/{question_id}")
def question_form(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    question_id: str,
    catalog: ViewerCatalog,
    user: OptionalUser,
) -> Response:
    """A fresh form for "try again": the fragment for HTMX, else the lesson with this question's
    form (not its stored feedback) at its anchor."""
    found = _find(catalog, module_slug, lesson_slug, question_id)
    if found is None:
        return not_found(request)
    module, lesson, question = found
    if not wants_fragment(request):
        target = f"{lesson_url(module, lesson)}?retry={question.id}#q-{question.id}"
        return RedirectResponse(target, status_code=303)
    view = question_view(request, user, question, module, lesson, answered=user is not None)
    return render(request, QUESTION_FRAGMENT, {"view": view})


@router.post("/modules/{module_slug}/{lesson_slug}/questions/{question_id}")
def answer(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    question_id: str,
    catalog: ViewerCatalog,
    db: DbSession,
    user: OptionalUser,
    form: PostedForm,
) -> Response:
    found = _find(catalog, module_slug, lesson_slug, question_id)
    if found is None:
        return not_found(request)
    module, lesson, question = found
    values = [v for v in form.getlist("answer") if isinstance(v, str)]
    form_key = str(form.get("form_key") or "")[:64]
    try:
        keys = parse_answer(question, values)
        if user is not None and len(form_key) < 16:
            raise BadAnswer("The form was incomplete. Please answer again")
    except BadAnswer as problem:
        selected = kept_input(question, values)
        view = question_view(
            request, user, question, module, lesson, error=str(problem), selected=selected
        )
        return _respond(request, db, user, view, status_code=422)
    result = grade(question, keys)
    if user is not None:
        stored = record_attempt(db, user, module, lesson, result, form_key)
        # A replayed form shows the answer that was stored, not the replay.
        result = grade(question, parse_answer(question, stored_values(question, stored)))
    view = question_view(
        request,
        user,
        question,
        module,
        lesson,
        result=result,
        selected=keys,
        saved=user is not None,
    )
    if not wants_fragment(request):
        query = urlencode({"answered": question.id, "answer": list(keys)}, doseq=True)
        target = f"{lesson_url(module, lesson)}?{query}#q-{question.id}"
        return RedirectResponse(target, status_code=303)
    return _respond(request, db, user, view)


def _respond(
    request: Request, db: Session, user: User | None, view: QuestionView, status_code: int = 200
) -> Response:
    if wants_fragment(request):
        return render(request, QUESTION_FRAGMENT, {"view": view}, status_code=status_code)
    context = lesson_context(request, db, user, view.module, view.lesson, focus=view)
    return render(request, "pages/lesson.html", context, status_code=status_code)


@router.post("/modules/{module_slug}/{lesson_slug}/complete", response_class=HTMLResponse)
def complete(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    catalog: ViewerCatalog,
    db: DbSession,
    user: CurrentUser,
) -> Response:
    found = _find(catalog, module_slug, lesson_slug)
    if found is None:
        return not_found(request)
    module, lesson, _ = found
    row, missing = complete_lesson(db, user, module, lesson)
    if missing or row is None:
        context = lesson_context(request, db, user, module, lesson, complete_error=missing)
        return render(request, "pages/lesson.html", context, status_code=409)
    completion = check_module_completion(db, user, module)
    # A module passed before (e.g. a lesson redone after a major change) stays passed: back to
    # the lesson, not to the certificate as if it were new.
    passed_before = completion is not None and as_utc(completion.completed_at) < as_utc(
        row.completed_at
    )
    if completion is not None and not passed_before:
        certificate = issue_certificate(db, request.app.state.settings, user, module, completion)
        return RedirectResponse(f"/certificates/{certificate.id}?new=1", status_code=303)
    # Back to the lesson's "done" panel: its score, the lessons left and the next one.
    return RedirectResponse(f"{lesson_url(module, lesson)}#lesson-done", status_code=303)


@router.post("/modules/{module_slug}/{lesson_slug}/reflection", response_class=HTMLResponse)
def reflect(
    request: Request,
    module_slug: str,
    lesson_slug: str,
    catalog: ViewerCatalog,
    db: DbSession,
    user: CurrentUser,
    text: Annotated[str, Form()] = "",
) -> Response:
    found = _find(catalog, module_slug, lesson_slug)
    if found is None:
        return not_found(request)
    module, lesson, _ = found
    problem = reflections.save(db, user, module.slug, lesson.slug, text)
    if problem:
        context = lesson_context(
            request, db, user, module, lesson, reflection_text=text, reflection_error=problem
        )
        return render(request, "pages/lesson.html", context, status_code=422)
    return RedirectResponse(f"{lesson_url(module, lesson)}?saved=1#reflection", status_code=303)


@router.post("/modules/{module_slug}/retake")
def retake(
    request: Request, module_slug: str, catalog: ViewerCatalog, db: DbSession, user: CurrentUser
) -> Response:
    module = catalog.module(module_slug)
    if module is None:
        return not_found(request)
    record = learner_records(db, user, catalog)[module.slug]
    if not retake_module(db, user, module, record.passed):
        raise HTTPException(status_code=409, detail="retake")
    return RedirectResponse(lesson_url(module, module.lessons[0]), status_code=303)
