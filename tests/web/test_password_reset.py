"""Forgotten passwords over real HTTP, with a real SMTP server: the email, the single-use link,
the race, expiry, throttling, and links an admin or the command line issues."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app import cli
from app.config import Settings, get_settings
from app.main import create_app
from app.models import AuditEvent, PasswordReset, Role, User
from app.models.content import as_utc, utcnow
from app.services import password_reset
from tests.conftest import CONTENT_DIR, _empty_learner_tables
from tests.live_server import serve
from tests.web.helpers import PASSWORD, csrf, login, post, register
from tests.web.smtp import USER, Inbox, reset_path, smtp_server
from tests.web.supervision_helpers import set_role, user_id

NEW_PASSWORD = "a fresh long phrase"
SENT = "If an account uses that address, we have sent a link"


@pytest.fixture(scope="module")
def mail(database_url: str) -> Iterator[tuple[Inbox, Settings, str]]:
    """The app configured with QI_SMTP_URL pointing at a real SMTP server started here."""
    with smtp_server() as (inbox, smtp_url):
        settings = Settings(
            database_url=database_url,
            content_dir=CONTENT_DIR,
            password_profile="test",
            smtp_url=smtp_url,
            mail_from="QI Skills <qi@example.org>",
        )
        with serve(create_app(settings)) as url:
            yield inbox, settings, url


@pytest.fixture
def inbox(mail) -> Inbox:
    return mail[0]


@pytest.fixture
def web(mail, engine: Engine) -> Iterator[httpx.Client]:
    inbox, _, url = mail
    inbox.clear()
    with httpx.Client(base_url=url, timeout=10) as http:
        yield http
    _empty_learner_tables(engine)


def new_browser(web: httpx.Client) -> httpx.Client:
    return httpx.Client(base_url=str(web.base_url), timeout=10)


def forgot(client: httpx.Client, email: str) -> httpx.Response:
    return post(client, "/password/forgot", {"email": email}, page="/password/forgot")


def set_password(client: httpx.Client, path: str, password: str) -> httpx.Response:
    return post(client, path, {"password": password}, page=path)


def issue_token(engine: Engine, email: str) -> str:
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        return password_reset.issue(db, user)


def test_the_emailed_link_resets_the_password_and_ends_every_session(
    web: httpx.Client, inbox: Inbox, mail, engine: Engine
) -> None:
    email = register(web, name="Nia Okafor")
    with new_browser(web) as phone, new_browser(web) as stranger:
        assert login(phone, email).status_code == 303
        sign_in = stranger.get("/login").text
        assert '<a href="/password/forgot">Forgotten your password?</a>' in sign_in
        answer = forgot(stranger, email)
        assert answer.status_code == 200 and SENT in answer.text

        (message,) = inbox.wait_for(1)
        assert message["To"] == email and message["From"] == "QI Skills <qi@example.org>"
        assert message["Subject"] == "Reset your QI Skills password"
        assert "Hello Nia Okafor" in message.get_content()
        assert inbox.logins == [USER]  # the URL's percent-encoded user and password worked
        path = reset_path(message)
        # QI_BASE_URL is unset here: the link is on the address the request came to.
        assert f"{web.base_url}".rstrip("/") + path in message.get_content()

        page = stranger.get(path)
        assert page.status_code == 200 and email in page.text
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        done = set_password(stranger, path, NEW_PASSWORD)
        assert done.status_code == 303 and done.headers["location"] == "/account?changed=1"
        assert stranger.get("/account").status_code == 200  # this browser is signed in
        assert phone.get("/account").status_code == 303  # every other session ended
        assert web.get("/account").status_code == 303

        again = stranger.get(path)
        assert again.status_code == 404 and "This link does not work" in again.text
        assert set_password(stranger, path, "yet another phrase").status_code == 404
    assert login(web, email, PASSWORD).status_code == 422
    assert login(web, email, NEW_PASSWORD).status_code == 303


def test_the_same_answer_whether_or_not_the_email_has_an_account(
    web: httpx.Client, inbox: Inbox, engine: Engine
) -> None:
    email = register(web)
    with new_browser(web) as anonymous:
        unknown = forgot(anonymous, "nobody-here@example.nhs.uk")
        known = forgot(anonymous, email.upper())
    assert unknown.status_code == known.status_code == 200
    assert unknown.text == known.text and SENT in known.text
    assert "nobody-here" not in unknown.text
    messages = inbox.wait_for(1)
    time.sleep(0.3)
    assert [m["To"] for m in inbox.messages] == [email] == [m["To"] for m in messages]
    with Session(engine) as db:
        assert len(db.exec(select(PasswordReset)).all()) == 1


def test_a_malformed_address_is_a_422_with_the_input_kept(web: httpx.Client) -> None:
    response = forgot(web, "not-an-email")
    assert response.status_code == 422
    assert "Enter an email address in the correct format" in response.text
    assert 'value="not-an-email"' in response.text


def test_at_most_three_emails_a_quarter_of_an_hour_silently(
    web: httpx.Client, inbox: Inbox, engine: Engine
) -> None:
    email = register(web)
    answers = [forgot(web, email) for _ in range(5)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1  # nothing says the later ones were dropped
    inbox.wait_for(3)
    time.sleep(0.5)
    assert len(inbox.messages) == 3
    with Session(engine) as db:
        rows = db.exec(select(PasswordReset)).all()
        assert len(rows) == 3
        for row in rows:  # outside the window, asking works again
            row.created_at = utcnow() - timedelta(minutes=16)
            db.add(row)
        db.commit()
    forgot(web, email)
    inbox.wait_for(4)


def test_simultaneous_requests_send_at_most_three_emails(
    mail: tuple[Inbox, Settings, str], web: httpx.Client, engine: Engine
) -> None:
    """Each request stores its link before it counts, so a burst cannot slip past the limit."""
    inbox, settings, _ = mail
    email = register(web)
    start = threading.Barrier(10)

    def ask() -> None:
        start.wait()
        password_reset.request_by_email(engine, settings, email, lambda path: path)

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(0.5)
    with Session(engine) as db:
        stored = len(db.exec(select(PasswordReset)).all())
    # Requests that all commit before any counts may all be refused (as with sign-in); never more.
    assert len(inbox.messages) <= 3
    assert stored == len(inbox.messages)  # a refused request leaves no link behind


def test_a_link_lasts_one_hour(web: httpx.Client, engine: Engine) -> None:
    email = register(web)
    token = issue_token(engine, email)
    with Session(engine) as db:
        row = db.exec(select(PasswordReset)).one()
        assert as_utc(row.expires_at) - as_utc(row.created_at) == timedelta(hours=1)
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.add(row)
        db.commit()
    path = password_reset.reset_path(token)
    assert web.get(path).status_code == 404
    assert set_password(web, path, NEW_PASSWORD).status_code == 404
    assert login(web, email, NEW_PASSWORD).status_code == 422


def test_a_too_short_password_keeps_the_link_usable(web: httpx.Client, engine: Engine) -> None:
    email = register(web)
    path = password_reset.reset_path(issue_token(engine, email))
    short = set_password(web, path, "short")
    assert short.status_code == 422 and "at least 8 characters" in short.text
    assert set_password(web, path, NEW_PASSWORD).status_code == 303


def test_a_newer_reset_voids_older_links(web: httpx.Client, engine: Engine) -> None:
    email = register(web)
    first, second = issue_token(engine, email), issue_token(engine, email)
    assert set_password(web, password_reset.reset_path(second), NEW_PASSWORD).status_code == 303
    assert web.get(password_reset.reset_path(first)).status_code == 404


def test_two_racing_submits_of_one_link_exactly_one_wins(web: httpx.Client, engine: Engine) -> None:
    email = register(web)
    for round_ in range(3):
        path = password_reset.reset_path(issue_token(engine, email))
        passwords = (f"first phrase {round_}", f"second phrase {round_}")
        results = race(web, path, passwords)
        assert sorted(results.values()) == [303, 404], results
        winner = next(i for i, status in results.items() if status == 303)
        with new_browser(web) as check:
            assert login(check, email, passwords[winner]).status_code == 303


def race(web: httpx.Client, path: str, passwords: tuple[str, str]) -> dict[int, int]:
    """Two browsers submit the same link at the same moment; the status each got."""
    clients = [new_browser(web) for _ in passwords]
    tokens = [csrf(c, path) for c in clients]
    gate = threading.Barrier(len(clients))
    results: dict[int, int] = {}

    def submit(i: int) -> None:
        gate.wait()
        data = {"csrf_token": tokens[i], "password": passwords[i]}
        results[i] = clients[i].post(path, data=data).status_code

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for c in clients:
        c.close()
    return results


def test_an_admin_issues_a_link_shown_once_and_audited(web: httpx.Client, engine: Engine) -> None:
    admin_email = register(web, name="Ada Admin")
    admin_id = set_role(engine, admin_email, Role.admin)
    with new_browser(web) as trainee:
        email = register(trainee, name="Tom <Trainee>")
        target = user_id(engine, email)
        assert post(trainee, f"/admin/users/{target}/reset-link", {}, "/").status_code == 403
        page = web.get("/admin/users").text
        assert f'action="/admin/users/{target}/reset-link"' in page
        issued = post(web, f"/admin/users/{target}/reset-link", {}, page="/admin/users")
        assert issued.status_code == 201
        text = unescape(issued.text)
        assert "Reset link for Tom <Trainee>" in text and "&lt;Trainee&gt;" in issued.text
        link = re.search(r"(https?://[^\s\"<]+/password/reset/[^\s\"<]+)", text).group(1)
        assert "/password/reset/" not in web.get("/admin/users").text  # shown once
        path = "/password/reset/" + link.rsplit("/", 1)[1]
        assert set_password(trainee, path, NEW_PASSWORD).status_code == 303
    assert post(web, "/admin/users/999999/reset-link", {}, "/admin/users").status_code == 404
    with Session(engine) as db:
        (event,) = db.exec(
            select(AuditEvent).where(AuditEvent.action == "password_reset_issued")
        ).all()
        row = db.exec(select(PasswordReset)).one()
    assert (event.actor_id, event.actor_role, event.action, event.scope) == (
        admin_id,
        "admin",
        "password_reset_issued",
        f"user:{target}",
    )
    assert row.issued_by == admin_id and row.used_at is not None


def test_the_command_line_prints_a_working_link(
    web: httpx.Client,
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    email = register(web)
    monkeypatch.setenv("QI_DATABASE_URL", database_url)
    monkeypatch.setenv("QI_BASE_URL", "https://qi.example.org")
    get_settings.cache_clear()
    try:
        assert cli.main(["users", "reset-password", "--email", email.upper()]) == 0
        link = capsys.readouterr().out.strip()
        assert cli.main(["users", "reset-password", "--email", "nobody@example.org"]) == 1
        assert "No account" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    assert link.startswith("https://qi.example.org/password/reset/")
    path = link.removeprefix("https://qi.example.org")
    assert set_password(web, path, NEW_PASSWORD).status_code == 303
    with Session(engine) as db:
        event = db.exec(
            select(AuditEvent).where(AuditEvent.action == "password_reset_issued")
        ).one()
    assert (event.actor_id, event.actor_role, event.action) == (
        None,
        "cli",
        "password_reset_issued",
    )


def test_the_conditional_update_refuses_a_link_used_since_it_was_read(
    web: httpx.Client, engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race without luck: the second submit read the link as usable before the first
    committed; only the conditional UPDATE stands between it and a second reset."""
    email = register(web)
    token = issue_token(engine, email)
    with Session(engine) as db:
        stale = password_reset.usable(db, token)
    with Session(engine) as db:
        assert password_reset.reset(db, settings, token, "first phrase").user is not None
    monkeypatch.setattr(password_reset, "usable", lambda db, token: stale)
    with Session(engine) as db:
        assert password_reset.reset(db, settings, token, "second phrase").dead_link
    assert login(web, email, "first phrase").status_code == 303
