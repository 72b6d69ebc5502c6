"""A real SMTP server for the tests (aiosmtpd on a free loopback port) that keeps what it gets."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from urllib.parse import quote, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.live_server import free_port

USER, PASSWORD = "qi-mailer", "s3cret p@ss/word"  # needs percent-encoding in the URL
LINK = re.compile(r"https?://\S+/password/reset/\S+")


class Inbox:
    """Messages as received, and the logins the server accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(),
            auth_data.password.decode(),
        ) == (USER, PASSWORD)
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            assert time.monotonic() < deadline, f"{len(self.messages)} of {count} email(s) came"
            time.sleep(0.02)
        return list(self.messages)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.logins.clear()


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    """Yield the inbox and the QI_SMTP_URL that reaches it (with a login, over loopback)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=inbox.authenticate,
        auth_require_tls=False,  # loopback only; real servers take starttls=1 or smtps://
    )
    controller.start()
    try:
        yield inbox, f"smtp://{quote(USER)}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}?timeout=5"
    finally:
        controller.stop()


def reset_path(message: EmailMessage) -> str:
    """The path of the reset link in a message's text."""
    match = LINK.search(message.get_content())
    assert match, message.get_content()
    return urlsplit(match.group(0)).path
