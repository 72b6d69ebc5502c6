"""create_app(settings): the FastAPI application, with the catalog loaded once at start-up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from sqlmodel import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import RedirectResponse, Response

from app.catalog import load_catalog
from app.config import PROJECT_ROOT, ConfigError, Settings, get_settings
from app.db import make_engine
from app.deps import SignInRequired, identify
from app.preview import LiveContent
from app.preview import install as install_preview
from app.routes import (
    account,
    admin,
    admin_supervision,
    auth,
    author,
    certificates,
    health,
    invites,
    lab,
    learn,
    offline,
    privacy,
    project_drivers,
    project_evidence,
    project_measures,
    project_pdsa,
    project_people,
    projects,
    projects_handover,
    projects_team,
    quiz,
    review,
    scenarios,
    supervise,
)
from app.security.csrf import CsrfCookieMiddleware, csrf_protect
from app.security.headers import SecurityHeadersMiddleware
from app.security.limits import RequestLimitsMiddleware
from app.services.content import record_versions
from app.static_files import VersionedStaticFiles, static_version
from app.templating import make_templates, render

STATIC_DIR = PROJECT_ROOT / "static"
ROUTERS = (
    learn.router,
    quiz.router,
    auth.router,
    account.router,
    privacy.router,
    admin.router,
    lab.router,
    certificates.router,
    supervise.router,
    invites.router,
    admin_supervision.router,
    author.router,
    scenarios.router,
    project_measures.router,
    project_pdsa.router,
    project_drivers.router,
    project_people.router,
    review.router,
    project_evidence.router,
    # Projects: the invitation and handover routers first, so their fixed segments
    # (/projects/invites/..., /projects/handovers/...) are never read as a project id.
    projects_team.router,
    projects_handover.router,
    projects.router,
    offline.router,
)


def create_app(settings: Settings | None = None, *, preview: bool = False) -> FastAPI:
    """Build the app. Broken content raises ContentErrors here, so it is never served, except
    with `preview` (development only): then the content reloads as it changes and pages show
    its errors (app/preview/)."""
    settings = settings or get_settings()
    if preview and settings.is_production:
        raise ConfigError("live content (preview) is for development, never production")
    live = LiveContent(settings.content_dir) if preview else None
    catalog = live.snapshot.catalog if live else load_catalog(settings.content_dir)
    engine = make_engine(settings.database_url)

    def record_catalog_versions() -> None:
        with Session(engine) as session:
            record_versions(session, catalog)

    def dispose_engine() -> None:
        engine.dispose()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(record_catalog_versions)
        if live:
            live.start()
        yield
        if live:
            await anyio.to_thread.run_sync(live.stop)
        await anyio.to_thread.run_sync(dispose_engine)

    app = FastAPI(
        title="QI Skills",
        lifespan=lifespan,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if settings.api_docs else None,
        dependencies=[Depends(identify), Depends(csrf_protect)],
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.engine = engine
    version = static_version(STATIC_DIR)
    app.state.templates = make_templates(version, catalog.for_learners)
    app.state.templates.env.globals["development_key"] = settings.development_signing_key
    if live:
        install_preview(app, live)  # first, so its middleware runs inside the ones below

    # Level 9 (Starlette's default): level 6 would save a third of the 1.2 ms it takes to
    # compress a long lesson, but the page is 1% larger and the lesson budget is that tight.
    app.add_middleware(RequestLimitsMiddleware)  # inside the others: its pages get their headers
    app.add_middleware(GZipMiddleware, minimum_size=500)
    app.add_middleware(CsrfCookieMiddleware, https=settings.uses_https)
    app.add_middleware(SecurityHeadersMiddleware, https=settings.uses_https)
    app.mount("/static", VersionedStaticFiles(STATIC_DIR, version), name="static")
    health.install(app)  # before the routers: no app-wide dependencies, no shared threadpool
    for router in ROUTERS:
        app.include_router(router)
    add_error_pages(app)
    return app


def add_error_pages(app: FastAPI) -> None:
    """Every error a person can cause gets a page that says what to do, never a bare 500."""

    @app.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={exc.next_url}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return render(request, "pages/error.html", {"status": 422}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return learn.not_found(request)
        if 400 <= exc.status_code < 500:  # a person's mistake: a page, never bare JSON
            context = {"status": exc.status_code, "reason": exc.detail}
            response = render(request, "pages/error.html", context, status_code=exc.status_code)
            response.headers.update(exc.headers or {})
            return response
        return await http_exception_handler(request, exc)
