"""CSRF on every POST, roles, and the admin pages."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.main import ROUTERS
from app.models import Role, User
from tests.web.helpers import PASSWORD, csrf, login, post, register
from tests.web.supervision_helpers import set_role


def api_routes() -> list[APIRoute]:
    return [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def post_routes() -> list[str]:
    paths = []
    for route in api_routes():
        if "POST" in route.methods:
            paths.append(
                route.path.replace("{module_slug}", "model-for-improvement")
                .replace("{lesson_slug}", "three-questions")
                .replace("{question_id}", "mfi-q1")
                .replace("{user_id}", "1")
                .replace("{dataset_id}", "1")
                .replace("{annotation_id}", "1")
                .replace("{supervision_id}", "1")
                .replace("{cohort_id}", "1")
                .replace("{invite_id}", "1")
                .replace("{cert_id}", "QI-X")
            )
    return paths


def test_every_post_without_a_token_is_403(client: httpx.Client) -> None:
    register(client)
    paths = post_routes()
    assert {"/login", "/logout", "/register", "/account/password"} <= set(paths)
    for path in paths:
        assert client.post(path, data={"answer": "a"}).status_code == 403, path
        bad = client.post(path, data={"answer": "a", "csrf_token": "0" * 64})
        assert bad.status_code == 403, path
        header = client.post(path, headers={"X-CSRF-Token": "nope"})
        assert header.status_code == 403, path
    assert client.get("/account").status_code == 200  # still signed in: nothing happened


def test_htmx_header_token_is_accepted(client: httpx.Client) -> None:
    token = csrf(client, "/modules/model-for-improvement/three-questions")
    response = client.post(
        "/modules/model-for-improvement/three-questions/questions/mfi-q1",
        data={"answer": "a"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200


def test_a_token_from_another_browser_is_refused(client: httpx.Client, server_url: str) -> None:
    with httpx.Client(base_url=server_url) as attacker:
        stolen = csrf(attacker, "/login")
    response = client.post(
        "/login", data={"csrf_token": stolen, "email": "a@b.org", "password": "x" * 8}
    )
    assert response.status_code == 403


def test_no_get_changes_data() -> None:
    for route in api_routes():
        if "GET" in route.methods:
            assert not route.path.endswith(("/complete", "/logout", "/role", "/password")), route


@pytest.mark.parametrize("role", [Role.trainee, Role.educator, Role.supervisor])
def test_only_admins_reach_admin_pages(client: httpx.Client, engine: Engine, role: Role) -> None:
    email = register(client)
    set_role(engine, email, role)
    assert client.get("/admin/users").status_code == 403
    other = register(httpx.Client(base_url=str(client.base_url)))
    with Session(engine) as db:
        target = db.exec(select(User).where(User.email == other)).one()
    response = post(client, f"/admin/users/{target.id}/role", {"role": "admin"}, page="/account")
    assert response.status_code == 403
    with Session(engine) as db:
        assert db.get(User, target.id).role == Role.trainee


def test_anonymous_visitors_are_sent_to_sign_in(client: httpx.Client) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_admin_lists_users_and_changes_roles(client: httpx.Client, engine: Engine) -> None:
    with httpx.Client(base_url=str(client.base_url)) as trainee:
        trainee_email = register(trainee)
    admin_email = register(client)
    set_role(engine, admin_email, Role.admin)
    page = client.get("/admin/users")
    assert page.status_code == 200 and trainee_email in page.text
    with Session(engine) as db:
        target = db.exec(select(User).where(User.email == trainee_email)).one()
        me = db.exec(select(User).where(User.email == admin_email)).one()
    ok = post(client, f"/admin/users/{target.id}/role", {"role": "supervisor"}, page="/admin/users")
    assert ok.status_code == 303
    bad = post(client, f"/admin/users/{target.id}/role", {"role": "emperor"}, page="/admin/users")
    assert bad.status_code == 422
    self_demote = post(
        client, f"/admin/users/{me.id}/role", {"role": "trainee"}, page="/admin/users"
    )
    assert self_demote.status_code == 422
    missing = post(client, "/admin/users/999999/role", {"role": "trainee"}, page="/admin/users")
    assert missing.status_code == 404
    not_a_number = post(client, "/admin/users/abc/role", {"role": "trainee"}, page="/admin/users")
    assert not_a_number.status_code == 422
    with Session(engine) as db:
        assert db.get(User, target.id).role == Role.supervisor
        assert db.get(User, me.id).role == Role.admin


def test_cli_creates_the_first_admin_with_a_typed_password(
    client: httpx.Client, database_url: str
) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "users",
            "create",
            "--email",
            "Boss@Example.nhs.uk",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QI_DATABASE_URL": database_url},
    )
    assert result.returncode == 0, result.stderr
    assert login(client, "boss@example.nhs.uk").status_code == 303
    assert client.get("/admin/users").status_code == 200
    short = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "users",
            "create",
            "--email",
            "x@example.nhs.uk",
            "--password-stdin",
        ],
        input="short\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QI_DATABASE_URL": database_url},
    )
    assert short.returncode == 1 and "at least 8" in short.stderr
