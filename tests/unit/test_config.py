"""Settings: development needs nothing; production refuses a missing or placeholder secret."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest

from app.config import DEV_SECRET_KEY, ConfigError, Environment, Settings


def test_development_needs_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QI_ENVIRONMENT", "QI_SECRET_KEY", "QI_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.environment is Environment.development
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/qiskills.db")


@pytest.mark.parametrize("secret", ["", DEV_SECRET_KEY, "changeme", "short-but-random"])
def test_production_refuses_a_missing_or_placeholder_secret(secret: str) -> None:
    with pytest.raises(ConfigError, match="QI_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_a_real_secret() -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    settings = Settings(
        environment="production",
        secret_key="x7" * 24,
        certificate_key=key,
        base_url="https://qi.example.nhs.uk",
    )
    assert settings.is_production


def test_production_refuses_to_build_links_from_the_host_header() -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    with pytest.raises(ConfigError, match="QI_BASE_URL"):
        Settings(environment="production", secret_key="x7" * 24, certificate_key=key)


def test_settings_come_from_qi_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QI_BASE_URL", "https://qi.example.org")
    settings = Settings()
    assert settings.base_url == "https://qi.example.org"
    assert settings.uses_https("http")  # the configured address decides, whatever the request


def test_without_a_base_url_links_and_https_follow_the_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("QI_BASE_URL", raising=False)
    assert Settings().base_url is None
    assert Settings(base_url=" ").base_url is None
    assert Settings(base_url="http://qi.example.org/").base_url == "http://qi.example.org"
    settings = Settings()
    assert settings.uses_https("https") and not settings.uses_https("http")


def test_production_start_up_without_a_secret_stops_with_a_clear_message() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve"],
        env={"QI_ENVIRONMENT": "production", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "QI_SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_http_base_url_unless_the_network_is_closed() -> None:
    key = base64.b64encode(bytes(range(32))).decode()
    real = {"environment": "production", "secret_key": "x7" * 24, "certificate_key": key}
    with pytest.raises(ConfigError, match="https"):
        Settings(**real, base_url="http://qi.trust.local")
    assert Settings(**real, base_url="http://qi.trust.local", allow_http=True).allow_http


def test_the_api_explorer_is_off_unless_asked_for(tmp_path) -> None:  # type: ignore[no-untyped-def]

    from app.main import create_app
    from tests.conftest import CONTENT_DIR

    url = f"sqlite:///{tmp_path / 'docs.db'}"
    closed = create_app(Settings(database_url=url, content_dir=CONTENT_DIR))
    opened = create_app(Settings(database_url=url, content_dir=CONTENT_DIR, api_docs=True))
    assert closed.docs_url is None and closed.openapi_url is None
    assert opened.docs_url == "/docs" and opened.openapi_url == "/openapi.json"
