"""Admin: list users, change their roles, and issue password reset links by hand."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlalchemy import not_
from sqlmodel import col, select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import AdminUser, DbSession, RowId
from app.models import Role, User
from app.privacy.placeholder import ERASED_DOMAIN
from app.services.accounts import set_role
from app.services.links import absolute_url
from app.services.password_reset import issue_for_admin
from app.templating import render

router = APIRouter(prefix="/admin")


def _users(db: DbSession) -> list[User]:
    """Every account but the anonymous stand-ins of erased ones (app/privacy/placeholder.py)."""
    real = not_(col(User.email).endswith("@" + ERASED_DOMAIN))
    return list(db.exec(select(User).where(real).order_by(User.email)).all())


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, admin: AdminUser, db: DbSession) -> HTMLResponse:
    context = {"users": _users(db), "roles": list(Role), "error": None, "reset": None}
    return render(request, "pages/admin_users.html", context)


@router.post("/users/{user_id}/role", response_class=HTMLResponse)
def change_role(
    request: Request,
    user_id: RowId,
    admin: AdminUser,
    db: DbSession,
    role: Annotated[str, Form()] = "",
) -> Response:
    problem = set_role(db, admin, user_id, role)
    if problem == "No such user":
        raise HTTPException(status_code=404)
    if problem:
        context = {"users": _users(db), "roles": list(Role), "error": problem, "reset": None}
        return render(request, "pages/admin_users.html", context, status_code=422)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/reset-link", response_class=HTMLResponse)
def reset_link(request: Request, user_id: RowId, admin: AdminUser, db: DbSession) -> Response:
    """For trusts that block outside email: the link is shown once, here, for the admin to pass
    on; only its hash is stored, and the issue is audited."""
    issued = issue_for_admin(db, admin, user_id)
    if issued is None:
        raise HTTPException(status_code=404)
    target, path = issued
    reset = {"user": target, "link": absolute_url(request, path)}
    context = {"users": _users(db), "roles": list(Role), "error": None, "reset": reset}
    response = render(request, "pages/admin_users.html", context, status_code=201)
    response.headers["Cache-Control"] = "no-store"
    return response
