"""Turn what a learner pastes from a spreadsheet into numbers, or say exactly what is wrong.

Pure: no database. Each column is pasted into its own box, one value per line, as a spreadsheet
copies a column. Blank lines inside the data are missing values; blank lines at the end are ignored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from app.measurement import PROFILES, ChartType, Profile

MAX_POINTS = 5000
MIN_POINTS = 10  # fewer than this and no rule set can tell a signal from noise reliably
NEEDS_DENOMINATORS = frozenset({ChartType.P, ChartType.U})
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


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
    values: list[float | None] = field(default_factory=list)
    labels: list[str] | None = None
    denominators: list[float | None] | None = None
    target: float | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.values)

    @property
    def profile_obj(self) -> Profile:
        return PROFILES[self.profile]


def _lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def parse_number(cell: str) -> float | None:
    """A spreadsheet cell as a number: '1,234.5', '45%', ' 7 ' are fine; '' is missing."""
    cell = cell.strip().replace("\u2212", "-")
    if not cell:
        return None
    if cell.endswith("%"):
        cell = cell[:-1].strip()
    if _THOUSANDS.match(cell):
        cell = cell.replace(",", "")
    value = float(cell)  # raises ValueError for text
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def _numbers(text: str, what: str, errors: dict[str, str], key: str) -> list[float | None]:
    numbers: list[float | None] = []
    for i, line in enumerate(_lines(text), start=1):
        try:
            numbers.append(parse_number(line))
        except ValueError:
            shown = line.strip()[:40]
            errors[key] = f"Line {i} of {what} is “{shown}”, which is not a number"
            return []
    return numbers


def parse_lab_input(
    values_text: str,
    labels_text: str = "",
    denominators_text: str = "",
    chart: str = "run",
    profile: str = "ihi",
    direction: str = "neither",
    target_text: str = "",
) -> LabInput:
    data = LabInput(
        values_text, labels_text, denominators_text, chart, profile, direction, target_text
    )
    errors = data.errors
    if chart not in {c.value for c in ChartType}:
        errors["chart"] = "Choose a chart type"
    if profile not in PROFILES:
        errors["profile"] = "Choose a rule set"
    if direction not in {"higher_is_better", "lower_is_better", "neither"}:
        errors["direction"] = "Choose which direction is better"
    raw = _lines(values_text)
    if len(raw) > MAX_POINTS:
        errors["values"] = f"There are {len(raw):,} values; the lab takes at most {MAX_POINTS:,}"
        return data
    values = _numbers(values_text, "the values", errors, "values")
    if "values" not in errors:
        present = sum(v is not None for v in values)
        needed = _min_points(chart, profile)
        if present < needed:
            errors["values"] = (
                f"Enter at least {needed} values: this chart has {present}, and needs {needed} "
                "or more to tell a signal from noise"
            )
    if labels_text.strip():
        labels = [line.strip() for line in _lines(labels_text)]
        if values and len(labels) != len(values):
            errors["labels"] = (
                f"There are {len(labels)} labels for {len(values)} values: give one label per "
                "value, or none"
            )
        data.labels = labels
    if chart in NEEDS_DENOMINATORS:
        denominators = _numbers(denominators_text, "the denominators", errors, "denominators")
        if "denominators" not in errors:
            errors.update(_denominator_problems(values, denominators, chart))
        data.denominators = denominators
    if target_text.strip():
        try:
            data.target = parse_number(target_text)
        except ValueError:
            errors["target"] = "The target must be a number, like 95"
    if "values" not in errors:
        data.values = values
    return data


def _min_points(chart: str, profile: str) -> int:
    found = PROFILES.get(profile)
    if found is not None and chart != ChartType.RUN.value:
        return max(MIN_POINTS, found.min_points_for_limits)
    return MIN_POINTS


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
        if chart == ChartType.P.value and value is not None and den and value > den:
            return {
                "values": f"Line {i}: {value:g} is more than its denominator {den:g}; a p chart "
                "counts cases out of a total"
            }
    return {}
