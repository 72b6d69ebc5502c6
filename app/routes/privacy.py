"""A person's rights over their data: download everything held about them, delete the account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, Response

from app.deps import SESSION_COOKIE, CurrentUser, DbSession
from app.privacy.erase import delete_account
from app.privacy.export import export_file
from app.routes.account import with_password
from app.templating import render

router = APIRouter()


@router.get("/account/export")
def download_my_data(user: CurrentUser, db: DbSession) -> Response:
    """The subject access export (UK GDPR article 15) as one JSON file."""
    headers = {
        "Content-Disposition": 'attachment; filename="qi-skills-my-data.json"',
        "Cache-Control": "private, no-store",
    }
    return Response(export_file(db, user), media_type="application/json", headers=headers)


def _confirm_page(
    request: Request, errors: dict[str, str], confirmed: bool, status_code: int = 200
) -> HTMLResponse:
    context = {"errors": errors, "confirmed": confirmed}
    return render(request, "pages/account_delete.html", context, status_code=status_code)


@router.get("/account/delete", response_class=HTMLResponse)
def confirm_delete(request: Request, user: CurrentUser) -> HTMLResponse:
    """The confirm step: what is erased and what is kept, then the password. No script needed."""
    return _confirm_page(request, {}, False)


@router.post("/account/delete", response_class=HTMLResponse)
def delete(
    request: Request,
    user: CurrentUser,
    db: DbSession,
    password: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Erase the account (the password counts like a sign-in attempt) and sign out."""
    settings = request.app.state.settings
    confirmed = confirm == "yes"
    errors, status = with_password(
        request, db, user, "password",
        lambda: delete_account(db, settings, user, password, confirmed),
    )  # fmt: skip
    if errors:
        return _confirm_page(request, errors, confirmed, status_code=status)
    request.state.user = None  # the page after is a signed-out one
    response = render(request, "pages/account_deleted.html")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
