"""argon2id password hashing. Production uses argon2-cffi's defaults (RFC 9106 low-memory)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # long passphrases welcome; the cap only stops absurd inputs
HASH_MEMORY_MIB = 64  # argon2-cffi's default memory cost per hash
# Share of the machine's memory that concurrent hashes of one process may take.
HASH_MEMORY_SHARE = 0.05


class HashGate:
    """Bounds how many argon2 hashes run at once in this process.

    Each hash takes 64 MiB; a cohort signing in together would otherwise run one per worker
    thread (40) and exhaust memory. Callers beyond the limit wait their turn: none fails.
    `peak` records the most that ever ran together, so a test can see the bound hold.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._slots = threading.BoundedSemaphore(self.limit)
        self._lock = threading.Lock()
        self.running = 0
        self.peak = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                self.running += 1
                self.peak = max(self.peak, self.running)
            try:
                yield
            finally:
                with self._lock:
                    self.running -= 1


def default_hash_limit() -> int:
    """Sized to memory and cores. One hash runs 4 lanes in threads (argon2-cffi's parallelism),
    so it keeps two cores busy: more at once than cores / 2 only queue on the CPU and add 64 MiB
    each. A 2-core machine with 2 workers thus holds at most 2 x 64 MiB in hashes."""
    try:
        total_mib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        total_mib = 1024
    by_memory = int(total_mib * HASH_MEMORY_SHARE) // HASH_MEMORY_MIB
    return max(1, min(by_memory, (os.cpu_count() or 1) // 2))


GATE = HashGate(default_hash_limit())


@cache
def hasher(profile: str = "default") -> PasswordHasher:
    if profile == "test":
        # Cheap enough for hundreds of sign-ins in the suite; refused in production by Settings.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str, profile: str = "default") -> str:
    with GATE.slot():
        return hasher(profile).hash(password)


def verify_password(password_hash: str, password: str, profile: str = "default") -> bool:
    with GATE.slot():
        try:
            return hasher(profile).verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


# Verified against when the email is unknown, so both failures take the same time.
_DUMMY: dict[str, str] = {}


def burn_time(profile: str = "default") -> None:
    if profile not in _DUMMY:
        _DUMMY[profile] = hash_password("not a real password", profile)
    verify_password(_DUMMY[profile], "wrong", profile)


def password_problem(password: str) -> str | None:
    """Why a new password is unacceptable, or None. Nothing is trimmed: spaces count."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    return None
