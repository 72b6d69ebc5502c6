"""Bad input raises ValueError with a message that says what to fix."""

from __future__ import annotations

import math
from typing import Any

import pytest

from app.measurement import IHI, analyse

BAD: list[Any] = [
    pytest.param(([],), {}, "too few points", id="no-points"),
    pytest.param(([None, None, None],), {}, "every point is missing", id="all-missing"),
    pytest.param(([1, math.nan, 3],), {}, "point 2 is not a number (NaN)", id="nan"),
    pytest.param(([1, math.inf, 3],), {}, "point 2 is infinite", id="infinite"),
    pytest.param(([1, "2", 3],), {}, "point 2 is not a number", id="text"),
    pytest.param(([1, True, 3],), {}, "point 2 is not a number", id="boolean"),
    pytest.param(("123",), {}, "list of numbers", id="string-series"),
    pytest.param(([1, 2, 3], "p"), {}, "needs denominators", id="p-without-denominators"),
    pytest.param(([1, 2, 3], "u"), {}, "needs denominators", id="u-without-denominators"),
    pytest.param(
        ([1, 2, 3], "p"), {"denominators": [10, 10]}, "mismatched denominators", id="p-mismatched"
    ),
    pytest.param(
        ([1, 2, 3], "p"),
        {"denominators": [10, 0, 10]},
        "point 2 must be greater than zero",
        id="p-zero-denominator",
    ),
    pytest.param(
        ([1, 2, 3], "u"),
        {"denominators": [10, -5, 10]},
        "point 2 must be greater than zero",
        id="u-negative-denominator",
    ),
    pytest.param(
        ([1, 12, 3], "p"),
        {"denominators": [10, 10, 10]},
        "larger than its denominator",
        id="p-numerator-above-denominator",
    ),
    pytest.param(
        ([1, -2, 3], "u"), {"denominators": [10, 10, 10]}, "must not be negative", id="u-negative"
    ),
    pytest.param(
        ([1, 2, 3], "p"),
        {"denominators": [10, math.nan, 10]},
        "denominator at point 2",
        id="p-nan-denominator",
    ),
    pytest.param(([1, -2, 3], "c"), {}, "count at point 2 must not be negative", id="c-negative"),
    pytest.param(([1, 2, 3], "c"), {"denominators": [1, 1, 1]}, "no denominators", id="c-with-n"),
    pytest.param(([1, 2, 3],), {"labels": ["a", "b"]}, "mismatched labels", id="labels"),
    pytest.param(([1, 2, 3],), {"freeze": 0}, "baseline must be from 1 to 3", id="freeze-zero"),
    pytest.param(([1, 2, 3],), {"freeze": 4}, "baseline must be from 1 to 3", id="freeze-long"),
    pytest.param(([1, 2, 3],), {"parts": [0]}, "a part must start", id="part-at-start"),
    pytest.param(([1, 2, 3],), {"parts": [3]}, "a part must start", id="part-past-end"),
    pytest.param(([1, 2, 3],), {"exclude": [5]}, "excluded point 5", id="exclude-out-of-range"),
    pytest.param(([1, 2, 3],), {"multiply": 0}, "multiply", id="multiply-zero"),
    pytest.param(([1, 2, 3],), {"target": math.nan}, "target", id="target-nan"),
    pytest.param(([1, 2, 3], "x"), {}, "ChartType", id="unknown-chart"),
    pytest.param(([1, 2, 3], "i"), {"profile": IHI}, "no control limits", id="ihi-has-no-limits"),
    pytest.param(([1, None, 3], "i"), {}, "2 consecutive values", id="i-without-moving-range"),
    pytest.param(
        ([1, 2, 3, 4], "run"),
        {"parts": [2], "exclude": [2, 3]},
        "part 2 has no values",
        id="part-all-excluded",
    ),
]


@pytest.mark.parametrize(("args", "kwargs", "message"), BAD)
def test_bad_input_is_refused_clearly(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        analyse(*args, **kwargs)


def test_missing_values_are_allowed() -> None:
    result = analyse([1, None, 3, 4], "run")
    assert result.values == (1, None, 3, 4)


def test_one_point_is_charted_as_qicharts2_does() -> None:
    """One point has a centre line (itself) and nothing to judge; it is not refused."""
    result = analyse([7.0], "run")
    assert result.centre == (7.0,) and result.signals == ()
    assert analyse([3.0], "c").centre == (3.0,)


def test_all_equal_values_give_an_i_chart_with_zero_width_limits() -> None:
    """Screening moving ranges of 0 used to fail an assertion; there is nothing to screen."""
    result = analyse([5.0] * 12, "i")
    assert result.centre[0] == result.lower[0] == result.upper[0] == 5.0
    assert result.signals == ()
