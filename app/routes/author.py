"""Educators: the catalog as loaded (status, versions, warnings, changelog), how learners
answer each question, and a preview of a draft lesson. Educators and admins only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse

from app.catalog import Catalog
from app.deps import DbSession, ViewerCatalog, require_role
from app.models import Role, User
from app.routes.learn import not_found
from app.services.preview import preview_lesson, warnings_by_module
from app.services.question_stats import EASY, HARD, MIN_LEARNERS, module_stats
from app.templating import render

router = APIRouter(prefix="/author")
EducatorUser = Annotated[User, Depends(require_role(Role.educator, Role.admin))]


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: EducatorUser, catalog: ViewerCatalog) -> HTMLResponse:
    context = {"draft": "", "module_slug": "", "preview": None, "errors": {}}
    return render(request, "pages/author.html", _catalogue(request, catalog) | context)


def _catalogue(request: Request, catalog: Catalog) -> dict:
    content_dir = request.app.state.settings.content_dir
    return {"catalog": catalog, "warnings": warnings_by_module(content_dir, catalog.version)}


@router.get("/modules/{module_slug}", response_class=HTMLResponse)
def question_statistics(
    request: Request, module_slug: str, user: EducatorUser, catalog: ViewerCatalog, db: DbSession
) -> HTMLResponse:
    module = catalog.module(module_slug)
    if module is None:
        return not_found(request)
    context = {
        "module": module,
        "stats": module_stats(db, module),
        "min_learners": MIN_LEARNERS,
        "easy": EASY,
        "hard": HARD,
    }
    return render(request, "pages/author_module.html", context)


@router.post("/preview", response_class=HTMLResponse)
def preview(
    request: Request,
    user: EducatorUser,
    catalog: ViewerCatalog,
    module: Annotated[str, Form()] = "",
    draft: Annotated[str, Form()] = "",
) -> HTMLResponse:
    found = catalog.module(module)
    errors: dict[str, str] = {}
    result = None
    if found is None:
        errors["module"] = "Choose the module the lesson belongs to"
    elif not draft.strip():
        errors["draft"] = "Paste the lesson's Markdown, starting with its front matter"
    else:
        result = preview_lesson(request.app.state.settings.content_dir, found, draft)
        if result.errors:
            errors["draft"] = f"The draft has {len(result.errors)} problem(s): see the list below"
    context = {"draft": draft, "module_slug": module, "preview": result, "errors": errors}
    context = _catalogue(request, catalog) | context
    return render(request, "pages/author.html", context, status_code=422 if errors else 200)
