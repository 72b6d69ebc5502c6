"""Pasted spreadsheet columns: numbers parsed, and every bad input named with its line."""

from __future__ import annotations

import pytest

from app.services.lab_input import MAX_POINTS, CellError, parse_lab_input, parse_number


def column(values) -> str:
    return "\n".join(str(v) for v in values)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("7", 7.0),
        (" 7.5 ", 7.5),
        ("1,234", 1234.0),
        ("45%", 45.0),
        ("62.5%", 62.5),
        ("\u22123", -3.0),
        ("", None),
        ("62,5", 62.5),  # a decimal comma
        ("1,234.5", 1234.5),
        ("1.234,5", 1234.5),  # both marks: the later one is the decimal mark
        ("-0,25", -0.25),
        ("5e-324", 5e-324),
        ("1e15", 1e15),
    ],
)
def test_cells_as_a_spreadsheet_copies_them(cell: str, number: float | None) -> None:
    assert parse_number(cell) == number


@pytest.mark.parametrize(
    ("cell", "number"), [("62,5", 62.5), ("1,234", 1.234), ("1.234,5", 1234.5), ("62.5", 62.5)]
)
def test_with_semicolon_columns_a_comma_is_always_the_decimal_mark(
    cell: str, number: float
) -> None:
    assert parse_number(cell, decimal_comma=True) == number


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("abc", "is not a number"),
        ("inf", "is not a number"),
        ("-Infinity", "is not a number"),
        ("nan", "is not a number"),
        ("1,2,3", "is not a number"),
        ("1e308", "is too large to chart"),
        ("-1e308", "is too large to chart"),
        ("1e16", "is too large to chart"),
    ],
)
def test_cells_that_cannot_be_charted(cell: str, why: str) -> None:
    with pytest.raises(CellError, match=why):
        parse_number(cell)


def test_extreme_values_are_named_not_charted() -> None:
    data = parse_lab_input(column(["1e308", "-1e308", *range(10), "inf", "nan"]))
    assert data.errors["values"] == (
        "Line 1 of the values: “1e308” is too large to chart: the lab takes numbers up to "
        "1,000,000,000,000,000. Line 2 of the values: “-1e308” is too large to chart: the lab "
        "takes numbers up to 1,000,000,000,000,000. Line 13 of the values: “inf” is not a "
        "number. Line 14 of the values: “nan” is not a number."
    )
    tiny = parse_lab_input(column(["5e-324", *range(11)]))
    assert tiny.ok and tiny.values[0] == 5e-324


SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";"}


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_two_columns_label_and_value(sep: str) -> None:
    text = "\n".join(f"Week {i}{sep}{60 + i}" for i in range(1, 13))
    data = parse_lab_input(text)
    assert data.ok
    assert data.labels == [f"Week {i}" for i in range(1, 13)]
    assert data.values == [60.0 + i for i in range(1, 13)]


@pytest.mark.parametrize("sep", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_a_header_row_is_skipped(sep: str) -> None:
    text = f"Week{sep}Rate\n" + "\n".join(f"2026-01-{i:02d}{sep}{i}" for i in range(1, 12))
    data = parse_lab_input(text)
    assert data.ok and data.values[0] == 1.0 and len(data.values) == 11
    assert data.labels is not None and data.labels[0] == "2026-01-01"


def test_a_one_column_header_is_skipped_and_so_is_the_labels_header() -> None:
    data = parse_lab_input(
        "Rate\n" + column(range(11)), labels_text="Week\n" + column(f"w{i}" for i in range(11))
    )
    assert data.ok and data.values[0] == 0.0 and data.labels == [f"w{i}" for i in range(11)]


def test_semicolons_with_decimal_commas_as_a_european_csv() -> None:
    text = "Semaine;Taux\n" + "\n".join(f"S{i};{60 + i},5" for i in range(1, 12))
    data = parse_lab_input(text)
    assert data.ok and data.values[:2] == [61.5, 62.5]


def test_tab_separated_cells_with_decimal_commas_and_percentages() -> None:
    text = "\n".join(f"Jan {i}\t{60 + i},5%" for i in range(1, 12))
    data = parse_lab_input(text)
    assert data.ok and data.values[0] == 61.5


def test_comma_columns_need_a_quoted_decimal_comma() -> None:
    """The rule for "Jan,62,5": three columns, named; quoted ("62,5") it is 62.5."""
    rows = [f"M{i},{60 + i}" for i in range(1, 11)]
    bad = parse_lab_input("\n".join(["Jan,62,5", *rows]))
    assert bad.errors["values"].startswith("Line 1 of the values: “Jan,62,5” has 3 columns")
    assert 'quote a decimal comma ("62,5")' in bad.errors["values"]
    good = parse_lab_input("\n".join(['Jan,"62,5"', *rows]))
    assert good.ok and good.values[0] == 62.5 and good.labels is not None
    assert good.labels[0] == "Jan"


def test_one_column_of_thousands_is_not_split_at_its_commas() -> None:
    data = parse_lab_input(column(["1,234", "2,345", *range(10)]))
    assert data.ok and data.labels is None and data.values[:2] == [1234.0, 2345.0]


def test_blank_lines_are_ignored_in_two_columns_and_a_missing_value_kept() -> None:
    text = "\n\nWeek\tRate\n" + "\n\n".join(f"w{i}\t{i}" for i in range(11)) + "\nw11\t\n\n"
    data = parse_lab_input(text)
    assert data.ok and len(data.values) == 12 and data.values[-1] is None


def test_leading_blank_lines_in_one_column_are_ignored() -> None:
    data = parse_lab_input("\n\n" + column(range(11)))
    assert data.ok and data.values[0] == 0.0 and len(data.values) == 11


def test_a_line_with_one_column_among_two_is_named() -> None:
    text = "\n".join([*(f"w{i}\t{i}" for i in range(11)), "12"])
    data = parse_lab_input(text)
    assert data.errors["values"].startswith("Line 12 of the values: “12” has 1 column")


def test_labels_pasted_twice_are_refused() -> None:
    text = "\n".join(f"w{i};{i}" for i in range(11))
    data = parse_lab_input(text, labels_text=column(f"x{i}" for i in range(11)))
    assert "leave this box empty" in data.errors["labels"]


def test_denominators_may_come_with_a_header() -> None:
    data = parse_lab_input(
        "Cases\n" + column([5] * 11), denominators_text="Patients\n" + column([10] * 11), chart="p"
    )
    assert data.ok and data.denominators == [10.0] * 11


def test_a_valid_column_with_blank_cells_and_trailing_lines() -> None:
    data = parse_lab_input(column([*range(11), "", 3]) + "\n\n\n")
    assert data.ok
    assert data.values[11] is None and len(data.values) == 13


def test_text_among_the_numbers_names_the_line() -> None:
    data = parse_lab_input(column([*range(5), "n/a", *range(6)]))
    assert data.errors == {"values": "Line 6 of the values: “n/a” is not a number."}
    assert data.values_text.startswith("0\n1")  # what was typed is kept


def test_every_bad_line_is_named_up_to_five() -> None:
    data = parse_lab_input(column([1, "abc", 3, "x", *range(8)]))
    assert data.errors["values"] == (
        "Line 2 of the values: “abc” is not a number. Line 4 of the values: “x” is not a number."
    )
    many = parse_lab_input(column(["1", *(["oops"] * 8), "2"]))
    assert many.errors["values"].count("is not a number") == 5
    assert many.errors["values"].endswith("And 3 more lines like these.")


def test_too_few_points_are_charted_but_not_judged() -> None:
    """Fewer than 10 values is no longer refused: the lab charts them as too few to judge."""
    data = parse_lab_input(column(range(6)))
    assert data.ok and data.too_few and data.values == [0, 1, 2, 3, 4, 5]
    assert not parse_lab_input(column(range(10))).too_few
    one = parse_lab_input("7")
    assert one.ok and one.too_few and one.values == [7.0]


def test_no_values_at_all_is_a_clear_error() -> None:
    for text in ("", "\n\n", "Rate"):
        data = parse_lab_input(text)
        assert data.errors["values"].startswith("Paste or type your values"), text


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


def test_baseline_parts_and_exclusions_count_from_one() -> None:
    data = parse_lab_input(
        column(range(20)), freeze_text="12", parts_text="15, 18", exclude_text="4 9;4"
    )
    assert data.ok
    assert data.freeze == 12 and data.parts == [15, 18] and data.exclude == [4, 9]


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"freeze_text": "25"}, "freeze", "The baseline must be from 1 to 20 points"),
        ({"freeze_text": "0"}, "freeze", "The baseline must be from 1 to 20 points"),
        ({"freeze_text": "ten"}, "freeze", "“ten” is not a point number"),
        ({"freeze_text": "3, 4"}, "freeze", "Give one number"),
        ({"parts_text": "1"}, "parts", "A new part must start at a point from 2 to 20, not 1"),
        ({"parts_text": "21"}, "parts", "A new part must start at a point from 2 to 20, not 21"),
        ({"parts_text": "2.5"}, "parts", "“2.5” is not a point number"),
        ({"exclude_text": "0"}, "exclude", "Choose points from 1 to 20 to leave out, not 0"),
        ({"exclude_text": "3, 99"}, "exclude", "Choose points from 1 to 20 to leave out, not 99"),
        ({"exclude_text": "1, " * 200}, "exclude", "Keep this to 400 characters or fewer"),
    ],
)
def test_bad_point_numbers_name_their_field(fields: dict[str, str], key: str, message: str) -> None:
    data = parse_lab_input(column(range(20)), **fields)
    assert set(data.errors) == {key}
    assert data.errors[key].startswith(message)


def test_a_target_too_long_for_its_column_is_refused() -> None:
    data = parse_lab_input(column(range(12)), target_text="1" * 41)
    assert "target" in data.errors
