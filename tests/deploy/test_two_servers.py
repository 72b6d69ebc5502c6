"""Two app processes on two ports, one PostgreSQL: nothing that matters lives in a process.

Sessions, CSRF tokens and throttling are in the database or derived from the shared secret, so a
learner can be sent to either server by a proxy. Each server here is a real `qiskills serve`
process, not a second app object in the test's own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from app.config import PROJECT_ROOT
from app.migrate import upgrade
from tests.databases import fresh_database
from tests.live_server import free_port
from tests.web.helpers import csrf, register

SECRET = "a-shared-secret-for-both-servers-0123456789"


@contextmanager
def qiskills_serve(database_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "QI_DATABASE_URL": database_url,
        "QI_SECRET_KEY": SECRET,
        "QI_PASSWORD_PROFILE": "test",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen([*command, "--log-level", "warning"], env=env, cwd=PROJECT_ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"qiskills serve on port {port} did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.postgres
def test_a_session_made_on_one_server_works_on_the_other_and_ends_on_both(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        url = stack.enter_context(fresh_database("postgresql", tmp_path))
        upgrade(url)
        first = stack.enter_context(qiskills_serve(url))
        second = stack.enter_context(qiskills_serve(url))
        browser = stack.enter_context(httpx.Client(base_url=first, timeout=10))
        register(browser)
        cookies = dict(browser.cookies.items())
        other = stack.enter_context(httpx.Client(base_url=second, timeout=10, cookies=cookies))
        assert "Sign out" in other.get("/learning").text  # signed in on the second server

        # A form token issued by one server is accepted by the other.
        token = csrf(browser, "/account")
        response = other.post("/logout", data={"csrf_token": token})
        assert response.status_code == 303

        for server in (first, second):  # the old cookie is signed out everywhere
            page = httpx.get(f"{server}/learning", cookies=cookies, timeout=10)
            assert page.status_code == 303
            assert page.headers["location"].startswith("/login")
