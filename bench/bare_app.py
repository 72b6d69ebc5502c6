"""The yardstick: a bare ASGI app that answers "ok", served exactly as the real app is.

wrk shares the two cores with the server, so every figure in `make bench` is also given as a
ratio to this app measured in the same run.
"""

from __future__ import annotations

from starlette.types import Receive, Scope, Send


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")],
        }
    )
    await send({"type": "http.response.body", "body": b"ok"})
