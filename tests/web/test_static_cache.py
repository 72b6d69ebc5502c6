"""Static files: hashed URLs cached for a year, compressed; a bare path is revalidated."""

from __future__ import annotations

import re

import httpx

from app.static_files import IMMUTABLE, REVALIDATE


def test_pages_link_hashed_static_urls_that_are_immutable(client: httpx.Client) -> None:
    html = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[0-9a-f]{10}/[^"]+)"', html)
    assert len(assets) == 4, assets  # the stylesheet, htmx, our script and the manifest
    for url in assets:
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers.get("content-encoding") == "gzip"


def test_an_unversioned_or_stale_path_is_revalidated_not_cached(client: httpx.Client) -> None:
    plain = client.get("/static/css/qiskills.css")
    assert plain.status_code == 200
    assert plain.headers["cache-control"] == REVALIDATE
    stale = client.get("/static/0000000000/css/qiskills.css")
    assert stale.status_code == 404
