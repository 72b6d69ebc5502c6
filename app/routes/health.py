"""Liveness for load balancers and monitors: is the database reachable?"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.db import database_is_up
from app.deps import DbSession

router = APIRouter()


@router.get("/healthz")
def healthz(db: DbSession) -> JSONResponse:
    if database_is_up(db):
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
