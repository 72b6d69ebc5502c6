"""A lesson page stays light: HTML, CSS and JS under 40 KB compressed, as a phone downloads it on
a first visit, the service worker (/sw.js, which qiskills.js registers) included."""

from __future__ import annotations

import re

import httpx

from app.catalog import load_catalog
from tests.conftest import CONTENT_DIR
from tests.web.helpers import register

BUDGET = 40 * 1024


def compressed_size(client: httpx.Client, url: str) -> int:
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200, url
        raw = b"".join(response.iter_raw())
        assert response.headers.get("content-encoding") == "gzip", url
        return len(raw)


def test_every_lesson_page_is_under_40_kb_compressed(client: httpx.Client) -> None:
    register(client)  # a signed-in page carries the most markup
    for module in load_catalog(CONTENT_DIR).modules:
        for lesson in module.lessons:
            url = f"/modules/{module.slug}/{lesson.slug}"
            html = client.get(url).text
            assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"', html)
            assert any(".css" in a for a in assets) and any(".js" in a for a in assets)
            assets.append("/sw.js")
            total = compressed_size(client, url) + sum(compressed_size(client, a) for a in assets)
            assert total < BUDGET, f"{url}: {total} bytes compressed"
