"""Does the lesson page slow down as the database fills? Empty versus a large trust.

Seeds 10,000 trainees, 200 supervisors (50 trainees each, in cohorts) and 2 million answers, and
measures the signed-in lesson page and the dashboard before and after. Budget: the lesson page
p99 on PostgreSQL stays within 20% of the empty database's. Not part of `make test`.

    make bench-scale                  # PostgreSQL (it starts a throwaway server)
    .venv/bin/python -m bench.scale --trainees 1000 --attempts 200000   # a smaller run
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack

from app.catalog import load_catalog
from bench.harness import ROOT, Figures, app_server, bench_database, need_wrk, wrk
from bench.scenarios import first_question, signed_in_client
from bench.seeding import add_cohort, add_history, add_users


def measure(env: dict[str, str], seconds: int, connections: int) -> tuple[Figures, Figures]:
    lesson, _, _ = first_question(load_catalog(ROOT / "content"))
    with app_server(env, 2) as server:
        learner = signed_in_client(server.url, "trainee0@bench.example.nhs.uk")
        boss = signed_in_client(server.url, "supervisor0@bench.example.nhs.uk")
        try:
            cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in learner.cookies.items())}
            boss_cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in boss.cookies.items())}
            page = wrk(f"{server.url}{lesson}", seconds, connections, cookie)
            dashboard = wrk(f"{server.url}/supervise", seconds, connections, boss_cookie)
        finally:
            learner.close()
            boss.close()
    return page, dashboard


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--supervisors", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=2_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    need_wrk()
    catalog = load_catalog(ROOT / "content")
    with ExitStack() as stack:
        database = bench_database(stack, not args.sqlite, "make bench-scale")
        engine, env = database.engine, database.env
        supervisors = add_users(engine, "supervisor", args.supervisors, role="supervisor")
        trainees = add_users(engine, "trainee", 1)  # trainee0: the learner measured
        add_cohort(engine, "Cohort 0", supervisors[:1], trainees)
        empty_page, empty_dashboard = measure(env, args.seconds, args.connections)

        start = time.perf_counter()
        trainees += add_users(engine, "trainee-more-", args.trainees - 1)
        per = max(1, len(trainees) // len(supervisors))
        for i, supervisor in enumerate(supervisors):
            group = trainees[i * per : (i + 1) * per]
            if i == 0:
                group = group[1:]  # trainee0 is in Cohort 0 already
            if group:
                add_cohort(engine, f"Cohort {i + 1}", [supervisor], group)
        add_history(engine, catalog, trainees, attempts=args.attempts)
        seeded = time.perf_counter() - start
        full_page, full_dashboard = measure(env, args.seconds, args.connections)

    print(f"seeded {args.trainees:,} trainees, {args.supervisors} supervisors and about "
          f"{args.attempts:,} answers in {seeded:.0f} s")  # fmt: skip
    print(f"{'':<28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for name, figures in [
        ("lesson page, empty", empty_page),
        ("lesson page, full", full_page),
        ("dashboard, 1 trainee", empty_dashboard),
        (f"dashboard, {per} trainees", full_dashboard),
    ]:
        print(f"{name:<28} {figures.rps:>9,.0f} {figures.p50_ms:>8.1f} {figures.p99_ms:>8.1f}")
    change = full_page.p99_ms / empty_page.p99_ms - 1 if empty_page.p99_ms else 0.0
    print(f"lesson page p99, full against empty: {change:+.0%} (budget: within +20%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
