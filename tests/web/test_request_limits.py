"""Oversized bodies and NUL characters get the app's own 4xx page, never a 500 or bare JSON."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx

from app.security.limits import DEFAULT_MAX_BODY
from tests.web.helpers import csrf, post, register


def test_a_text_field_over_the_limit_is_413_with_the_apps_page(client: httpx.Client) -> None:
    register(client)
    token = csrf(client, "/lab")
    response = client.post("/lab", data={"csrf_token": token, "values": "1\n" * DEFAULT_MAX_BODY})
    assert response.status_code == 413
    assert "That was too much to send" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"  # the app's headers too


def test_a_50_mb_upload_is_refused_before_it_is_read(server_url: str) -> None:
    """Declare 50 MB and send almost none of it: the answer comes at once, from the headers."""
    url = urlsplit(server_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as conn:
        conn.sendall(
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            b"Content-Length: 52428800\r\n\r\n--b\r\n"
        )
        reply = conn.recv(65536).decode(errors="replace")
    assert reply.startswith("HTTP/1.1 413"), reply[:200]


def test_nul_characters_anywhere_are_a_400(client: httpx.Client) -> None:
    assert client.get("/verify", params={"id": "QI-\x00"}).status_code == 400
    assert client.get("/modules/run-charts%00").status_code == 400
    signed_out = post(client, "/login", {"email": "a\x00@b.org", "password": "x\x00y"})
    assert signed_out.status_code == 400
    assert "null character" in signed_out.text
    register(client)
    token = csrf(client, "/account")
    details = client.post(
        "/account/details",
        data={"csrf_token": token, "name": "Ada\x00", "grade": "F1"},
    )
    assert details.status_code == 400
