"""Password hashing under a rush: a bounded number run at once, and every caller gets its turn."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from app.security import passwords
from app.security.passwords import HashGate, default_hash_limit


def test_the_gate_never_lets_more_than_its_limit_run_and_nobody_is_refused() -> None:
    gate = HashGate(2)
    inside = 0
    seen_max = 0
    lock = threading.Lock()

    def work(i: int) -> int:
        nonlocal inside, seen_max
        with gate.slot():
            with lock:
                inside += 1
                seen_max = max(seen_max, inside)
            time.sleep(0.01)
            with lock:
                inside -= 1
        return i

    with ThreadPoolExecutor(max_workers=20) as pool:
        done = list(pool.map(work, range(60)))
    assert done == list(range(60))
    assert seen_max == 2 == gate.peak
    assert gate.running == 0


def test_real_hashes_and_checks_pass_through_the_gate() -> None:
    before = passwords.GATE.peak
    with ThreadPoolExecutor(max_workers=16) as pool:
        hashes = list(
            pool.map(lambda i: passwords.hash_password(f"pw {i} long", "test"), range(32))
        )
        checks = list(
            pool.map(lambda p: passwords.verify_password(p[1], f"pw {p[0]} long", "test"),
                     enumerate(hashes))
        )  # fmt: skip
    assert all(checks)
    assert max(before, 1) <= passwords.GATE.peak <= passwords.GATE.limit


def test_the_default_limit_fits_memory_and_cores() -> None:
    limit = default_hash_limit()
    memory_mib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    assert 1 <= limit <= max(1, (os.cpu_count() or 1) // 2)
    assert (
        limit == 1 or limit * passwords.HASH_MEMORY_MIB <= memory_mib * passwords.HASH_MEMORY_SHARE
    )
