"""Request limits for the whole app, checked before any route reads a byte of the body.

- A body over `max_body` bytes is a 413 with the app's own error page: a declared
  Content-Length is refused at once, a chunked body as soon as it passes the limit, so a 50 MB
  upload to a form that takes no files is never buffered or written to disk.
- A NUL character in the path, the query or a form body is a 400: PostgreSQL cannot store one in
  text, and no person types one. The one exception is a file upload to `/verify/<id>` (an
  evidence pack's PDF, binary by nature): it is hashed and compared, never stored.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_TYPES = (b"application/x-www-form-urlencoded", b"multipart/form-data")
DEFAULT_MAX_BODY = 1024 * 1024
BINARY_UPLOADS = ("/verify/",)  # multipart posts whose files are only hashed, never stored


def _binary_upload(scope: Scope, content_type: bytes) -> bool:
    return (
        scope.get("method") == "POST"
        and scope.get("path", "").startswith(BINARY_UPLOADS)
        and content_type.startswith(b"multipart/form-data")
    )


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"%00" in target or b"\x00" in target:
            await self._refuse(scope, send, 400, "nul")
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_body:
            await self._refuse(scope, send, 413, "size")
            return
        body, more = [], True
        size = 0
        while more:  # read it all now (at most max_body): the route reads from this copy
            message = await receive()
            if message["type"] != "http.request":
                body.append(message)
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._refuse(scope, send, 413, "size")
                return
            body.append(message)
            more = message.get("more_body", False)
        content_type = headers.get(b"content-type", b"")
        if (
            content_type.startswith(FORM_TYPES)
            and not _binary_upload(scope, content_type)
            and any(b"%00" in m.get("body", b"") or b"\x00" in m.get("body", b"") for m in body)
        ):
            await self._refuse(scope, send, 400, "nul")
            return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(self, scope: Scope, send: Send, status: int, reason: str) -> None:
        request = Request(scope)
        templates = request.app.state.templates
        context = {"status": status, "reason": reason, "limit_kib": self.max_body // 1024}
        response = templates.TemplateResponse(
            request, "pages/error.html", context, status_code=status
        )
        response.headers["Connection"] = "close"
        await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
