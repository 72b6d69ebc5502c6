"""Act like a browser over httpx: read the CSRF token from a page, fill in forms."""

from __future__ import annotations

import re
import uuid

import httpx

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
PASSWORD = "correct horse battery"


def csrf(client: httpx.Client, path: str = "/login") -> str:
    match = TOKEN.search(client.get(path).text)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def post(client: httpx.Client, path: str, data: dict, page: str = "/login") -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf(client, page), **data})


def register(
    client: httpx.Client, email: str | None = None, password: str = PASSWORD, **extra: str
) -> str:
    email = email or f"trainee-{uuid.uuid4().hex[:8]}@example.nhs.uk"
    data = {"name": "Test Trainee", "email": email, "password": password, "grade": "F1", **extra}
    response = post(client, "/register", data, page="/register")
    assert response.status_code == 303, response.text[:500]
    return email


def login(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return post(client, "/login", {"email": email, "password": password})


def logout(client: httpx.Client) -> httpx.Response:
    return post(client, "/logout", {}, page="/")
