"""`make bench-crash`: SIGKILL the server again and again during an answer load; nothing is lost.

A real `qiskills serve` (its whole process group) is killed with SIGKILL at a random moment while
several signed-in learners post answers, then restarted on the same database. After every kill
the database is checked (SQLite: `PRAGMA integrity_check` and `foreign_key_check`; both
backends: every answer has its lesson's progress row, which the same transaction writes). At the
end every answer that got a 2xx must be stored with its learner, question and answer.

A learner whose post got no reply (the kill) sends the same form again, with the same form_key,
once the server is back, as a browser retry would: the form_key keeps it to one row.

    .venv/bin/python -m bench.crash_safety [--backend sqlite|postgresql] [--kills 20] [--workers 2]

tests/deploy/test_crash_safety.py runs the same check in CI (fewer kills).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

import httpx
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import DBAPIError

from app.catalog import Catalog, load_catalog
from app.db import make_engine
from app.migrate import upgrade
from bench.harness import ROOT, csrf, free_port
from bench.scenarios import signed_in_client
from bench.seeding import add_users
from tests.databases import BACKENDS, fresh_database

SECRET = "crash-safety-secret-the-same-for-every-restart-0123456789"


@dataclass(frozen=True)
class Question:
    lesson: str  # the lesson's URL
    id: str
    keys: tuple[str, ...]  # its option keys

    @property
    def url(self) -> str:
        return f"{self.lesson}/questions/{self.id}"


@dataclass(frozen=True)
class Answer:
    email: str
    question_id: str
    answer: str


def single_choice_questions(catalog: Catalog, limit: int = 8) -> list[Question]:
    """The first few single-choice questions of the course (their stored answer is the key)."""
    found = [
        Question(f"/modules/{m.slug}/{lesson.slug}", q.id, tuple(o.key for o in q.options))
        for m in catalog.modules
        for lesson in m.lessons
        for q in lesson.questions
        if q.type == "single"
    ]
    if not found:
        raise RuntimeError("no single-choice question in the content")
    return found[:limit]


@dataclass
class Ledger:
    """What the learners sent and what the server confirmed, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    posts: int = 0  # requests sent, retries included
    forms: int = 0  # distinct answers (form_keys)
    confirmed: dict[str, Answer] = field(default_factory=dict)  # form_key -> what was sent
    cut_off: dict[str, Answer] = field(default_factory=dict)  # sent, and a kill cut the reply off
    refused: int = 0  # a reply that was not 2xx


class Learner(threading.Thread):
    """Posts answers with fresh form_keys until stopped; retries a post the kill cut off."""

    def __init__(self, client: httpx.Client, email: str, questions: list[Question],
                 ledger: Ledger, stop: threading.Event, seed: int) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.client, self.email, self.questions = client, email, questions
        self.ledger, self.stop, self.rng = ledger, stop, random.Random(seed)
        self.tokens = {q.lesson: csrf(client, q.lesson) for q in questions}

    def run(self) -> None:
        pending: tuple[str, Question, str] | None = None
        while not self.stop.is_set():
            if pending is None:
                question = self.rng.choice(self.questions)
                pending = (uuid.uuid4().hex, question, self.rng.choice(question.keys))
                with self.ledger.lock:
                    self.ledger.forms += 1
            form_key, question, key = pending
            sent = Answer(self.email, question.id, key)
            try:
                response = self.client.post(
                    question.url,
                    data={"csrf_token": self.tokens[question.lesson], "answer": key,
                          "form_key": form_key},
                    headers={"HX-Request": "true"},
                )  # fmt: skip
            except httpx.ConnectError:  # the server is not back yet: nothing was sent
                time.sleep(0.05)
                continue
            except httpx.HTTPError:  # sent, and the server died before it replied
                with self.ledger.lock:
                    self.ledger.posts += 1
                    self.ledger.cut_off[form_key] = sent
                continue
            with self.ledger.lock:
                self.ledger.posts += 1
                if response.is_success:
                    self.ledger.confirmed[form_key] = sent
                else:
                    self.ledger.refused += 1
            pending = None


@contextmanager
def server_process(env: dict[str, str], port: int, workers: int) -> Iterator[subprocess.Popen]:
    """`qiskills serve` in its own process group, answering /healthz; killed if still alive."""
    command = [sys.executable, "-m", "app.cli", "serve", "--log-level", "error",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120  # two workers on two busy cores can take 40 s
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"qiskills serve did not start (exit {process.poll()})")
            time.sleep(0.05)
        yield process
    finally:
        kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the server and its workers at once: no shutdown handler runs anywhere."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def database_problems(engine: Engine, url: str) -> list[str]:
    """What is wrong with the database after a kill; [] when nothing is."""
    parsed = make_url(url)
    try:
        problems = (
            sqlite_problems(str(parsed.database)) if parsed.get_backend_name() == "sqlite" else []
        )
        with engine.connect() as conn:
            # record_attempt writes the answer and its lesson's progress row in one transaction.
            orphans = conn.execute(
                text(
                    "SELECT count(*) FROM attempt a WHERE NOT EXISTS (SELECT 1 FROM"
                    " lesson_progress p WHERE p.user_id = a.user_id"
                    " AND p.module_slug = a.module_slug AND p.lesson_slug = a.lesson_slug)"
                )
            ).scalar_one()
    except (sqlite3.DatabaseError, DBAPIError) as exc:  # e.g. "disk image is malformed"
        return [f"unreadable: {exc}"]
    return problems + ([f"{orphans} answers without their progress row"] if orphans else [])


def sqlite_problems(path: str) -> list[str]:
    """integrity_check and foreign_key_check, on a plain connection of its own, as a restarted
    server opens the file after a kill (recovering the WAL)."""
    conn = sqlite3.connect(path)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    problems = [f"integrity_check: {line}" for line in result[:5]] if result != ["ok"] else []
    return problems + [f"foreign_key_check: {row}" for row in foreign[:5]]


def stored_answers(engine: Engine) -> dict[str, Answer]:
    """Every attempt row, by form_key (unique per learner, and these are fresh uuids)."""
    query = text(
        "SELECT a.form_key, u.email, a.question_id, a.answer FROM attempt a"
        " JOIN app_user u ON u.id = a.user_id"
    )
    with engine.connect() as conn:
        return {key: Answer(email, qid, answer) for key, email, qid, answer in conn.execute(query)}


@dataclass
class CrashReport:
    backend: str
    kills: int
    posts: int  # requests sent, retries included
    answers: int  # distinct answers sent (form_keys)
    cut_off: int  # answers whose reply a kill cut off (each then retried, same form_key)
    confirmed: int  # answers that got a 2xx
    stored: int  # attempt rows
    lost: int  # confirmed, not stored
    altered: int  # confirmed, stored with another learner, question or answer
    unconfirmed_stored: int  # stored, never confirmed (a learner stopped before its retry)
    committed_unreplied: int  # cut off, yet stored before the kill (the retry stored nothing)
    refused: int  # replies that were not 2xx
    problems: list[str]  # from database_problems after each kill
    restart_s: float  # median time from restart to the first /healthz
    seconds: float

    @property
    def integrity(self) -> str:
        return "ok" if not self.problems else f"{len(self.problems)} problems"

    @property
    def ok(self) -> bool:
        return not (self.lost or self.altered or self.problems or self.refused)

    def lines(self) -> list[str]:
        return [
            f"crash safety on {self.backend}: {self.kills} kills in {self.seconds:.0f} s"
            f" (restart to first /healthz: median {self.restart_s:.1f} s)",
            f"answers sent {self.answers} ({self.posts} posts, {self.cut_off} cut off by a kill"
            " and sent again),"
            f" 2xx {self.confirmed}, stored {self.stored}, lost {self.lost},"
            f" altered {self.altered}, stored but never confirmed {self.unconfirmed_stored},"
            f" non-2xx {self.refused}",
            f"cut off by a kill yet committed before it: {self.committed_unreplied}"
            " (their retry found the row by its form_key and stored no second one)",
            f"integrity after every kill: {self.integrity}",
            *self.problems[:10],
        ]


def run(database_url: str, kills: int, clients: int, workers: int,
        max_delay: float = 1.0, seed: int = 13) -> CrashReport:  # fmt: skip
    """Kill and restart the server `kills` times under load on a migrated, empty database."""
    started = time.monotonic()
    rng = random.Random(seed)
    questions = single_choice_questions(load_catalog(ROOT / "content"))
    backend = make_url(database_url).get_backend_name()
    engine = make_engine(database_url)
    env = {
        **os.environ,
        "QI_DATABASE_URL": database_url,
        "QI_ENVIRONMENT": "development",
        "QI_SECRET_KEY": SECRET,  # fixed: form tokens and sessions outlive each restart
        "QI_PASSWORD_PROFILE": "test",
        "PYTHONPATH": str(ROOT),
    }
    add_users(engine, "crash", clients)
    emails = [f"crash{i}@bench.example.nhs.uk" for i in range(clients)]
    port = free_port()
    ledger, stop = Ledger(), threading.Event()
    problems: list[str] = []
    restarts: list[float] = []
    learners: list[Learner] = []
    seen: set[str] = set()  # cut-off form_keys already looked up
    committed_unreplied = 0
    try:
        for life in range(kills + 1):
            begun = time.monotonic()
            with server_process(env, port, workers) as process:
                restarts.append(time.monotonic() - begun)
                if not learners:  # sessions live in the database: they outlive every kill
                    base = f"http://127.0.0.1:{port}"
                    learners = [
                        Learner(signed_in_client(base, email), email, questions, ledger, stop, i)
                        for i, email in enumerate(emails)
                    ]
                    for learner in learners:
                        learner.start()
                if life == kills:  # the last life: let the retries through, then stop
                    time.sleep(1.0)
                    stop.set()
                    for learner in learners:
                        learner.join(timeout=30)
                    break
                with ledger.lock:
                    before = len(ledger.confirmed)
                deadline = time.monotonic() + 30
                while len(ledger.confirmed) < before + clients and time.monotonic() < deadline:
                    time.sleep(0.01)  # under load: some answers through since the restart
                time.sleep(rng.uniform(0, max_delay))
                kill(process)
            problems += [
                f"after kill {life + 1}: {p}" for p in database_problems(engine, database_url)
            ]
            with ledger.lock:
                fresh = set(ledger.cut_off) - seen
            seen |= fresh
            committed_unreplied += len(fresh & set(stored_answers(engine)))
        problems += [f"at the end: {p}" for p in database_problems(engine, database_url)]
    finally:
        stop.set()
        for learner in learners:
            learner.client.close()
    stored = stored_answers(engine)
    engine.dispose()
    confirmed = ledger.confirmed
    return CrashReport(
        backend="SQLite" if backend == "sqlite" else "PostgreSQL",
        kills=kills,
        posts=ledger.posts,
        answers=ledger.forms,
        cut_off=len(ledger.cut_off),
        confirmed=len(confirmed),
        stored=len(stored),
        lost=sum(1 for key in confirmed if key not in stored),
        altered=sum(1 for key, sent in confirmed.items() if stored.get(key, sent) != sent),
        unconfirmed_stored=sum(1 for key in stored if key not in confirmed),
        committed_unreplied=committed_unreplied,
        refused=ledger.refused,
        problems=problems,
        restart_s=median(restarts),
        seconds=time.monotonic() - started,
    )


@contextmanager
def crash_database(backend: str) -> Iterator[str]:
    """A fresh, migrated SQLite file or PostgreSQL database, dropped afterwards."""
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(fresh_database(backend, tmp))
        upgrade(url)
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        help="one backend only (default: SQLite, then PostgreSQL when QI_TEST_DATABASE_URL is set)",
    )
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8, help="learners posting at once")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--max-delay", type=float, default=1.0, help="seconds of load, at most")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    backends = [args.backend] if args.backend else ["sqlite"]
    if not args.backend and os.environ.get("QI_TEST_DATABASE_URL"):
        backends.append("postgresql")
    if "postgresql" in backends and not os.environ.get("QI_TEST_DATABASE_URL"):
        sys.exit("PostgreSQL needs a server: run `make bench-crash`")
    failed = False
    for backend in backends:
        with crash_database(backend) as url:
            report = run(url, args.kills, args.clients, args.workers, args.max_delay, args.seed)
        print("\n".join(report.lines()), flush=True)
        failed |= not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
