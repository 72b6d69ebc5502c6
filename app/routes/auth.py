"""Register, sign in and sign out. Forms re-render with input kept; passwords never echo."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import SESSION_COOKIE, DbSession
from app.models import Grade, User
from app.services import accounts
from app.services.sessions import end_session, start_session
from app.services.throttle import is_throttled, record_failure
from app.templating import render

router = APIRouter()
FormStr = Annotated[str, Form()]


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a learner to another host after sign-in."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and "\\" not in target else "/"


def signed_in(request: Request, user: User, db: DbSession, to: str) -> Response:
    """Start a fresh session (a new id at every sign-in) and set the cookie."""
    end_session(db, request.cookies.get(SESSION_COOKIE))
    token = start_session(db, user, request.app.state.settings)
    response = RedirectResponse(safe_next(to), status_code=303)
    set_session_cookie(request, response, token)
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


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "pages/register.html", {"form": {}, "errors": {}, "next": next})


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
    next: FormStr = "/",
) -> Response:
    result = accounts.register(
        db,
        request.app.state.settings,
        name=name,
        email=email,
        password=password,
        profession=profession,
        grade=grade,
        organisation=organisation,
        regulator_number=regulator_number,
    )
    if result.user is None:
        form = {
            "regulator_number": regulator_number,
            "name": name,
            "email": email,
            "profession": profession,
            "grade": grade,
            "organisation": organisation,
        }
        context = {"form": form, "errors": result.errors, "next": next}
        return render(request, "pages/register.html", context, status_code=422)
    return signed_in(request, result.user, db, next)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "pages/login.html", {"form": {}, "errors": {}, "next": next})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: DbSession,
    email: FormStr = "",
    password: FormStr = "",
    next: FormStr = "/",
) -> Response:
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    normalised = accounts.normalise_email(email)
    context = {"form": {"email": email}, "next": next}
    if is_throttled(db, normalised, address, settings):
        errors = {"email": "Too many failed attempts. Wait 15 minutes, then try again"}
        return render(request, "pages/login.html", {**context, "errors": errors}, status_code=429)
    user = accounts.authenticate(db, settings, email, password)
    if user is None:
        record_failure(db, normalised, address, settings)
        errors = {"email": accounts.LOGIN_FAILED}
        return render(request, "pages/login.html", {**context, "errors": errors}, status_code=422)
    return signed_in(request, user, db, next)


@router.post("/logout")
def logout(request: Request, db: DbSession) -> Response:
    end_session(db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


GRADES = [g.value for g in Grade]
