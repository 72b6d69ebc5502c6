"""Outgoing email with the standard library: SMTP when QI_SMTP_URL is set, else var/outbox/.

QI_SMTP_URL forms (user and password percent-encoded, so an "@" in a password is written %40):
  smtp://host[:port]                        plain SMTP, port 25 by default (a local relay)
  smtp://user:pass@host:587?starttls=1      upgrade with STARTTLS before logging in; refuse if
                                            the server cannot
  smtps://user:pass@host[:465]              TLS from the first byte (implicit TLS)
  ...&timeout=20                            seconds to wait for the server (default 10)

Sending blocks for as long as the server takes, so callers run `deliver` outside the event loop
(routes are sync; the password-reset request sends from a background task after the response).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from app.config import Settings

logger = logging.getLogger("qiskills.mail")
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
YES, NO = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to send; `password` is never printed (see `describe`)."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str
    password: str
    timeout: float


def parse_smtp_url(url: str) -> SmtpTarget:
    """Read QI_SMTP_URL. Errors never repeat the URL, which may hold a password."""
    parts = urlsplit(url.strip())
    if parts.scheme not in DEFAULT_PORTS:
        raise ValueError("it must start with smtp:// or smtps://")
    if not parts.hostname:
        raise ValueError("it names no host, as in smtp://mail.example.org:587?starttls=1")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ValueError("its port is not a number from 1 to 65535") from None
    pairs = parse_qs(parts.query, keep_blank_values=True)
    query = {key: values[-1] for key, values in pairs.items()}
    unknown = set(query) - {"starttls", "timeout"}
    if unknown:  # a misspelt "starttls" must not silently send in the clear
        raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}: use starttls, timeout")
    starttls = query.get("starttls", "0").lower()
    if starttls not in YES | NO:
        raise ValueError("starttls must be 1 or 0")
    if parts.scheme == "smtps" and starttls in YES:
        raise ValueError("smtps:// is TLS already: leave out starttls=1")
    try:
        timeout = float(query.get("timeout", "10"))
    except ValueError:
        raise ValueError("timeout must be a number of seconds") from None
    if not 0 < timeout <= 300:
        raise ValueError("timeout must be between 0 and 300 seconds")
    return SmtpTarget(
        host=parts.hostname,
        port=port,
        implicit_tls=parts.scheme == "smtps",
        starttls=starttls in YES,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def describe(settings: Settings) -> str:
    """One line for start-up: where email goes (never the password)."""
    if not settings.smtp_url:
        return f"Email: not configured; messages are written to {settings.mail_outbox_dir}/"
    target = parse_smtp_url(settings.smtp_url)
    tls = "TLS" if target.implicit_tls else "STARTTLS" if target.starttls else "no TLS"
    return f"Email: sent through {target.host}:{target.port} ({tls}) from {settings.mail_from}"


def compose(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="qiskills")
    message.set_content(body)
    return message


def deliver(settings: Settings, message: EmailMessage) -> Path | None:
    """Send through SMTP, or write to the outbox; returns the .eml path in the outbox case."""
    if settings.smtp_url:
        _send(parse_smtp_url(settings.smtp_url), message)
        return None
    return _write_outbox(settings.mail_outbox_dir, message)


def _send(target: SmtpTarget, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if target.implicit_tls:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout, context=context
        )
    else:
        smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout)
    with smtp:
        if target.starttls:
            smtp.starttls(context=context)  # raises if the server does not offer it
        if target.username:
            smtp.login(target.username, target.password)
        smtp.send_message(message)


def _write_outbox(outbox: Path, message: EmailMessage) -> Path:
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"{stamp}-{secrets.token_hex(4)}.eml"
    path.write_bytes(message.as_bytes())
    # WARNING, so it shows without any logging set-up: the message was not really sent.
    logger.warning(
        "Email not sent (QI_SMTP_URL is not set); written to %s\nTo: %s\nSubject: %s\n\n%s",
        path,
        message["To"],
        message["Subject"],
        message.get_content(),
    )
    return path
