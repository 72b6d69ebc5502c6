"""`make bench`: the hot paths and the cohort rush, each as a ratio to a bare ASGI app.

Prints req/s, p50 and p99 for each page, the load run (processes x clients x answers, each
client its own signed-in learner), 100 simultaneous sign-ins with the servers' peak memory,
/healthz latency during the load, and CSV export speed. Not part of `make test`: nothing here
is asserted. docs/performance.md records the figures with the date and the machine.

    .venv/bin/python -m bench.run [--postgres] [--seconds 10] [--connections 64] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from app.catalog import load_catalog
from bench.harness import ROOT, Figures, app_server, bare_server, bench_database, need_wrk, wrk
from bench.scenarios import (
    answer_post,
    export_rows_per_second,
    first_question,
    load_run,
    sign_in_rush,
    signed_in_client,
)
from bench.seeding import add_cohort, add_history, add_users


def row(name: str, figures: Figures, bare: Figures) -> str:
    return (
        f"{name:<34} {figures.rps:>9,.0f} {figures.ratio(bare):>6.0%} "
        f"{figures.p50_ms:>8.1f} {figures.p99_ms:>8.1f} {figures.errors:>7}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="run against PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--clients", type=int, default=50, help="clients per load process")
    parser.add_argument("--answers", type=int, default=20, help="answers per client")
    parser.add_argument("--sign-ins", type=int, default=100)
    parser.add_argument("--trainees", type=int, default=200, help="on the supervisor dashboard")
    args = parser.parse_args()
    need_wrk()
    catalog = load_catalog(ROOT / "content")
    with ExitStack() as stack:
        database = bench_database(stack, args.postgres, "make bench BENCH_ARGS=--postgres")
        engine, env = database.engine, database.env
        print(f"seeding {args.trainees} trainees, their supervisor and their history ...")
        supervisor = add_users(engine, "supervisor", 1, role="supervisor")
        trainees = add_users(engine, "trainee", args.trainees)
        add_cohort(engine, "Bench cohort", supervisor, trainees)
        add_history(engine, catalog, trainees, attempts=args.trainees * 30)
        loaders = args.processes * args.clients
        add_users(engine, "loader", loaders)
        add_users(engine, "rush", args.sign_ins)

        seconds, connections = args.seconds, args.connections
        with bare_server(env, args.workers) as bare_srv:
            bare = wrk(f"{bare_srv.url}/", seconds, connections)
        lesson, qid, key = first_question(catalog)
        lines = []
        with app_server(env, args.workers) as server:
            learner = signed_in_client(server.url, "trainee0@bench.example.nhs.uk")
            supervisor_client = signed_in_client(server.url, "supervisor0@bench.example.nhs.uk")
            stack.callback(learner.close)
            stack.callback(supervisor_client.close)
            cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in learner.cookies.items())}
            boss = {"Cookie": "; ".join(f"{k}={v}" for k, v in supervisor_client.cookies.items())}
            pages = [
                ("lesson page, signed in", f"{server.url}{lesson}", cookie),
                ("lesson page, anonymous", f"{server.url}{lesson}", {}),
                ("/modules, signed in", f"{server.url}/modules", cookie),
                ("home, signed in", f"{server.url}/", cookie),
                (f"dashboard, {args.trainees} trainees", f"{server.url}/supervise", boss),
            ]
            for name, page_url, headers in pages:
                lines.append(row(name, wrk(page_url, seconds, connections, headers), bare))
            answer = answer_post(server, learner, lesson, qid, key, seconds, connections)
            lines.append(row("answer POST", answer, bare))
            rows, per_second = export_rows_per_second(supervisor_client, "all")
            emails = [f"loader{i}@bench.example.nhs.uk" for i in range(loaders)]
            load = load_run(server, engine, catalog, emails, args.processes, args.answers)
            rush = sign_in_rush(
                server, [f"rush{i}@bench.example.nhs.uk" for i in range(args.sign_ins)]
            )

    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\nQI Skills bench on {backend}, {args.workers} workers, wrk {connections} connections")
    print(f"{'':<34} {'req/s':>9} {'ratio':>6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    print(row("bare ASGI app (yardstick)", bare, bare))
    print("\n".join(lines))
    print(f"\nCSV export: {rows:,} rows at {per_second:,.0f} rows/s")
    print(
        f"load run ({args.processes} processes x {args.clients} clients x {args.answers} answers):"
        f" errors {load.errors}, confirmed {load.confirmed}, stored {load.stored},"
        f" lost {load.lost}, stored but unconfirmed {load.unconfirmed_stored},"
        f" answer p95 {load.p95_ms:.0f} ms"
    )
    print(
        f"/healthz during the load run: p99 {load.health_p99_ms:.0f} ms,"
        f" failures {load.health_failures}"
    )
    print(
        f"{args.sign_ins} simultaneous sign-ins: errors {rush.errors}, p99 {rush.p99_ms:.0f} ms,"
        f" server memory {rush.idle_mib:.0f} MiB before, {rush.peak_mib:.0f} MiB at peak"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
