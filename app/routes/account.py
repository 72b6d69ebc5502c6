"""A learner's own account: details, email address and password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession
from app.models import User
from app.routes.auth import signed_in
from app.services import accounts, throttle
from app.services.sessions import end_all_sessions
from app.templating import render

router = APIRouter()
FormStr = Annotated[str, Form()]


def with_password(
    request: Request, db: DbSession, user: User, field: str, change: Callable[[], dict[str, str]]
) -> tuple[dict[str, str], int]:
    """Run a change that checks the account's password, counted like a sign-in attempt: a
    session left open on a ward computer must not allow unlimited guesses. Returns the errors
    (`field` names the password's) and the status to answer them with."""
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    attempt = throttle.begin_attempt(db, user.email, address, settings)
    if attempt.refused:
        return {field: throttle.message(attempt, settings)}, 429
    errors = change()
    if field not in errors:  # the password was right: not a guess
        throttle.forget(db, attempt.row_id)
    return errors, 422


def _saved_details(user: User) -> dict[str, str]:
    return {
        "name": user.name,
        "profession": user.profession,
        "grade": str(user.grade),
        "regulator_number": user.regulator_number,
        "organisation": user.organisation,
    }


def _page(
    request: Request,
    user: User,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
    **flags: bool,
) -> HTMLResponse:
    """The account page; `typed` (what a failed form sent) replaces the saved values it names."""
    form = {**_saved_details(user), "email": "", **(typed or {})}
    context = {"form": form, "errors": errors or {}, **flags}
    return render(request, "pages/account.html", context, status_code=status_code)


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request,
    user: CurrentUser,
    changed: bool = False,
    saved: bool = False,
    email_changed: bool = False,
) -> HTMLResponse:
    return _page(request, user, changed=changed, saved=saved, email_changed=email_changed)


@router.post("/account/details", response_class=HTMLResponse)
def change_details(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    name: FormStr = "",
    profession: FormStr = "",
    grade: FormStr = "",
    regulator_number: FormStr = "",
    organisation: FormStr = "",
) -> Response:
    typed = {
        "name": name,
        "profession": profession,
        "grade": grade,
        "regulator_number": regulator_number,
        "organisation": organisation,
    }
    if errors := accounts.update_details(db, user, **typed):
        return _page(request, user, errors, typed, status_code=422)
    return RedirectResponse("/account?saved=1#details", status_code=303)


@router.post("/account/email", response_class=HTMLResponse)
def change_email(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    email: FormStr = "",
    password: FormStr = "",
) -> Response:
    settings = request.app.state.settings
    errors, status = with_password(
        request, db, user, "password",
        lambda: accounts.change_email(db, settings, user, email, password),
    )  # fmt: skip
    if errors:
        return _page(request, user, errors, {"email": email}, status_code=status)
    return RedirectResponse("/account?email_changed=1", status_code=303)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    current_password: FormStr = "",
    new_password: FormStr = "",
) -> Response:
    settings = request.app.state.settings
    errors, status = with_password(
        request, db, user, "current_password",
        lambda: accounts.change_password(db, settings, user, current_password, new_password),
    )  # fmt: skip
    if errors:
        return _page(request, user, errors, status_code=status)
    # Every session of this user ends, stolen ones included; this browser gets a new one.
    end_all_sessions(db, user.id)
    return signed_in(request, user, db, "/account?changed=1")
