"""Email settings and the development outbox: QI_SMTP_URL's forms, and where mail goes unset."""

from __future__ import annotations

import logging
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import uvicorn

from app import cli
from app.config import ConfigError, Settings, get_settings
from app.services import mail
from tests.conftest import CONTENT_DIR
from tests.web.smtp import smtp_server


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay.local", ("relay.local", 25, False, False, "", "")),
        (
            "smtp://user%40trust:p%40ss%2Fw@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, False, True, "user@trust", "p@ss/w"),
        ),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, True, False, "u", "p")),
    ],
)
def test_the_url_forms(url: str, expected: tuple) -> None:
    target = mail.parse_smtp_url(url)
    got = (
        target.host,
        target.port,
        target.implicit_tls,
        target.starttls,
        target.username,
        target.password,
    )
    assert got == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://mail.example.org", "smtp:// or smtps://"),
        ("smtp://:hunter2@", "names no host"),
        ("smtp://u:hunter2@mail.example.org:99999", "port"),
        ("smtp://u:hunter2@mail.example.org?startls=1", "unknown option(s) startls"),
        ("smtp://u:hunter2@mail.example.org?starttls=maybe", "starttls must be 1 or 0"),
        ("smtps://u:hunter2@mail.example.org?starttls=1", "TLS already"),
        ("smtp://u:hunter2@mail.example.org?timeout=soon", "timeout"),
    ],
)
def test_a_bad_url_stops_start_up_without_printing_the_password(url: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings(smtp_url=url)
    assert reason in str(caught.value) and "hunter2" not in str(caught.value)


def test_without_smtp_messages_go_to_the_outbox_and_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(mail_outbox_dir=tmp_path / "outbox")
    assert mail.describe(settings) == (
        f"Email: not configured; messages are written to {tmp_path / 'outbox'}/"
    )
    message = mail.compose(settings, "a@example.org", "Hello", "Open https://x.example/p")
    with caplog.at_level(logging.WARNING, logger="qiskills.mail"):
        path = mail.deliver(settings, message)
    assert path is not None and path.parent == tmp_path / "outbox" and path.suffix == ".eml"
    stored = message_from_bytes(path.read_bytes(), policy=default)
    assert stored["To"] == "a@example.org" and stored["Subject"] == "Hello"
    assert "https://x.example/p" in stored.get_content()
    assert "https://x.example/p" in caplog.text and str(path) in caplog.text


def test_with_smtp_messages_reach_the_server_and_nothing_is_written(tmp_path: Path) -> None:
    with smtp_server() as (inbox, url):
        settings = Settings(smtp_url=url, mail_outbox_dir=tmp_path / "outbox")
        assert mail.describe(settings).startswith("Email: sent through 127.0.0.1:")
        assert "s3cret" not in mail.describe(settings)
        sent = mail.compose(settings, "b@example.org", "Hi", "Body text")
        assert mail.deliver(settings, sent) is None
        (received,) = inbox.wait_for(1)
    assert received["To"] == "b@example.org" and received.get_content().strip() == "Body text"
    assert not (tmp_path / "outbox").exists()


def test_serve_says_where_email_goes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("QI_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("QI_CONTENT_DIR", str(CONTENT_DIR))
    monkeypatch.delenv("QI_SMTP_URL", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    get_settings.cache_clear()
    try:
        assert cli.main(["serve"]) == 0
    finally:
        get_settings.cache_clear()
    assert "Email: not configured; messages are written to " in capsys.readouterr().out
