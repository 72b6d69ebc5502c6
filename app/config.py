"""Settings: the one place configuration is read from (environment variables prefixed QI_)."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.security.signing import GENERATE_KEY, decode_seed
from app.services.mail import parse_smtp_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # nosec B105  # development only; production refuses it
# Values that must never reach production: the development default and obvious stand-ins.
PLACEHOLDER_SECRETS = frozenset({"", DEV_SECRET_KEY, "changeme", "change-me", "secret", "xxx"})
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    production = "production"


class ConfigError(RuntimeError):
    """Configuration that must stop start-up, with a message a deployer can act on."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QI_", extra="ignore")

    environment: Environment = Environment.development
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'qiskills.db'}"
    secret_key: str = DEV_SECRET_KEY
    content_dir: Path = PROJECT_ROOT / "content"
    # The public address for links; None: the address each request came to (services/links.py).
    base_url: str | None = None
    # A shift-length idle timeout suits shared ward computers; the absolute cap ends every session.
    session_idle_minutes: int = 12 * 60
    session_absolute_days: int = 7
    # "test" trades argon2 strength for speed in the suite; production always uses the defaults.
    password_profile: Literal["default", "test"] = "default"
    login_max_failures: int = 10  # per account in the window
    login_max_failures_per_address: int = 100  # a hospital's NAT address is many people
    login_backoff_after: int = 3  # failures by one account from one address before waits begin
    login_window_minutes: int = 15
    # A class registering together shares one NAT address: the limit is far above a cohort.
    registrations_per_address: int = 200  # per address in the window below
    registration_window_minutes: int = 60
    # Base64 32-byte Ed25519 seed that signs certificates; development derives one if empty.
    certificate_key: str = ""
    # Outgoing email (password resets): smtp[s]://user:pass@host:port?starttls=1. Empty: messages
    # are logged and written to mail_outbox_dir as .eml files instead (development).
    smtp_url: str = ""
    # Production refuses an http:// QI_BASE_URL unless this says the network is closed.
    allow_http: bool = False
    # /docs and /openapi.json (FastAPI's API explorer): off unless asked for.
    api_docs: bool = False
    mail_from: str = "QI Skills <no-reply@localhost>"
    mail_outbox_dir: Path = PROJECT_ROOT / "var" / "outbox"

    @field_validator("base_url")
    @classmethod
    def _blank_base_url_is_unset(cls, value: str | None) -> str | None:
        """An empty QI_BASE_URL means "not set"; a trailing slash is dropped."""
        if value is None:
            return None
        return value.strip().rstrip("/") or None

    @model_validator(mode="after")
    def _production_needs_a_real_secret(self) -> Settings:
        if self.environment is Environment.production and (
            self.secret_key.strip().lower() in PLACEHOLDER_SECRETS
            or len(self.secret_key) < MIN_SECRET_LENGTH
        ):
            raise ConfigError(
                "QI_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production, for example: "
                'python3 -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        if self.environment is Environment.production and self.password_profile != "default":  # nosec B105  # a hashing profile name
            raise ConfigError("QI_PASSWORD_PROFILE=test is for the test suite, never production")
        return self

    @model_validator(mode="after")
    def _certificates_need_a_signing_key(self) -> Settings:
        """A missing key in production, or a malformed one anywhere, would sign nothing usable."""
        how = f"Generate one with: {GENERATE_KEY}"
        if not self.certificate_key.strip():
            if self.environment is Environment.production:
                raise ConfigError(
                    "QI_CERTIFICATE_KEY must be set in production to a base64-encoded 32-byte "
                    f"Ed25519 private key. {how} (keep it secret and never change it: "
                    "certificates signed with one key do not verify with another)"
                )
            return self
        try:
            decode_seed(self.certificate_key)
        except ValueError as exc:  # the message never repeats the key itself
            raise ConfigError(
                f"QI_CERTIFICATE_KEY must be a base64-encoded 32-byte key ({exc}). {how}"
            ) from None
        return self

    @model_validator(mode="after")
    def _smtp_url_must_parse(self) -> Settings:
        """A malformed mail URL would only show when the first reset email fails: stop now."""
        if self.smtp_url.strip():
            try:
                parse_smtp_url(self.smtp_url)
            except ValueError as exc:  # never repeats the URL: it may hold a password
                raise ConfigError(f"QI_SMTP_URL is not usable: {exc}") from None
        return self

    @model_validator(mode="after")
    def _production_needs_a_base_url(self) -> Settings:
        """Reset emails are built from the site's address: in production it must never come from
        a Host header the requester chose (link poisoning)."""
        if self.environment is Environment.production and not self.base_url:
            raise ConfigError(
                "QI_BASE_URL must be set in production to the address people use, "
                "e.g. https://qi.example.nhs.uk"
            )
        if (
            self.environment is Environment.production
            and not self.base_url.startswith("https://")
            and not self.allow_http
        ):
            raise ConfigError(
                "QI_BASE_URL must be https:// in production (cookies and passwords travel over "
                "it); on a closed network without TLS set QI_ALLOW_HTTP=1"
            )
        return self

    @property
    def development_signing_key(self) -> bool:
        """No QI_CERTIFICATE_KEY: certificates are signed with a key derived from the secret, fit
        for development only; pages and PDFs say DEVELOPMENT so they cannot pass as real."""
        return not self.certificate_key.strip()

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.production

    def uses_https(self, scheme: str) -> bool:
        """Secure cookies and HSTS: QI_BASE_URL's scheme when set, else the request's own scheme."""
        return (self.base_url or f"{scheme}://").startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
