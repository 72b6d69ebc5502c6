"""A learner's own account: details and password change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from app.deps import CurrentUser, DbSession
from app.routes.auth import signed_in
from app.services import accounts
from app.services.sessions import end_all_sessions
from app.templating import render

router = APIRouter()


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, user: CurrentUser, changed: bool = False) -> HTMLResponse:
    return render(request, "pages/account.html", {"errors": {}, "changed": changed})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
) -> Response:
    errors = accounts.change_password(
        db, request.app.state.settings, user, current_password, new_password
    )
    if errors:
        return render(request, "pages/account.html", {"errors": errors}, status_code=422)
    # Every session of this user ends, stolen ones included; this browser gets a new one.
    end_all_sessions(db, user.id)
    return signed_in(request, user, db, "/account?changed=1")
