"""Load benchmark of the hot path: a signed-in learner's lesson page, against a bare endpoint.

wrk shares the two cores with the server, so the figure that matters is the ratio to /healthz
measured in the same run, not the absolute requests per second. Needs wrk (`apt-get install wrk`).
Run: .venv/bin/python bench/lesson_bench.py [--seconds 10] [--connections 64]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LESSON = "/modules/run-charts/the-four-rules"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int, connections: int, cookie: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QI_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "QI_PASSWORD_PROFILE": "test",
        }
        qiskills = str(ROOT / ".venv" / "bin" / "qiskills")
        subprocess.run([qiskills, "migrate"], env=env, check=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        uvicorn = str(ROOT / ".venv" / "bin" / "uvicorn")
        server = subprocess.Popen(
            [uvicorn, "app.main:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "2", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{base}/healthz")
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            with httpx.Client(base_url=base) as client:
                page = client.get("/register").text
                token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
                client.post(
                    "/register",
                    data={"csrf_token": token, "name": "Bench", "email": "bench@example.org",
                          "password": "bench password", "grade": "F1"},
                )  # fmt: skip
                cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            bare = wrk(f"{base}/healthz", args.seconds, args.connections, cookie)
            lesson = wrk(f"{base}{LESSON}", args.seconds, args.connections, cookie)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"/healthz (bare, one query)        {bare:9,.0f} req/s")
    print(f"lesson page, signed in            {lesson:9,.0f} req/s")
    print(f"ratio lesson / bare               {lesson / bare:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
