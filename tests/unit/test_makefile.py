"""`make run` serves where it is told and stops at once, before installing, on a busy port."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def test_port_free_names_the_busy_port_and_a_free_one(busy_port: int) -> None:
    result = make("port-free", f"PORT={busy_port}")
    assert result.returncode != 0
    assert f"Port {busy_port} is in use" in result.stderr
    assert "try make run PORT=" in result.stderr


def test_port_free_passes_on_a_free_port() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert make("port-free", f"PORT={port}").returncode == 0


def test_run_checks_the_port_before_installing_anything(busy_port: int, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    result = make("run", f"PORT={busy_port}", f"VENV={venv}")
    assert result.returncode != 0
    assert f"Port {busy_port} is in use" in result.stderr
    assert not venv.exists()  # it stopped before creating the virtual environment


def test_run_serves_on_host_and_port() -> None:
    dry = make("-n", "run", "HOST=0.0.0.0", "PORT=8123", "VENV=/nonexistent/venv").stdout
    assert "serve --host 0.0.0.0 --port 8123" in dry
