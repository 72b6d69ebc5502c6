"""Turn what a learner pastes from a spreadsheet into numbers, or say exactly what is wrong.

Pure: no database. The values box takes one column (values) or two (label and value), as a
spreadsheet or a CSV file copies them:

- **Columns**: the separator is chosen once per paste: a tab if any line has one, else a
  semicolon, else a comma, but only when some line's first field is text (a label such as
  "Week 1" or "2026-01-05"). "1,234" alone is one number, so a CSV whose labels are plain numbers
  ("1,62") must use tabs or semicolons. Quotes work as in CSV: `Jan,"62,5"`.
- **Decimal marks**: "62.5" and "62,5" are both 62.5. In a semicolon paste (the European CSV
  convention) a comma is always the decimal mark ("1,234" is 1.234); otherwise a comma followed by
  groups of three digits is a thousands separator ("1,234" is 1234). With both marks the later one
  is the decimal mark ("1.234,5" and "1,234.5" are 1234.5). With commas between the columns a
  value with a decimal comma must be quoted, or the line has three columns and is named.
- **Percentages**: "62.5%" is 62.5 (the chart is in percent).
- **A header row** is skipped: a first line whose value is not a number ("Week,Rate").
- **Blank lines**: in a two-column paste they are ignored (a missing value is a label with no
  value); in one column, blank lines at the start and end are ignored and a blank line between
  values is a missing value, as a spreadsheet copies an empty cell.

Every line that cannot be read is named ("Line 7 of the values: “abc” is not a number").
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field

from app.measurement import PROFILES, ChartType, Profile

MAX_POINTS = 5000
MIN_POINTS = 10  # fewer are charted, but not judged: no rule set can tell a signal from noise
MAX_MAGNITUDE = 1e15  # beyond this, sums and squares in the engine lose meaning or overflow
MAX_LISTED = 5  # bad lines named in one message
MAX_TARGET_CHARS = 40  # the dataset columns' sizes
MAX_FREEZE_CHARS = 20
MAX_POINT_LIST_CHARS = 400
NEEDS_DENOMINATORS = frozenset({ChartType.P, ChartType.U})
_GROUPED_POINT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.5
_GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$")  # 1.234,5
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")  # 62,5
_POINT_LIST = re.compile(r"[\s,;]+")


class CellError(ValueError):
    """A cell that is not a usable number; str() says why, after the cell is quoted."""


class NotANumber(CellError):
    """Text, such as a header ("Rate") or a typo ("6O")."""


@dataclass
class LabInput:
    """The form as typed (kept for re-rendering) and, when valid, the parsed series."""

    values_text: str = ""
    labels_text: str = ""
    denominators_text: str = ""
    chart: str = ChartType.RUN.value
    profile: str = "ihi"
    direction: str = "neither"
    target_text: str = ""
    freeze_text: str = ""
    parts_text: str = ""
    exclude_text: str = ""
    values: list[float | None] = field(default_factory=list)
    labels: list[str] | None = None
    denominators: list[float | None] | None = None
    target: float | None = None
    freeze: int | None = None  # the first `freeze` points are the baseline
    parts: list[int] = field(default_factory=list)  # 1-based points where a new part starts
    exclude: list[int] = field(default_factory=list)  # 1-based points left out
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.values)

    @property
    def profile_obj(self) -> Profile:
        return PROFILES[self.profile]

    @property
    def present(self) -> int:
        return sum(v is not None for v in self.values)

    @property
    def too_few(self) -> bool:
        """Charted, but too few points to judge: no rule is applied."""
        return self.present < MIN_POINTS


@dataclass
class Column:
    """One pasted box: its values, the labels when it came as two columns, and what is wrong."""

    values: list[float | None]
    labels: list[str] | None = None
    header: bool = False
    problems: list[str] = field(default_factory=list)


def parse_number(cell: str, *, decimal_comma: bool = False) -> float | None:
    """A spreadsheet cell as a number ('1,234.5', '62,5', '45%', ' 7 '); '' is missing.

    decimal_comma: the paste uses semicolons between columns, so a comma is always a decimal mark.
    Raises CellError for text, infinity, NaN and numbers too large to chart.
    """
    text = cell.strip().replace("\u2212", "-")
    if not text:
        return None
    if text.endswith("%"):
        text = text[:-1].strip()
    if "," in text:
        if _GROUPED_COMMA.match(text):
            text = text.replace(".", "").replace(",", ".")
        elif _GROUPED_POINT.match(text) and not (decimal_comma and "." not in text):
            text = text.replace(",", "")
        elif _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise NotANumber("is not a number") from None
    if not math.isfinite(value):
        raise CellError("is not a number")
    if abs(value) > MAX_MAGNITUDE:
        raise CellError("is too large to chart: the lab takes numbers up to 1,000,000,000,000,000")
    return value


def _is_text(cell: str, decimal_comma: bool = False) -> bool:
    """Words, not a number (an infinite or too large number is a number, and is named)."""
    try:
        parse_number(cell, decimal_comma=decimal_comma)
    except NotANumber:
        return True
    except CellError:
        return False
    return False


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) for every line, without the blank lines at the start and end."""
    lines = list(enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1))
    while lines and not lines[-1][1].strip():
        lines.pop()
    while lines and not lines[0][1].strip():
        lines.pop(0)
    return lines


def _separator(lines: list[tuple[int, str]]) -> str | None:
    """Tab, then semicolon, then comma (only when some first field is text), else one column."""
    for sep in ("\t", ";"):
        if any(sep in line for _, line in lines):
            return sep
    for _, line in lines:
        if "," in line and _is_text(_cells(line, ",")[0]):
            return ","
    return None


def _cells(line: str, sep: str) -> list[str]:
    return next(csv.reader([line], delimiter=sep, skipinitialspace=True), [""])


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:39] + "…"


def parse_column(text: str, what: str) -> Column:
    """A pasted box as values (and labels, when it has two columns), naming every bad line."""
    lines = _numbered_lines(text)
    sep = _separator(lines)
    comma = sep == ";"
    rows: list[tuple[int, str, str | None]] = []  # line number, value cell, label cell
    problems: list[str] = []
    for number, line in lines:
        if sep is None:
            rows.append((number, line, None))
            continue
        if not line.strip():
            continue  # a blank line between two-column rows is nothing
        cells = [c.strip() for c in _cells(line, sep)]
        while len(cells) > 2 and not cells[-1]:
            cells.pop()  # a trailing separator, as some exports add
        if len(cells) != 2:
            hint = (
                ': with commas between the columns, quote a decimal comma ("62,5") or use a '
                "point (62.5)"
                if sep == "," and len(cells) > 2
                else ": give a label and a value on each line"
            )
            problems.append(
                f"Line {number} of the {what}: “{_shown(line)}” has {len(cells)} "
                f"column{'s' if len(cells) != 1 else ''}{hint}"
            )
            continue
        rows.append((number, cells[1], cells[0]))
    header = bool(rows) and _is_text(rows[0][1], comma)
    if header:
        rows = rows[1:]
    values: list[float | None] = []
    for number, cell, _ in rows:
        try:
            values.append(parse_number(cell, decimal_comma=comma))
        except CellError as exc:
            problems.append(f"Line {number} of the {what}: “{_shown(cell)}” {exc}")
    labels = [label or "" for _, _, label in rows] if sep is not None else None
    return Column(values, labels, header, problems)


def _problem_text(problems: list[str]) -> str:
    shown = problems[:MAX_LISTED]
    more = len(problems) - len(shown)
    tail = [f"And {more} more line{'s' if more > 1 else ''} like these."] if more else []
    return " ".join(p if p.endswith(".") else p + "." for p in shown + tail)


def _point_numbers(text: str) -> list[int] | str:
    """Whole point numbers separated by commas or spaces, or a problem to show."""
    out = []
    for cell in _POINT_LIST.split(text.strip()):
        if not cell:
            continue
        if not (cell.isascii() and cell.isdigit()):  # int() refuses '²'
            return f"“{_shown(cell)}” is not a point number: use whole numbers, like 12"
        out.append(int(cell))
    return out


def _point_options(data: LabInput, n: int | None) -> None:
    """Baseline, new parts and exclusions as a learner counts points: from 1."""
    errors = data.errors
    limits = {
        "freeze": (data.freeze_text, MAX_FREEZE_CHARS),
        "parts": (data.parts_text, MAX_POINT_LIST_CHARS),
        "exclude": (data.exclude_text, MAX_POINT_LIST_CHARS),
    }
    found: dict[str, list[int]] = {}
    for key, (text, size) in limits.items():
        if len(text) > size:
            errors[key] = f"Keep this to {size} characters or fewer"
            continue
        numbers = _point_numbers(text)
        if isinstance(numbers, str):
            errors[key] = numbers
        else:
            found[key] = numbers
    if "freeze" in found and len(found["freeze"]) > 1:
        errors["freeze"] = "Give one number: how many points, from the first, are the baseline"
        del found["freeze"]
    if n is None:
        return
    if found.get("freeze"):
        count = found["freeze"][0]
        if not 1 <= count <= n:
            errors["freeze"] = f"The baseline must be from 1 to {n} points: there are {n}"
        else:
            data.freeze = count
    if "parts" in found:
        wrong = [p for p in found["parts"] if not 2 <= p <= n]
        if wrong:
            errors["parts"] = (
                f"A new part must start at a point from 2 to {n}, not {wrong[0]}"
                if n >= 2
                else "With one point there is nothing to split into parts"
            )
        else:
            data.parts = sorted(set(found["parts"]))
    if "exclude" in found:
        wrong = [p for p in found["exclude"] if not 1 <= p <= n]
        if wrong:
            errors["exclude"] = f"Choose points from 1 to {n} to leave out, not {wrong[0]}"
        else:
            data.exclude = sorted(set(found["exclude"]))


def parse_lab_input(
    values_text: str,
    labels_text: str = "",
    denominators_text: str = "",
    chart: str = "run",
    profile: str = "ihi",
    direction: str = "neither",
    target_text: str = "",
    freeze_text: str = "",
    parts_text: str = "",
    exclude_text: str = "",
) -> LabInput:
    data = LabInput(
        values_text,
        labels_text,
        denominators_text,
        chart,
        profile,
        direction,
        target_text,
        freeze_text,
        parts_text,
        exclude_text,
    )
    errors = data.errors
    if chart not in {c.value for c in ChartType}:
        errors["chart"] = "Choose a chart type"
    if profile not in PROFILES:
        errors["profile"] = "Choose a rule set"
    if direction not in {"higher_is_better", "lower_is_better", "neither"}:
        errors["direction"] = "Choose which direction is better"
    raw = [line for _, line in _numbered_lines(values_text) if line.strip()]
    if len(raw) > MAX_POINTS:
        errors["values"] = f"There are {len(raw):,} values; the lab takes at most {MAX_POINTS:,}"
        _point_options(data, None)
        return data
    column = parse_column(values_text, "values")
    if column.problems:
        errors["values"] = _problem_text(column.problems)
    elif not any(v is not None for v in column.values):
        errors["values"] = "Paste or type your values: one number per line, or a label and a value"
    _labels(data, column, labels_text)
    if chart in NEEDS_DENOMINATORS:
        _denominators(data, column, denominators_text)
    if target_text.strip():
        if len(target_text) > MAX_TARGET_CHARS:
            errors["target"] = (
                f"The target must be a number, like 95, in {MAX_TARGET_CHARS} characters or fewer"
            )
        else:
            try:
                data.target = parse_number(target_text)
            except CellError:
                errors["target"] = "The target must be a number, like 95"
    ok_values = "values" not in errors
    _point_options(data, len(column.values) if ok_values else None)
    if ok_values:
        data.values = column.values
    return data


def _labels(data: LabInput, column: Column, labels_text: str) -> None:
    errors, n = data.errors, len(column.values)
    if column.labels is not None:
        data.labels = column.labels
        if labels_text.strip():
            errors["labels"] = (
                "The values came with their labels (two columns), so leave this box empty"
            )
        return
    if not labels_text.strip():
        return
    labels = [line.strip() for _, line in _numbered_lines(labels_text)]
    if column.header and len(labels) == n + 1:
        labels = labels[1:]  # the labels' own header, pasted beside the values' header
    if n and len(labels) != n:
        errors["labels"] = (
            f"There are {len(labels)} labels for {n} values: give one label per value, or none"
        )
    data.labels = labels


def _denominators(data: LabInput, column: Column, text: str) -> None:
    errors = data.errors
    found = parse_column(text, "denominators")
    if found.problems:
        errors["denominators"] = _problem_text(found.problems)
    elif "values" not in errors:
        errors.update(_denominator_problems(column.values, found.values, data.chart))
    data.denominators = found.values


def _denominator_problems(
    values: list[float | None], denominators: list[float | None], chart: str
) -> dict[str, str]:
    kind = "a p chart" if chart == ChartType.P.value else "a u chart"
    if not denominators:
        return {"denominators": f"Enter a denominator for each value: {kind} needs them"}
    if len(denominators) != len(values):
        return {
            "denominators": f"There are {len(denominators)} denominators for {len(values)} "
            "values: give one per value"
        }
    for i, (value, den) in enumerate(zip(values, denominators, strict=True), start=1):
        if value is not None and (den is None or den <= 0):
            return {"denominators": f"Line {i} of the denominators is missing or zero"}
        if value is not None and value < 0:
            return {"values": f"Line {i}: {value:g} is negative; {kind} counts cases"}
        if chart == ChartType.P.value and value is not None and den and value > den:
            return {
                "values": f"Line {i}: {value:g} is more than its denominator {den:g}; a p chart "
                "counts cases out of a total"
            }
    return {}
