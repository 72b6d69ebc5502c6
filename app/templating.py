"""Jinja2 set-up and the one render function: the whole page, or its fragment for HTMX."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from app.catalog import Catalog
from app.db import release
from app.deps import wants_fragment
from app.models import Grade
from app.security.csrf import csrf_token
from app.static_files import static_url

TEMPLATES_DIR = Path(__file__).parent / "templates"


def _request_globals(request: Request) -> dict[str, Any]:
    """Who is signed in and the CSRF token, for the header and every form."""
    return {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request) if hasattr(request.state, "csrf_cookie") else "",
    }


def make_templates(static_version: str, catalog: Catalog | None = None) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[_request_globals])
    env = templates.env
    env.autoescape = True
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates ship with the code: never stat every file on every render to look for changes.
    env.auto_reload = False
    env.globals["static_version"] = static_version
    env.globals["static_url"] = partial(static_url, static_version)
    env.globals["site_name"] = "QI Skills"
    env.globals["grades"] = [g.value for g in Grade]
    env.globals["fmt"] = format_number
    env.globals["catalog"] = catalog
    return templates


def format_number(value: float | None) -> str:
    """Numbers in tables: up to 3 significant decimals, no float noise, a dash when missing."""
    if value is None:
        return "\N{EN DASH}"
    return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


def render(
    request: Request,
    page: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render `page`, or only `fragment` when HTMX asked; the page includes the same fragment."""
    release(request)  # the page needs no database: free the connection before rendering
    templates: Jinja2Templates = request.app.state.templates
    name = fragment if fragment and wants_fragment(request) else page
    response = templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
