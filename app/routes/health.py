"""Liveness for load balancers and monitors: is the database reachable?"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.db import database_is_up

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    if database_is_up(request.app.state.engine):
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
