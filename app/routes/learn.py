"""The reading path: home, the module list, a module, a lesson."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse

from app.catalog import Catalog
from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS
from app.deps import get_catalog, wants_fragment
from app.templating import render

router = APIRouter()
CatalogDep = Annotated[Catalog, Depends(get_catalog)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, catalog: CatalogDep) -> HTMLResponse:
    return render(request, "pages/home.html", {"catalog": catalog})


@router.get("/modules", response_class=HTMLResponse)
def modules(request: Request, catalog: CatalogDep) -> HTMLResponse:
    return render(request, "pages/modules.html", {"catalog": catalog})


@router.get("/modules/{module_slug}", response_class=HTMLResponse)
def module(request: Request, module_slug: str, catalog: CatalogDep) -> HTMLResponse:
    found = catalog.module(module_slug)
    if found is None:
        return not_found(request, catalog)
    return render(
        request,
        "pages/module.html",
        {"module": found, "gpc_domains": GPC_DOMAINS, "rcp_skills": RCP_SKILLS},
    )


@router.get("/modules/{module_slug}/{lesson_slug}", response_class=HTMLResponse)
def lesson(
    request: Request, module_slug: str, lesson_slug: str, catalog: CatalogDep
) -> HTMLResponse:
    found = catalog.lesson(module_slug, lesson_slug)
    if found is None:
        return not_found(request, catalog, catalog.module(module_slug))
    module, current = found
    prev, nxt = module.neighbours(current)
    cited = set(current.reference_ids)
    context = {
        "module": module,
        "lesson": current,
        "index": module.lessons.index(current) + 1,
        "prev": prev,
        "next": nxt,
        "references": [r for r in module.references if r.id in cited],
        "fragment": wants_fragment(request),
    }
    return render(request, "pages/lesson.html", context, fragment="partials/_lesson.html")


def not_found(request: Request, catalog: Catalog, module=None) -> HTMLResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "pages/not_found.html",
        {"catalog": catalog, "module": module},
        status_code=404,
    )
