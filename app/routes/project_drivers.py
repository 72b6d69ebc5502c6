"""The driver diagram: /projects/{project_id}/drivers. Plain forms, POST then redirect; with
HTMX each form swaps the diagram section (`partials/_driver_tree.html`) in place."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.deps import CurrentUser, DbSession, PostedForm, RowId, parse_row_id, wants_fragment
from app.models import DriverNode, User
from app.routes.project_deps import ProjectEdit, ProjectSeen
from app.services import audit
from app.services.projects import drivers
from app.services.projects.access import ProjectAccess
from app.templating import render

router = APIRouter(prefix="/projects/{project_id}/drivers")
FormStr = Annotated[str, Form()]
PAGE = "pages/project_drivers.html"
FRAGMENT = "partials/_driver_tree.html"


def _page(
    request: Request,
    db: DbSession,
    access: ProjectAccess,
    *,
    errors: dict[str, str] | None = None,
    kept: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    project = access.project
    tree = drivers.load_tree(db, project.id or 0)
    context = {
        "project": project,
        "access": access,
        "can_edit": access.can_edit,
        "nav": "drivers",
        "tree": tree,
        "svg": drivers.diagram(tree, project),
        "kind_names": drivers.KIND_NAMES,
        "errors": errors or {},
        "kept": kept or {},
    }
    return render(request, PAGE, context, fragment=FRAGMENT, status_code=status)


def _done(request: Request, db: DbSession, access: ProjectAccess, anchor: str) -> Response:
    """Saved: HTMX gets the fresh section, a plain form a redirect to the page."""
    if wants_fragment(request):
        return _page(request, db, access)
    return RedirectResponse(f"/projects/{access.project.id}/drivers#{anchor}", status_code=303)


def _refuse(request: Request, db: DbSession, user: User) -> HTTPException:
    audit.refused(db, user, f"{request.method} {request.url.path}", 404)
    return HTTPException(status_code=404)


def _node(
    request: Request, db: DbSession, user: User, access: ProjectAccess, node_id: int
) -> DriverNode:
    node = drivers.node_in(db, access.project.id or 0, node_id)
    if node is None:  # none, or another project's: the same 404, and an audit row
        raise _refuse(request, db, user)
    return node


def _parent(
    request: Request, db: DbSession, user: User, access: ProjectAccess, text: str
) -> DriverNode | None:
    """The parent named by the form: none when empty, 404 when not a node of this project."""
    if not text.strip():
        return None
    node_id = parse_row_id(text)
    if node_id is None:
        raise _refuse(request, db, user)
    return _node(request, db, user, access, node_id)


@router.get("", response_class=HTMLResponse)
def driver_page(request: Request, access: ProjectSeen, db: DbSession) -> HTMLResponse:
    return _page(request, db, access)


@router.post("", response_class=HTMLResponse)
def add(
    request: Request,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    kind: FormStr = "",
    parent: FormStr = "",
    text: FormStr = "",
) -> Response:
    parent_node = _parent(request, db, user, access, parent)
    made = drivers.add_node(db, user, access.project.id or 0, kind, parent_node, text)
    if isinstance(made, str):
        # The form under that driver; a forged parent with no form of its own: the main one.
        has_form = parent_node is not None and parent_node.kind in ("primary", "secondary")
        field = f"text-new-{parent_node.id}" if has_form and parent_node else "text-new"
        kept = {field: text, f"kind-{field}": kind}
        return _page(request, db, access, errors={field: made}, kept=kept, status=422)
    return _done(request, db, access, f"node-{made.id}")


@router.post("/{node_id}", response_class=HTMLResponse)
def edit(
    request: Request,
    node_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    text: FormStr = "",
    parent: FormStr = "",
) -> Response:
    node = _node(request, db, user, access, node_id)
    parent_node = _parent(request, db, user, access, parent) if node.kind != "primary" else None
    problem = drivers.edit_node(db, user, node, text, parent_node)
    if problem:
        field = f"text-{node.id}"
        kept = {field: text, f"parent-{node.id}": parent}
        return _page(request, db, access, errors={field: problem}, kept=kept, status=422)
    return _done(request, db, access, f"node-{node.id}")


@router.post("/{node_id}/delete", response_class=HTMLResponse)
def remove(
    request: Request, node_id: RowId, access: ProjectEdit, user: CurrentUser, db: DbSession
) -> Response:
    node = _node(request, db, user, access, node_id)
    problem = drivers.delete_node(db, user, node)
    if problem:
        return _page(request, db, access, errors={f"delete-{node.id}": problem}, status=409)
    return _done(request, db, access, "driver-list")


@router.post("/{node_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    node_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    direction: FormStr = "",
) -> Response:
    node = _node(request, db, user, access, node_id)
    if direction not in ("up", "down"):
        raise HTTPException(status_code=422)
    drivers.move_node(db, user, node, direction)
    return _done(request, db, access, f"node-{node.id}")


@router.post("/{node_id}/measures", response_class=HTMLResponse)
def link(
    request: Request,
    node_id: RowId,
    access: ProjectEdit,
    user: CurrentUser,
    db: DbSession,
    form: PostedForm,
) -> Response:
    node = _node(request, db, user, access, node_id)
    if node.kind != "change":
        errors = {f"measures-{node.id}": "Only change ideas are linked to measures"}
        return _page(request, db, access, errors=errors, status=422)
    wanted = {parse_row_id(str(v)) for v in form.getlist("measure")}
    if None in wanted:
        raise _refuse(request, db, user)
    ids = {i for i in wanted if i is not None}
    if drivers.project_measure_ids(db, access.project.id or 0, ids) != ids:
        raise _refuse(request, db, user)  # a measure of another project
    drivers.link_measures(db, user, node, ids)
    return _done(request, db, access, f"node-{node.id}")
