"""Pasted spreadsheet columns: numbers parsed, and every bad input named with its line."""

from __future__ import annotations

import pytest

from app.services.lab_input import MAX_POINTS, parse_lab_input, parse_number


def column(values) -> str:
    return "\n".join(str(v) for v in values)


@pytest.mark.parametrize(
    ("cell", "number"),
    [("7", 7.0), (" 7.5 ", 7.5), ("1,234", 1234.0), ("45%", 45.0), ("\u22123", -3.0), ("", None)],
)
def test_cells_as_a_spreadsheet_copies_them(cell: str, number: float | None) -> None:
    assert parse_number(cell) == number


def test_a_valid_column_with_blank_cells_and_trailing_lines() -> None:
    data = parse_lab_input(column([*range(11), "", 3]) + "\n\n\n")
    assert data.ok
    assert data.values[11] is None and len(data.values) == 13


def test_text_among_the_numbers_names_the_line() -> None:
    data = parse_lab_input(column([*range(5), "n/a", *range(6)]))
    assert data.errors == {"values": "Line 6 of the values is “n/a”, which is not a number"}
    assert data.values_text.startswith("0\n1")  # what was typed is kept


def test_too_few_points_says_how_many_are_needed() -> None:
    data = parse_lab_input(column(range(6)))
    assert "at least 10 values" in data.errors["values"] and "has 6" in data.errors["values"]


def test_mdc_needs_its_own_minimum() -> None:
    data = parse_lab_input(column(range(11)), chart="i", profile="mdc_v5")
    assert "at least 13 values" in data.errors["values"]


def test_more_than_5000_points() -> None:
    data = parse_lab_input(column([1] * (MAX_POINTS + 1)))
    assert "at most 5,000" in data.errors["values"]


def test_mismatched_labels() -> None:
    data = parse_lab_input(column(range(12)), labels_text=column(f"w{i}" for i in range(11)))
    assert data.errors["labels"].startswith("There are 11 labels for 12 values")


@pytest.mark.parametrize(
    ("denominators", "message"),
    [
        ("", "Enter a denominator for each value"),
        (column([10] * 11), "There are 11 denominators for 12 values"),
        (column([10] * 5 + [0] + [10] * 6), "Line 6 of the denominators is missing or zero"),
        (column([10] * 5 + [""] + [10] * 6), "Line 6 of the denominators is missing or zero"),
    ],
)
def test_denominators_missing_or_zero(denominators: str, message: str) -> None:
    data = parse_lab_input(column([5] * 12), denominators_text=denominators, chart="p")
    assert data.errors["denominators"].startswith(message)


def test_p_chart_numerator_above_denominator() -> None:
    data = parse_lab_input(column([5] * 11 + [12]), denominators_text=column([10] * 12), chart="p")
    assert data.errors["values"].startswith("Line 12: 12 is more than its denominator 10")


def test_unknown_chart_and_profile_are_refused() -> None:
    data = parse_lab_input(column(range(12)), chart="pie", profile="astrology")
    assert set(data.errors) >= {"chart", "profile"}
