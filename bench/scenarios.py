"""What `make bench` measures, each against a running server. Figures only; nothing asserted."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

import httpx
from sqlalchemy import Engine, select
from sqlmodel import col

from app.catalog import Catalog
from app.models import Attempt, User
from bench.harness import (
    Figures,
    MemoryPeak,
    Server,
    cookie_header,
    csrf,
    percentile,
    rss_mib,
    wrk,
)
from bench.seeding import PASSWORD


def first_question(catalog: Catalog) -> tuple[str, str, str]:
    """(lesson URL, question id, an option key) of the first single-choice question."""
    for module in catalog.modules:
        for lesson in module.lessons:
            for question in lesson.questions:
                if question.type == "single":
                    url = f"/modules/{module.slug}/{lesson.slug}"
                    return url, question.id, question.options[0].key
    raise RuntimeError("no single-choice question in the content")


def sign_in(client: httpx.Client, email: str) -> httpx.Response:
    token = csrf(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})


def signed_in_client(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    response = sign_in(client, email)
    if response.status_code != 303:
        raise RuntimeError(f"sign-in for {email}: {response.status_code}")
    return client


ANSWER_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  counter = 0
end
function request()
  counter = counter + 1
  local key = string.format("%s-%02d-%012d", RUN, tid, counter)
  return wrk.format(nil, nil, nil, BODY .. key)
end
"""


def answer_post(server: Server, client: httpx.Client, lesson: str, qid: str, key: str,
                seconds: int, connections: int) -> Figures:  # fmt: skip
    """Answer POSTs as fast as they come, each with a fresh form key (so each is stored)."""
    token = csrf(client, lesson)
    body = f"csrf_token={token}&answer={key}&form_key="
    lua = ANSWER_LUA.replace("RUN", f'"{uuid.uuid4().hex[:8]}"').replace("BODY", f'"{body}"')
    url = f"{server.url}{lesson}/questions/{qid}"
    return wrk(url, seconds, connections, {"Cookie": cookie_header(client)}, lua)


@dataclass
class LoadResult:
    errors: int = 0
    confirmed: set[str] = field(default_factory=set)
    latencies: list[float] = field(default_factory=list)


def _one_learner(
    base: str, email: str, lesson: str, qid: str, key: str, answers: int
) -> LoadResult:
    result = LoadResult()
    try:
        client = signed_in_client(base, email)
        token = csrf(client, lesson)
    except (httpx.HTTPError, RuntimeError):
        result.errors += 1
        return result
    try:
        for _ in range(answers):
            form_key = uuid.uuid4().hex
            start = time.perf_counter()
            try:
                response = client.post(
                    f"{lesson}/questions/{qid}",
                    data={"csrf_token": token, "answer": key, "form_key": form_key},
                    headers={"HX-Request": "true"},
                )
            except httpx.HTTPError:
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - start)
            if response.status_code == 200:
                result.confirmed.add(form_key)
            else:
                result.errors += 1
    finally:
        client.close()
    return result


def _load_process(args: tuple[str, list[str], str, str, str, int]) -> LoadResult:
    base, emails, lesson, qid, key, answers = args
    total = LoadResult()
    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        for part in pool.map(lambda e: _one_learner(base, e, lesson, qid, key, answers), emails):
            total.errors += part.errors
            total.confirmed |= part.confirmed
            total.latencies += part.latencies
    return total


class HealthProbe:
    """Asks /healthz every 50 ms while the block runs and keeps each latency."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.latencies: list[float] = []
        self.failures = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while not self._stop.is_set():
                start = time.perf_counter()
                try:
                    ok = client.get("/healthz").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.latencies.append(time.perf_counter() - start)
                self.failures += 0 if ok else 1
                time.sleep(0.05)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class LoadReport:
    errors: int
    confirmed: int
    stored: int
    lost: int
    unconfirmed_stored: int
    p95_ms: float
    health_p99_ms: float
    health_failures: int


def load_run(server: Server, engine: Engine, catalog: Catalog, emails: list[str],
             processes: int, answers: int) -> LoadReport:  # fmt: skip
    """`processes` x len(emails)/processes clients, each its own learner, `answers` each."""
    lesson, qid, key = first_question(catalog)
    per = len(emails) // processes
    jobs = [
        (server.url, emails[i * per : (i + 1) * per], lesson, qid, key, answers)
        for i in range(processes)
    ]
    with HealthProbe(server.url) as probe, get_context("spawn").Pool(processes) as pool:
        parts = pool.map(_load_process, jobs)
    confirmed: set[str] = set().union(*(p.confirmed for p in parts))
    latencies = [t for p in parts for t in p.latencies]
    with engine.connect() as conn:
        query = (
            select(Attempt.form_key)
            .join(User, User.id == Attempt.user_id)
            .where(col(User.email).in_(emails))
        )
        stored = set(conn.execute(query).scalars())
    return LoadReport(
        errors=sum(p.errors for p in parts),
        confirmed=len(confirmed),
        stored=len(stored),
        lost=len(confirmed - stored),
        unconfirmed_stored=len(stored - confirmed),
        p95_ms=percentile(latencies, 0.95) * 1000,
        health_p99_ms=percentile(probe.latencies, 0.99) * 1000,
        health_failures=probe.failures,
    )


@dataclass
class SignInReport:
    errors: int
    p99_ms: float
    peak_mib: float
    idle_mib: float


def sign_in_rush(server: Server, emails: list[str]) -> SignInReport:
    """Everyone presses "Sign in" at the same moment (each with a token fetched first)."""
    clients = [httpx.Client(base_url=server.url, timeout=120) for _ in emails]
    tokens = [csrf(c, "/login") for c in clients]
    barrier = threading.Barrier(len(emails))
    idle = rss_mib(server.pids())

    def press(i: int) -> tuple[bool, float]:
        barrier.wait()
        start = time.perf_counter()
        try:
            response = clients[i].post(
                "/login", data={"csrf_token": tokens[i], "email": emails[i], "password": PASSWORD}
            )
            ok = response.status_code == 303
        except httpx.HTTPError:
            ok = False
        return ok, time.perf_counter() - start

    with MemoryPeak(server) as memory, ThreadPoolExecutor(max_workers=len(emails)) as pool:
        results = list(pool.map(press, range(len(emails))))
    for client in clients:
        client.close()
    return SignInReport(
        errors=sum(1 for ok, _ in results if not ok),
        p99_ms=percentile([t for _, t in results], 0.99) * 1000,
        peak_mib=memory.peak,
        idle_mib=idle,
    )


def export_rows_per_second(client: httpx.Client, scope: str) -> tuple[int, float]:
    start = time.perf_counter()
    rows = 0
    with client.stream("GET", "/supervise/export", params={"format": "csv", "scope": scope}) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            rows += 1 if line else 0
    elapsed = time.perf_counter() - start
    return rows - 1, (rows - 1) / elapsed  # less the header row
