"""Absolute links, built in one place: certificates, QR codes, PDFs, invitations and exports.

With QI_BASE_URL set, links use it (a deployment behind a proxy that rewrites the address).
Without it, they use the address the request came to: its scheme and Host header as uvicorn
reports them, so `make run PORT=8123` links to :8123. uvicorn already applies X-Forwarded-Proto and
X-Forwarded-For from trusted proxies (FORWARDED_ALLOW_IPS); nothing here reads proxy headers.
Production should set QI_BASE_URL: a link that leaves the page (an email) must not depend on a
Host header the sender chose.
"""

from __future__ import annotations

from fastapi import Request


def site_url(request: Request) -> str:
    """The site's address without a trailing slash, e.g. "http://127.0.0.1:8123"."""
    configured = request.app.state.settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


def absolute_url(request: Request, path: str) -> str:
    """`path` ("/verify/QI-…") as a full URL on this site."""
    return f"{site_url(request)}/{path.lstrip('/')}"
