"""Bench plumbing: start servers, drive wrk, sample memory, act as a signed-in learner."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine

from app.db import make_engine
from app.migrate import upgrade
from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@dataclass
class BenchDatabase:
    url: str
    engine: Engine
    env: dict[str, str]  # for server processes: this database, real argon2id costs


def bench_database(stack: ExitStack, postgres: bool, hint: str) -> BenchDatabase:
    """A fresh, migrated database for one bench run, dropped when `stack` closes. PostgreSQL
    needs the throwaway server the Makefile starts (QI_TEST_DATABASE_URL); `hint` says how."""
    if postgres and not os.environ.get("QI_TEST_DATABASE_URL"):
        sys.exit(f"PostgreSQL needs a server: run `{hint}`")
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    url = stack.enter_context(fresh_database("postgresql" if postgres else "sqlite", tmp))
    upgrade(url)
    engine = make_engine(url)
    stack.callback(engine.dispose)
    env = {**os.environ, "QI_DATABASE_URL": url, "QI_ENVIRONMENT": "development"}
    env["QI_REGISTRATIONS_PER_ADDRESS"] = "1000000"  # a benchmark's cohort all comes from 127.0.0.1
    env.pop("QI_PASSWORD_PROFILE", None)  # real argon2id costs, as in production
    return BenchDatabase(url, engine, env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def pids(self) -> list[int]:
        """The server and its worker processes."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = [self.process.pid]
        if children.exists():
            found += [int(p) for p in children.read_text().split()]
        return found


@contextmanager
def serve(command: list[str], env: dict[str, str], workers: int) -> Iterator[Server]:
    """Run `command --port P --workers N` until the block ends; wait until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {command}") from None
                time.sleep(0.1)
        yield Server(url, process)
    finally:
        process.terminate()
        process.wait(timeout=20)


def app_server(env: dict[str, str], workers: int) -> Iterator[Server]:
    return serve([str(BIN / "qiskills"), "serve", "--log-level", "warning"], env, workers)


def bare_server(env: dict[str, str], workers: int) -> Iterator[Server]:
    uvicorn = [str(BIN / "uvicorn"), "bench.bare_app:app", "--log-level", "warning"]
    return serve(uvicorn, env, workers)


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int

    def ratio(self, bare: Figures) -> float:
        return self.rps / bare.rps if bare.rps else 0.0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    lua: str | None = None,
) -> Figures:
    """One wrk run with latency percentiles; `lua` is a script body (e.g. for POSTs)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua or "")
    if lua:
        command += ["-s", script.name]
    try:
        out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Figures(rps, p50, p99, errors)


def need_wrk() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


class MemoryPeak:
    """Samples the server processes' resident memory every 20 ms while the block runs."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.server.pids()))
            time.sleep(0.02)

    def __enter__(self) -> MemoryPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def csrf(client: httpx.Client, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    if not match:
        raise RuntimeError(f"no csrf_token on {path}")
    return match.group(1)


def register(client: httpx.Client, email: str, password: str, name: str = "Bench Learner") -> None:
    data = {"name": name, "email": email, "password": password, "grade": "F1"}
    response = client.post("/register", data={"csrf_token": csrf(client, "/register"), **data})
    if response.status_code != 303:
        raise RuntimeError(f"register {email}: {response.status_code}")


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
