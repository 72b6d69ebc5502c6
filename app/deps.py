"""Request helpers shared by the routers: who is asking, and what they may do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Path, Request
from sqlmodel import Session
from starlette.datastructures import FormData

from app.catalog import Catalog
from app.db import get_session
from app.models import Role, User
from app.services import audit
from app.services.sessions import resolve

SESSION_COOKIE = "qi_session"

DbSession = Annotated[Session, Depends(get_session)]


MAX_ROW_ID = 2**31 - 1  # PostgreSQL's integer: a larger id is a 422, never a database error


def parse_row_id(text: str) -> int | None:
    """An id typed in a query or form field: ASCII digits within range, else None. (`str.isdigit`
    also accepts "²", which `int()` refuses.)"""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ROW_ID else None


def wants_fragment(request: Request) -> bool:
    """True for an HTMX swap; boosted navigation and history restores need whole pages."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


async def read_form(request: Request) -> FormData:
    """The posted form, read on the event loop (reading the body must be awaited) so that the
    route using it can be a plain `def` and do its database work in the threadpool."""
    return await request.form()


def get_catalog(request: Request) -> Catalog:
    """The published catalog (no drafts): the safe default for every page and record."""
    return request.app.state.catalog.for_learners


def viewer_catalog(request: Request) -> Catalog:
    """The catalog as the signed-in person may read it: with drafts for educators and admins.
    Only the reading, answering and authoring routes use it; records and exports never do."""
    user = getattr(request.state, "user", None)
    if user is not None and user.role in (Role.educator, Role.admin):
        return request.app.state.catalog
    return request.app.state.catalog.for_learners


def identify(request: Request) -> None:
    """App-wide: find the signed-in user (one indexed query) for routes and templates."""
    app = request.app
    token = request.cookies.get(SESSION_COOKIE)
    request.state.user = resolve(app.state.engine, token, app.state.settings)


def optional_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


class SignInRequired(Exception):
    """Raised for anonymous visitors to pages that need an account; handled as a redirect."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def current_user(request: Request) -> User:
    user = optional_user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(quote(target, safe="/?=&"))
    return user


def require_role(*roles: Role) -> Callable[..., User]:
    def check(request: Request, user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            with Session(request.app.state.engine) as db:  # a refusal is audited on its own
                audit.refused(db, user, f"{request.method} {request.url.path}", 403)
            raise HTTPException(status_code=403, detail="forbidden")
        return user

    return check


RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]  # every id in a path
CatalogDep = Annotated[Catalog, Depends(get_catalog)]
ViewerCatalog = Annotated[Catalog, Depends(viewer_catalog)]
PostedForm = Annotated[FormData, Depends(read_form)]


def form_fields(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The named fields as typed ("" when missing), to check and to show back on an error."""
    return {name: str(form.get(name, "")) for name in names}


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]
