"""Liveness for load balancers and monitors: is the database reachable?

Served outside FastAPI's app-wide dependencies and outside the shared threadpool: under a
cohort's load every worker thread can be busy (waiting on the database), and a health check
queued behind them would tell the proxy a working app is down. Its database check runs on a
small limiter of its own, on its own short connection.
"""

from __future__ import annotations

import anyio
from sqlalchemy import Engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

HEALTH_THREADS = 2


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def healthz(request: Request) -> JSONResponse:
    state = request.app.state
    if getattr(state, "health_limiter", None) is None:  # made in the worker's own event loop
        state.health_limiter = anyio.CapacityLimiter(HEALTH_THREADS)
    up = await anyio.to_thread.run_sync(
        database_answers, state.engine, limiter=state.health_limiter
    )
    if up:
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)


def install(app: Starlette) -> None:
    app.add_route("/healthz", healthz, methods=["GET"])
