"""Absolute links, built in one place: certificates, QR codes, PDFs, invitations, exports and
password-reset emails.

With QI_BASE_URL set, links use it (a deployment behind a proxy that rewrites the address; it is
required in production, so an email's link never comes from a Host header the sender chose).
Without it, they use the address the request came to: its scheme and Host header as uvicorn
reports them, so `make run PORT=8123` links to :8123. uvicorn already applies X-Forwarded-Proto and
X-Forwarded-For from trusted proxies (FORWARDED_ALLOW_IPS); nothing here reads proxy headers.
"""

from __future__ import annotations

from fastapi import Request

from app.config import Settings


def site_url(request: Request) -> str:
    """The site's address without a trailing slash, e.g. "http://127.0.0.1:8123"."""
    configured = request.app.state.settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


def absolute_url(request: Request, path: str) -> str:
    """`path` ("/verify/QI-…") as a full URL on this site."""
    return f"{site_url(request)}/{path.lstrip('/')}"


def configured_url(settings: Settings, path: str) -> str:
    """For the command line, where there is no request: the full URL when QI_BASE_URL is set,
    else the path alone (the caller says to put the site's address in front)."""
    base = (settings.base_url or "").rstrip("/")
    return f"{base}/{path.lstrip('/')}" if base else path
