"""argon2id password hashing. Production uses argon2-cffi's defaults (RFC 9106 low-memory)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # long passphrases welcome; the cap only stops absurd inputs


@cache
def hasher(profile: str = "default") -> PasswordHasher:
    if profile == "test":
        # Cheap enough for hundreds of sign-ins in the suite; refused in production by Settings.
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def hash_password(password: str, profile: str = "default") -> str:
    return hasher(profile).hash(password)


def verify_password(password_hash: str, password: str, profile: str = "default") -> bool:
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
