"""Absolute links for emails, invitations and pages: built in this one place.

Today the base is `settings.base_url` (QI_BASE_URL); when the base comes from the request instead,
only this function changes.
"""

from __future__ import annotations

from app.config import Settings


def absolute_url(settings: Settings, path: str) -> str:
    """`path` (starting with "/") on this site, as a full URL to send to someone."""
    return f"{settings.base_url.rstrip('/')}{path}"
