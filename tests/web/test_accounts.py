"""Accounts over real HTTP: registration, sign-in, sessions, throttling and password changes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import User, UserSession
from app.models.content import utcnow
from app.security.passwords import hash_password, verify_password
from tests.conftest import CONTENT_DIR
from tests.live_server import serve
from tests.web.helpers import PASSWORD, csrf, login, logout, post, register


def test_register_signs_in_with_a_secure_session_cookie(client: httpx.Client) -> None:
    email = register(client)
    cookie = next(c for c in client.cookies.jar if c.name == "qi_session")
    assert len(cookie.value) >= 22  # 128 bits or more, URL-safe base64
    page = client.get("/account")
    assert page.status_code == 200
    assert email in page.text


def test_session_cookie_flags(client: httpx.Client) -> None:
    response = post(
        client,
        "/register",
        {"name": "A", "email": "flags@example.nhs.uk", "password": PASSWORD, "grade": "F2"},
        page="/register",
    )
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith("qi_session"))
    assert "HttpOnly" in header and "SameSite=lax" in header
    assert "Secure" not in header  # the test server is plain http


def test_passwords_are_stored_as_argon2id(client: httpx.Client, engine: Engine) -> None:
    email = register(client)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_production_argon2_parameters_are_the_library_defaults() -> None:
    encoded = hash_password("a fine passphrase")
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(encoded, "a fine passphrase")
    assert not verify_password(encoded, "a fine passphrase ")


@pytest.mark.parametrize(
    ("password", "ok"),
    [("1234567", False), ("12345678", True), ("x" * 64, True), ("  spaced  ", True)],
)
def test_password_length_rules_and_nothing_trimmed(
    client: httpx.Client, password: str, ok: bool
) -> None:
    email = f"len{len(password)}{ok}@example.nhs.uk"
    data = {"name": "A", "email": email, "password": password, "grade": "CT"}
    response = post(client, "/register", data, page="/register")
    assert response.status_code == (303 if ok else 422)
    if ok:
        logout(client)
        assert login(client, email, password).status_code == 303
        logout(client)
        if password != password.strip():
            assert login(client, email, password.strip()).status_code == 422


def test_bad_registration_keeps_input_and_never_echoes_the_password(client: httpx.Client) -> None:
    register(client, email="taken@example.nhs.uk")
    logout(client)
    data = {
        "name": "Dr <b>Bold</b>",
        "email": "taken@example.nhs.uk",
        "password": "Sh0rt!x",
        "profession": "Nurse",
        "grade": "nurse",
        "organisation": "North Trust",
    }
    response = post(client, "/register", data, page="/register")
    assert response.status_code == 422
    body = response.text
    assert "There is a problem" in body
    assert 'href="#email"' in body and 'href="#password"' in body
    assert "already exists" in body and "at least 8 characters" in body
    assert 'value="Dr &lt;b&gt;Bold&lt;/b&gt;"' in body  # kept, and escaped
    assert 'value="North Trust"' in body and 'value="Nurse"' in body
    assert 'value="nurse" checked' in body
    assert "Sh0rt!x" not in body


def test_same_message_for_unknown_email_and_wrong_password(client: httpx.Client) -> None:
    email = register(client)
    logout(client)
    wrong = login(client, email, "not the password")
    unknown = login(client, "nobody@example.nhs.uk", "not the password")
    assert wrong.status_code == unknown.status_code == 422
    assert "Enter a correct email address and password" in wrong.text
    assert "Enter a correct email address and password" in unknown.text
    assert 'value="nobody@example.nhs.uk"' in unknown.text
    assert "not the password" not in wrong.text


def test_session_id_changes_at_login_and_logout_ends_it(client: httpx.Client) -> None:
    email = register(client)
    first = client.cookies.get("qi_session")
    logout(client)
    assert login(client, email).status_code == 303
    second = client.cookies.get("qi_session")
    assert second and second != first
    logout(client)
    # Replaying the old cookie fails: the server forgot the session.
    client.cookies.set("qi_session", second)
    response = client.get("/account")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/account")


def test_password_change_ends_every_other_session(
    client: httpx.Client, server_url: str, engine: Engine
) -> None:
    email = register(client)
    with httpx.Client(base_url=server_url) as phone:
        assert login(phone, email).status_code == 303
        old_cookie = client.cookies.get("qi_session")
        response = post(
            client,
            "/account/password",
            {"current_password": PASSWORD, "new_password": "a brand new phrase"},
            page="/account",
        )
        assert response.status_code == 303
        assert client.cookies.get("qi_session") != old_cookie
        assert client.get("/account").status_code == 200
        assert phone.get("/account").status_code == 303  # signed out elsewhere
    replay = httpx.Client(base_url=server_url, cookies={"qi_session": old_cookie})
    assert replay.get("/account").status_code == 303
    replay.close()
    logout(client)
    assert login(client, email, "a brand new phrase").status_code == 303


def test_wrong_current_password_is_refused(client: httpx.Client) -> None:
    register(client)
    response = post(
        client,
        "/account/password",
        {"current_password": "wrong one!", "new_password": "another phrase"},
        page="/account",
    )
    assert response.status_code == 422
    assert "Your current password is not correct" in response.text


def test_ten_failures_lock_the_account_even_for_the_right_password(
    client: httpx.Client,
) -> None:
    email = register(client)
    logout(client)
    for _ in range(10):
        assert login(client, email, "wrong password").status_code == 422
    assert login(client, email).status_code == 429


def test_idle_and_absolute_timeouts_end_sessions(client: httpx.Client, engine: Engine) -> None:
    register(client)
    with Session(engine) as db:
        row = db.exec(select(UserSession)).one()
        row.last_seen_at = utcnow() - timedelta(hours=13)
        db.add(row)
        db.commit()
    assert client.get("/account").status_code == 303

    register(client)
    with Session(engine) as db:
        row = db.exec(select(UserSession)).one()
        row.created_at = utcnow() - timedelta(days=8)
        db.add(row)
        db.commit()
    assert client.get("/account").status_code == 303


def test_login_redirects_only_to_our_own_pages(client: httpx.Client) -> None:
    email = register(client)
    logout(client)
    for target, expected in [
        ("/learning", "/learning"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
    ]:
        response = post(client, "/login", {"email": email, "password": PASSWORD, "next": target})
        assert response.headers["location"] == expected
        logout(client)


def test_csrf_token_is_on_every_form(client: httpx.Client) -> None:
    assert csrf(client, "/login")
    assert csrf(client, "/register")


def test_cookies_are_secure_when_the_site_is_https(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'https.db'}"
    upgrade(url)
    settings = Settings(
        database_url=url,
        content_dir=CONTENT_DIR,
        base_url="https://qi.example.org",
        password_profile="test",
    )
    with serve(create_app(settings)) as base, httpx.Client(base_url=base) as http:
        first = http.get("/register")
        csrf_cookie = first.headers["set-cookie"]
        assert csrf_cookie.startswith("qi_csrf=") and "; Secure" in csrf_cookie
        assert "strict-transport-security" in first.headers
        # httpx, like a browser, keeps Secure cookies off plain http: hand the value back.
        http.cookies.set("qi_csrf", csrf_cookie.split(";")[0].split("=", 1)[1])
        token = csrf(http, "/register")
        data = {"name": "A", "email": "s@example.nhs.uk", "password": PASSWORD, "grade": "ST"}
        response = http.post("/register", data={"csrf_token": token, **data})
        session = next(h for h in response.headers.get_list("set-cookie") if "qi_session" in h)
        assert "Secure" in session and "HttpOnly" in session


def test_signing_in_clears_that_users_sessions_past_the_absolute_timeout(
    client: httpx.Client, engine: Engine
) -> None:
    email = register(client)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        old = utcnow() - timedelta(days=30)
        db.add(UserSession(token_hash="f" * 64, user_id=user.id, created_at=old, last_seen_at=old))
        db.commit()
    logout(client)
    assert login(client, email).status_code == 303
    with Session(engine) as db:
        hashes = [s.token_hash for s in db.exec(select(UserSession)).all()]
    assert "f" * 64 not in hashes and len(hashes) == 1


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        " /learning",
    ],
)
def test_no_next_leaves_the_site(client: httpx.Client, target: str) -> None:
    email = register(client)
    logout(client)
    response = post(client, "/login", {"email": email, "password": PASSWORD, "next": target})
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_signing_in_rotates_the_csrf_cookie(client: httpx.Client) -> None:
    """A form token from before sign-in (perhaps planted by someone else) stops working."""
    email = register(client)
    logout(client)
    before = csrf(client, "/login")
    old_cookie = client.cookies.get("qi_csrf")
    assert login(client, email).status_code == 303
    assert client.cookies.get("qi_csrf") != old_cookie
    stale = client.post("/account/details", data={"csrf_token": before, "name": "X", "grade": "F1"})
    assert stale.status_code == 403
    fresh = csrf(client, "/account")
    saved = client.post("/account/details", data={"csrf_token": fresh, "name": "X", "grade": "F1"})
    assert saved.status_code == 303
