"""The web side of live content: the catalog swap, the errors page, the reload stream and the
answers toggle. `install` adds them to an app; production apps never call it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import APIRouter, FastAPI, Form, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.preview.live import LiveContent, Snapshot
from app.services.content import record_versions

log = logging.getLogger("qiskills.preview")
ANSWERS_COOKIE = "qi_preview_answers"
# Paths that work while the content is broken: the page's own scripts and styles, and ours.
UNGUARDED = ("/static/", "/preview/")
# The stream checks the snapshot this often (an attribute read, no I/O). It ends after
# STREAM_SECONDS and EventSource reconnects a second later with the same `since`, so no change is
# missed and Ctrl+C never waits on an open page for long (the CLI allows SHUTDOWN_SECONDS).
POLL_SECONDS = 0.2
STREAM_SECONDS = 2.0
RECONNECT_MS = 1000
SHUTDOWN_SECONDS = 3

router = APIRouter(prefix="/preview")


@dataclass(frozen=True)
class PreviewRequest:
    """What a page rendered in preview needs: the snapshot it was built from (its version goes in
    the page, so a change during the request still reloads it) and whether to show answers."""

    snapshot: Snapshot
    answers: bool


def install(app: FastAPI, live: LiveContent) -> None:
    """Call before the app's other middleware is added, so this runs inside CSRF and headers."""
    app.state.live_content = live
    app.state.templates.env.globals["live_content"] = live
    live.on_change(lambda snapshot: swap_catalog(app, snapshot))
    app.add_middleware(LiveContentMiddleware, live=live)
    app.add_route("/preview/events", events, methods=["GET"])
    app.include_router(router)


def swap_catalog(app: FastAPI, snapshot: Snapshot) -> None:
    """Record the new lesson versions (as start-up does), then point the routes and templates at
    the new catalog. With errors the last good catalog stays: the middleware shows the errors."""
    if snapshot.ok:
        try:
            with Session(app.state.engine) as session:
                record_versions(session, snapshot.catalog)
        except Exception:  # a preview keeps going; the next change records them again
            log.exception("recording the lesson versions failed")
    app.state.catalog = snapshot.catalog
    app.state.templates.env.globals["catalog"] = snapshot.catalog.for_learners


class LiveContentMiddleware:
    """Pure ASGI: stamps each request with the current snapshot, and answers every page with the
    errors while the content has any."""

    def __init__(self, app: ASGIApp, *, live: LiveContent) -> None:
        self.app = app
        self.live = live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        snapshot = self.live.snapshot
        answers = request.cookies.get(ANSWERS_COOKIE) == "1"
        scope.setdefault("state", {})["preview"] = PreviewRequest(snapshot, answers)
        if snapshot.ok or scope["path"].startswith(UNGUARDED):
            await self.app(scope, receive, send)
            return
        await errors_page(request, self.live, snapshot)(scope, receive, send)


def errors_page(request: Request, live: LiveContent, snapshot: Snapshot) -> Response:
    errors = [(live.relative(e.path), e.line, e.reason) for e in snapshot.errors]
    templates = request.app.state.templates
    context = {"content_errors": errors, "content_dir": str(live.content_dir)}
    response = templates.TemplateResponse(
        request, "pages/preview_errors.html", context, status_code=500
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def events(request: Request) -> Response:
    """Server-sent events: one `changed` event carrying the new version once the content differs
    from `since` (the version the page was built from). Async, and touches no database or file."""
    live: LiveContent = request.app.state.live_content
    since = request.query_params.get("since", "")
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(_changes(live, since), media_type="text/event-stream", headers=headers)


async def _changes(live: LiveContent, since: str) -> AsyncIterator[str]:
    yield f"retry: {RECONNECT_MS}\n\n"
    for _ in range(int(STREAM_SECONDS / POLL_SECONDS)):
        version = live.snapshot.version
        if version != since:
            yield f"event: changed\ndata: {version}\n\n"
            return
        await anyio.sleep(POLL_SECONDS)


def same_site_path(target: str) -> str:
    """Only a path on this site; anything else (//host, a scheme) goes home."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.post("/answers")
def toggle_answers(
    show: Annotated[str, Form()] = "0",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Show or hide every question's answers and feedback; a cookie keeps the choice."""
    response = RedirectResponse(same_site_path(next), status_code=303)
    if show == "1":
        response.set_cookie(ANSWERS_COOKIE, "1", httponly=True, samesite="lax")
    else:
        response.delete_cookie(ANSWERS_COOKIE)
    return response
