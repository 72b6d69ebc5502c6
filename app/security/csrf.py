"""CSRF protection: a signed double-submit token bound to a per-browser cookie.

Every browser gets an HttpOnly `qi_csrf` cookie with a random value. Forms carry
HMAC(secret, cookie) in a hidden `csrf_token` field; HTMX sends it as `X-CSRF-Token`.
A cross-site page can neither read the cookie nor compute the HMAC.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie

from fastapi import HTTPException, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.security.tokens import new_token, same, sign

COOKIE = "qi_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfCookieMiddleware:
    """Give each browser a CSRF cookie and put its value on scope state for the token.

    `https(scheme)` says whether the cookie is Secure for a request with that scheme.
    """

    def __init__(self, app: ASGIApp, *, https: Callable[[str], bool]) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = _cookie_from(scope)
        fresh = value is None
        if value is None:
            value = new_token()
        scope.setdefault("state", {})["csrf_cookie"] = value

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                attrs = f"{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
                if self.https(scope.get("scheme", "http")):
                    attrs += "; Secure"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", attrs.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie_from(scope: Scope) -> str | None:
    for key, raw in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(raw.decode("latin-1"))
            except Exception:
                return None
            morsel = jar.get(COOKIE)
            if morsel and 20 <= len(morsel.value) <= 100:
                return morsel.value
    return None


def rotate(response: Response, secure: bool) -> None:
    """A new CSRF cookie at sign-in: a token copied from the signed-out page (or fixed in the
    browser by someone else beforehand) no longer works once the person is signed in."""
    response.set_cookie(COOKIE, new_token(), path="/", httponly=True, samesite="lax", secure=secure)


def csrf_token(request: Request) -> str:
    return sign(request.app.state.settings.secret_key, "csrf:" + request.state.csrf_cookie)


async def csrf_protect(request: Request) -> None:
    """App-wide dependency: every state-changing request must carry the token, or it gets 403."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FIELD)
            sent = value if isinstance(value, str) else None
    if not sent or not same(sent, csrf_token(request)):
        raise HTTPException(status_code=403, detail="csrf")
