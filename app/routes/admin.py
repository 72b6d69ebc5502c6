"""Admin: list users and change their roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import AdminUser, DbSession
from app.models import Role, User
from app.services.accounts import set_role
from app.templating import render

router = APIRouter(prefix="/admin")


def _users(db: DbSession) -> list[User]:
    return list(db.exec(select(User).order_by(User.email)).all())


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, admin: AdminUser, db: DbSession) -> HTMLResponse:
    context = {"users": _users(db), "roles": list(Role), "error": None}
    return render(request, "pages/admin_users.html", context)


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    user_id: int,
    admin: AdminUser,
    db: DbSession,
    role: Annotated[str, Form()] = "",
) -> Response:
    problem = set_role(db, admin, user_id, role)
    if problem == "No such user":
        raise HTTPException(status_code=404)
    if problem:
        context = {"users": _users(db), "roles": list(Role), "error": problem}
        return render(request, "pages/admin_users.html", context, status_code=422)
    return RedirectResponse("/admin/users", status_code=303)
