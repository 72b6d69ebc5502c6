"""Educators: the catalog as loaded, with its versions, and a preview of a draft lesson."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import HTMLResponse

from app.deps import CatalogDep, require_role
from app.models import Role, User
from app.services.preview import preview_lesson
from app.templating import render

router = APIRouter(prefix="/author")
EducatorUser = Annotated[User, Depends(require_role(Role.educator, Role.admin))]


@router.get("", response_class=HTMLResponse)
def overview(request: Request, user: EducatorUser, catalog: CatalogDep) -> HTMLResponse:
    context = {"draft": "", "module_slug": "", "preview": None, "errors": {}}
    return render(request, "pages/author.html", context)


@router.post("/preview", response_class=HTMLResponse)
def preview(
    request: Request,
    user: EducatorUser,
    catalog: CatalogDep,
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
    return render(request, "pages/author.html", context, status_code=422 if errors else 200)
