"""The access matrix: every route the app serves x anonymous, trainee, educator, supervisor and
admin, over real HTTP, against the checked-in policy (tests/security/access_policy.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from starlette.routing import Route

from app.main import create_app
from app.models import Role
from tests.conftest import course_module
from tests.security.access_policy import ADMIN, POLICY, PUBLIC, SIGNED_IN
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import set_role

ROLES = ("anonymous", "trainee", "educator", "supervisor", "admin")
MODULE = course_module()
LESSON = MODULE.lessons[0]
SAMPLE = {  # values for path parameters: real content, ids that belong to nobody
    "module_slug": MODULE.slug,
    "lesson_slug": LESSON.slug,
    "question_id": LESSON.questions[0].id,
    "token": "x" * 43,
    "cert_id": "QI-AAAAAAAAAAAAAAAA",
    "code": "ABCDE-FGHJK",
    "format": "csv",
    "scenario_id": "no-such-scenario",
}
SIDE_EFFECTS = {"POST /logout"}  # would sign the client out for the routes after it


def served_routes(app) -> set[str]:  # type: ignore[no-untyped-def]
    """Every METHOD path the app serves: FastAPI's routes (from its schema) and plain ones."""
    found = {
        f"{method.upper()} {path}"
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route in app.routes:
        if isinstance(route, Route) and route.methods:
            found |= {f"{m} {route.path}" for m in route.methods if m != "HEAD"}
    return found


def test_every_served_route_has_a_policy(settings) -> None:  # type: ignore[no-untyped-def]
    served = served_routes(create_app(settings))
    assert served - POLICY.keys() == set(), "routes with no access policy"
    assert POLICY.keys() - served == set(), "policy for routes that no longer exist"


@pytest.fixture
def people(server_url: str, engine: Engine) -> Iterator[dict[str, httpx.Client]]:
    clients = {role: httpx.Client(base_url=server_url, timeout=20) for role in ROLES}
    for role, client in clients.items():
        if role != "anonymous":
            email = register(client)
            if role != "trainee":
                set_role(engine, email, Role(role))
    yield clients
    for client in clients.values():
        client.close()


def expected(gate: str, role: str) -> str:
    if gate == PUBLIC:
        return "allowed"
    if role == "anonymous":
        return "sign in"
    if gate == SIGNED_IN or role == "admin" or role == gate:
        return "allowed"
    return "forbidden"


def outcome(response: httpx.Response) -> str:
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code == 303 and response.headers["location"].startswith("/login"):
        return "sign in"
    if response.status_code == 403:
        return "forbidden"
    return "allowed"


def test_each_role_reaches_exactly_what_the_policy_allows(
    people: dict[str, httpx.Client],
) -> None:
    wrong = []
    tokens = {role: csrf(client, "/lab") for role, client in people.items()}
    for route, gate in sorted(POLICY.items()):
        if route in SIDE_EFFECTS:
            continue
        method, template = route.split(" ", 1)
        path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "2147483000"), template)
        for role, client in people.items():
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data={"csrf_token": tokens[role]})
            got, want = outcome(response), expected(gate, role)
            if got != want:
                wrong.append(f"{route} as {role}: {got} ({response.status_code}), want {want}")
    assert wrong == [], "\n".join(wrong)
    assert ADMIN in POLICY.values()
