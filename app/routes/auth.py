"""Register, sign in, sign out and reset a forgotten password.

Forms re-render with input kept; passwords never echo. After sign-in a person goes to a safe
`next` (a same-site path) if one was given, else supervisors to /supervise and others home.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, BackgroundTasks, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SESSION_COOKIE, DbSession
from app.models import Grade, Role, User
from app.security import csrf
from app.services import accounts, password_reset, throttle
from app.services.links import absolute_url
from app.services.sessions import end_session, start_session
from app.services.supervision import inviter_name
from app.templating import render

router = APIRouter()
FormStr = Annotated[str, Form()]


def safe_next(target: str | None) -> str | None:
    """A same-site path, or None: never redirect anyone to another host after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None  # browsers read "/\\host" and "/\t/host" as another host
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def landing(user: User, target: str | None) -> str:
    """Where to go after signing in: a safe `next`, else the page each role starts from."""
    return safe_next(target) or ("/supervise" if user.role == Role.supervisor else "/")


def signed_in(request: Request, user: User, db: DbSession, to: str) -> Response:
    """Start a fresh session (a new id at every sign-in) and set the cookie."""
    end_session(db, request.cookies.get(SESSION_COOKIE))
    token = start_session(db, user, request.app.state.settings)
    response = RedirectResponse(safe_next(to) or "/", status_code=303)
    set_session_cookie(request, response, token)
    csrf.rotate(response, request.app.state.settings.uses_https(request.url.scheme))
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.uses_https(request.url.scheme),
        path="/",
    )


def _context(db: DbSession, next: str, form: dict[str, str], errors: dict[str, str]) -> dict:
    """What the sign-in and register pages need, with the invitation being accepted, if any."""
    return {"form": form, "errors": errors, "next": next, "inviter": inviter_name(db, next)}


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request, db: DbSession, next: str = "") -> HTMLResponse:
    return render(request, "pages/register.html", _context(db, next, {}, {}))


@router.post("/register", response_class=HTMLResponse)
def register(
    request: Request,
    db: DbSession,
    name: FormStr = "",
    email: FormStr = "",
    password: FormStr = "",
    profession: FormStr = "",
    grade: FormStr = "",
    organisation: FormStr = "",
    regulator_number: FormStr = "",
    next: FormStr = "",
) -> Response:
    settings = request.app.state.settings
    form = {
        "regulator_number": regulator_number,
        "name": name,
        "email": email,
        "profession": profession,
        "grade": grade,
        "organisation": organisation,
    }
    address = request.client.host if request.client else "unknown"
    attempt = throttle.begin_registration(db, address, settings)
    if attempt is None:
        errors = {"email": throttle.registration_message(settings)}
        context = _context(db, next, form, errors)
        return render(request, "pages/register.html", context, status_code=429)
    result = accounts.register(
        db,
        settings,
        name=name,
        email=email,
        password=password,
        profession=profession,
        grade=grade,
        organisation=organisation,
        regulator_number=regulator_number,
    )
    if result.user is None:
        throttle.forget_registration(db, attempt)
        context = _context(db, next, form, result.errors)
        return render(request, "pages/register.html", context, status_code=422)
    return signed_in(request, result.user, db, landing(result.user, next))


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: DbSession, next: str = "") -> HTMLResponse:
    return render(request, "pages/login.html", _context(db, next, {}, {}))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DbSession,
    email: FormStr = "",
    password: FormStr = "",
    next: FormStr = "",
) -> Response:
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    normalised = accounts.normalise_email(email)
    form = {"email": email}
    attempt = throttle.begin_attempt(db, normalised, address, settings)
    if attempt.refused:
        errors = {"email": throttle.message(attempt, settings)}
        response = render(
            request, "pages/login.html", _context(db, next, form, errors), status_code=429
        )
        if attempt.wait_seconds:
            response.headers["Retry-After"] = str(attempt.wait_seconds)
        return response
    user = accounts.authenticate(db, settings, email, password)
    if user is None:  # the attempt stays recorded as a failure
        errors = {"email": accounts.LOGIN_FAILED}
        return render(
            request, "pages/login.html", _context(db, next, form, errors), status_code=422
        )
    throttle.forget(db, attempt.row_id)
    return signed_in(request, user, db, landing(user, next))


@router.post("/logout")
def logout(request: Request, db: DbSession) -> Response:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/password/forgot", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    return render(request, "pages/password_forgot.html", {"form": {}, "errors": {}, "sent": False})


@router.post("/password/forgot", response_class=HTMLResponse)
def forgot(request: Request, background: BackgroundTasks, email: FormStr = "") -> HTMLResponse:
    """The same page, status and timing whether or not the address has an account: the lookup
    and the email happen after the response (see password_reset.request_by_email)."""
    normalised = accounts.normalise_email(email)
    if problem := accounts.email_problem(normalised):
        context = {"form": {"email": email}, "errors": {"email": problem}, "sent": False}
        return render(request, "pages/password_forgot.html", context, status_code=422)
    state = request.app.state
    link = partial(absolute_url, request)
    background.add_task(
        password_reset.request_by_email, state.engine, state.settings, normalised, link
    )
    return render(request, "pages/password_forgot.html", {"form": {}, "errors": {}, "sent": True})


def _reset_page(
    request: Request, token: str, email: str | None, errors: dict[str, str], status: int
) -> HTMLResponse:
    context = {"token": token, "email": email, "errors": errors, "dead": email is None}
    response = render(request, "pages/password_reset.html", context, status_code=status)
    # The token is in the address: keep it out of caches and Referer headers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/password/reset/{token}", response_class=HTMLResponse)
def reset_form(request: Request, token: str, db: DbSession) -> HTMLResponse:
    found = password_reset.usable(db, token)
    if found is None:
        return _reset_page(request, token, None, {}, 404)
    return _reset_page(request, token, found[1].email, {}, 200)


@router.post("/password/reset/{token}", response_class=HTMLResponse)
def reset(request: Request, token: str, db: DbSession, password: FormStr = "") -> Response:
    """A used link signs this browser in (every other session has ended): the person has just
    proved they read the account's email, so a second sign-in would add nothing."""
    result = password_reset.reset(db, request.app.state.settings, token, password)
    if result.dead_link or result.user is None:
        return _reset_page(request, token, None, {}, 404)
    if result.errors:
        return _reset_page(request, token, result.user.email, result.errors, 422)
    return signed_in(request, result.user, db, "/account?changed=1")


GRADES = [g.value for g in Grade]
