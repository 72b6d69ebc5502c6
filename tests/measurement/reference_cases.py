"""Load the reference cases (tests/measurement/reference/*.json) and compare within tolerance."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REFERENCE_DIR = Path(__file__).parent / "reference"


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def cases(name: str) -> list[Any]:
    """Every case of a file as a pytest parameter whose id is the case id."""
    return [pytest.param(case, id=case["id"]) for case in load(name)["cases"]]


def tolerance(name: str) -> float:
    """The file's absolute tolerance ("abs 1e-9 ...")."""
    match = re.search(r"abs\s+([0-9.eE+-]+)", load(name)["tolerance"])
    assert match, f"{name} states no absolute tolerance"
    return float(match.group(1))


def close(actual: float | None, expected: float | None, tol: float) -> bool:
    """Equal within tol, absolute or relative (the files allow relative for large values)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(actual - expected) <= tol or abs(actual - expected) <= tol * abs(expected)


def assert_series(
    name: str, actual: Sequence[Any], expected: Sequence[Any], tol: float | None = None
) -> None:
    """Compare a per-point column; numbers within tol, everything else exactly."""
    assert len(actual) == len(expected), f"{name}: {len(actual)} points, expected {len(expected)}"
    for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
        ok = a == e if isinstance(e, bool | str) or tol is None else close(a, e, tol)
        assert ok, f"{name}[{i}] (point {i + 1}): got {a!r}, expected {e!r}"


def as_list(value: int | Sequence[int] | None) -> list[int]:
    """A reference field that may be one number, a list or null."""
    if value is None:
        return []
    return [value] if isinstance(value, int) else list(value)


def printed_tolerance(value: float) -> float:
    """Half a unit in the last printed decimal place of a stated value."""
    text = repr(float(value))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return 0.5 * 10**-decimals + 1e-12
