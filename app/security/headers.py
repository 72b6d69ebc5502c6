"""Security headers on every response. Scripts and styles come only from our own origin.

A response to a signed-in person is `Cache-Control: no-store` unless its route chose otherwise:
their pages show personal data (records, datasets, certificates, trainees), and a shared ward
computer's cache or a proxy must never keep them."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeadersMiddleware:
    """Pure ASGI middleware, so it adds no per-request task overhead on the hot paths."""

    def __init__(self, app: ASGIApp, *, https: Callable[[str], bool] = lambda _: False) -> None:
        self.app = app
        self.https = https  # HSTS only when the site is served over https
        self.headers = [*HEADERS]
        self.https_headers = [*HEADERS, (b"strict-transport-security", b"max-age=31536000")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        ours = self.https_headers if self.https(scope.get("scheme", "http")) else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in ours if k not in existing]
                signed_in = scope.get("state", {}).get("user") is not None
                if signed_in and b"cache-control" not in existing:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
