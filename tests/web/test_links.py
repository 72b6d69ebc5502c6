"""Absolute links follow the address the app is served on when QI_BASE_URL is not set."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app
from tests.conftest import CONTENT_DIR, _empty_learner_tables
from tests.live_server import serve
from tests.web.helpers import register
from tests.web.supervision_helpers import accept, invite_code, supervisor
from tests.web.test_certificates import issue, pdf_text


@pytest.fixture
def unset(database_url: str, engine: Engine) -> Iterator[tuple[str, Settings]]:
    """The app on a random port with no QI_BASE_URL, whatever the environment says."""
    settings = Settings(
        database_url=database_url, content_dir=CONTENT_DIR, password_profile="test", base_url=""
    )
    assert settings.base_url is None
    with serve(create_app(settings)) as url:
        yield url, settings
    _empty_learner_tables(engine)


def test_links_use_the_port_the_app_is_served_on(unset, engine: Engine) -> None:
    url, settings = unset
    port = int(url.rsplit(":", 1)[1])
    assert port != 8000
    with httpx.Client(base_url=url, timeout=10) as sup, httpx.Client(base_url=url) as trainee:
        supervisor(sup, engine)
        code = invite_code(sup)
        invite = unescape(sup.get("/supervise").text)
        email = register(trainee, name="Port Trainee")
        assert accept(trainee, code).status_code == 303
        cert_id = issue(engine, settings, email)
        verify = f"{url}/verify/{cert_id}"

        page = trainee.get(f"/certificates/{cert_id}").text
        assert f'href="{verify}"' in page
        qr = re.search(r"<svg [^>]*>", page).group(0)
        assert f"QR code that opens {verify}" in unescape(qr)
        assert verify in pdf_text(trainee.get(f"/certificates/{cert_id}.pdf").content)
        created = sup.post(
            "/supervise/invites",
            data={"csrf_token": re.search(r'name="csrf_token" value="(\w+)"', invite).group(1)},
        )
        assert re.search(rf"{re.escape(url)}/invite/[A-Z0-9-]+", created.text)

        rows = sup.get("/supervise/export?format=json").json()
        assert {r["certificate_url"] for r in rows if r["certificate_id"]} == {verify}
        statements = sup.get("/supervise/export?format=xapi").json()
        assert all(s["object"]["id"].startswith(f"{url}/modules/") for s in statements)
        own = trainee.get("/learning/record.json").json()
        assert any(r["certificate_url"] == verify for r in own)
        for text in (page, created.text, str(rows)):
            assert ":8000" not in text


def test_a_proxy_on_https_gets_https_links_and_secure_cookies(unset, engine: Engine) -> None:
    """uvicorn trusts X-Forwarded-Proto from loopback (FORWARDED_ALLOW_IPS): the scheme follows."""
    url, settings = unset
    https = {"X-Forwarded-Proto": "https"}
    with httpx.Client(base_url=url, timeout=10, headers=https) as browser:
        first = browser.get("/register")
        assert "; Secure" in first.headers["set-cookie"]
        assert "strict-transport-security" in first.headers
        plain = httpx.get(f"{url}/register")
        assert "; Secure" not in plain.headers["set-cookie"]
        assert "strict-transport-security" not in plain.headers
    with httpx.Client(base_url=url, timeout=10) as trainee:
        email = register(trainee)
        cert_id = issue(engine, settings, email)
        page = trainee.get(f"/certificates/{cert_id}", headers=https).text
        assert f'href="{url.replace("http://", "https://")}/verify/{cert_id}"' in page


def test_a_configured_base_url_wins(database_url: str, engine: Engine) -> None:
    settings = Settings(
        database_url=database_url,
        content_dir=CONTENT_DIR,
        password_profile="test",
        base_url="http://qi.example.org:9999/",
    )
    try:
        with serve(create_app(settings)) as url, httpx.Client(base_url=url) as trainee:
            email = register(trainee, name="Configured")
            cert_id = issue(engine, settings, email)
            page = trainee.get(f"/certificates/{cert_id}").text
            assert f'href="http://qi.example.org:9999/verify/{cert_id}"' in page
    finally:
        _empty_learner_tables(engine)
