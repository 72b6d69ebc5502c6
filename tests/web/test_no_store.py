"""Pages shown to a signed-in person are never stored by a browser cache or a proxy."""

from __future__ import annotations

import httpx

from tests.web.helpers import register


def test_signed_in_pages_are_no_store_and_public_ones_are_not(client: httpx.Client) -> None:
    assert "no-store" not in client.get("/modules").headers.get("cache-control", "")
    register(client)
    for path in ("/", "/account", "/learning", "/lab", "/lab/datasets", "/learning/certificates",
                 "/modules", "/learning/record.csv"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
    static = client.get("/static/css/qiskills.css")  # the same browser, a file for everyone
    assert static.headers["cache-control"] == "no-cache"
