"""Request helpers shared by the routers."""

from __future__ import annotations

from fastapi import Request

from app.catalog import Catalog


def wants_fragment(request: Request) -> bool:
    """True for an HTMX swap; boosted navigation and history restores need whole pages."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def get_catalog(request: Request) -> Catalog:
    return request.app.state.catalog
