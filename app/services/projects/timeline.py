"""Where each PDSA cycle starts on a measure's chart. Pure: plain labels and dates in, notes out.

A cycle is drawn at the first point whose label is a date on or after the cycle's `starts_on`.
That needs every label to be a date; otherwise the page says plainly why the cycles are missing,
rather than guessing which "Week 3" a date falls in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# The chart's own reading of ISO (2026-01-05, 2026-01) and UK (05/01/2026) labels, so a label the
# axis shows as a date is a date here too.
from app.measurement.svg import _as_date

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+)\.?,?[ -](\d{4})$")
DATE_EXAMPLES = "2026-01-05, 05/01/2026 or 5 Jan 2026"


def parse_date(text: str) -> date | None:
    """A date as people type it: 2026-01-05, 05/01/2026 (day first) or 5 Jan 2026; else None."""
    text = " ".join(text.split())
    if m := _WORDY.match(text):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            return None
        try:
            return date(int(m[3]), month, int(m[1]))
        except ValueError:  # 31 Feb 2026
            return None
    found = _as_date(text)
    return found[0] if found else None


def day_text(day: date) -> str:
    """5 Jan 2026: how the pages write a date."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class CycleStart:
    number: int
    starts_on: date | None


@dataclass
class Placement:
    """Notes to draw (0-based point -> text), and sentences for whatever could not be drawn."""

    annotations: dict[int, str] = field(default_factory=dict)
    problem: str | None = None  # why no cycle can be placed on this chart at all
    not_shown: list[str] = field(default_factory=list)  # cycles that fall outside the data


def _names(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"PDSA {numbers[0]} starts"
    return "PDSA " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]} start"


def place_cycles(labels: Sequence[str] | None, cycles: Sequence[CycleStart]) -> Placement:
    """Map each dated cycle to the first point dated on or after its start."""
    placement = Placement()
    dated = sorted((c for c in cycles if c.starts_on is not None), key=lambda c: c.number)
    if not dated:
        return placement
    if not labels:
        placement.problem = (
            "PDSA cycles can't be placed on this chart: its points have no labels. Give each "
            f"point a date ({DATE_EXAMPLES}) to see where each cycle starts."
        )
        return placement
    days: list[date] = []
    for i, label in enumerate(labels, start=1):
        day = parse_date(label)
        if day is None:
            placement.problem = (
                f"PDSA cycles can't be placed on this chart: point {i}'s label “{label[:40]}” is "
                f"not a date. Label every point with a date ({DATE_EXAMPLES}) to see where "
                "each cycle starts."
            )
            return placement
        days.append(day)
    at: dict[int, list[int]] = {}
    for cycle in dated:
        assert cycle.starts_on is not None  # filtered above
        index = next((i for i, day in enumerate(days) if day >= cycle.starts_on), None)
        if index is None:
            placement.not_shown.append(
                f"PDSA {cycle.number} starts {day_text(cycle.starts_on)}, after the last point."
            )
        else:
            at.setdefault(index, []).append(cycle.number)
    placement.annotations = {index: _names(numbers) for index, numbers in sorted(at.items())}
    return placement
