"""What the coach reads and what it says: plain frozen dataclasses, no database rows.

The glue (`app.services.projects.coach_input`) fills a `ProjectSnapshot` from the tables and
the chart engine; the rules (`app.coach.rules_*`) read only this, so every rule is testable
with a few lines of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    """How a finding is shown: a gap to close, a good sign, or a note."""

    WARNING = "warning"
    GOOD = "good"
    INFO = "info"

    @property
    def label(self) -> str:
        """Words shown with the finding, so colour is never the only cue."""
        return {"warning": "To do", "good": "Good sign", "info": "Note"}[self.value]


@dataclass(frozen=True)
class LessonRef:
    """The lesson that teaches the point: /modules/{module}/{lesson}."""

    module: str
    lesson: str
    title: str = ""  # filled from the catalog by the glue

    @property
    def url(self) -> str:
        return f"/modules/{self.module}/{self.lesson}"


@dataclass(frozen=True)
class Finding:
    """One thing the coach noticed about one part of the project."""

    severity: Severity
    message: str
    about: str  # what it is about, in words: "the aim", "PDSA 2", "measure “Falls”"
    lesson: LessonRef | None
    rule: str = ""  # the rule's name, stable, for tests and docs


@dataclass(frozen=True)
class Aim:
    what: str = ""
    how_much: str = ""
    by_when: date | None = None
    for_whom: str = ""


@dataclass(frozen=True)
class DriverInfo:
    """A node of the driver diagram: kind is primary, secondary or change."""

    id: int
    kind: str
    text: str
    parent_id: int | None = None
    measure_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SignalInfo:
    """A signal the engine found: `start` is the 0-based index of its first point.

    kind is the rule's name as the engine gives it ("shift", "trend", "point outside the
    limits" ...); direction +1 is high or rising, -1 low or falling, 0 neither.
    """

    kind: str
    start: int
    length: int
    direction: int
    concern: bool = False  # the engine judged it a move in the unwanted direction


@dataclass(frozen=True)
class MeasureInfo:
    """A measure and what the engine made of its data.

    `cycle_starts` maps a PDSA cycle number to the index of the first point on or after the
    cycle's start (len(points) when no point is that late yet); cycles that cannot be placed
    on this chart (no dates) are absent.
    """

    id: int
    name: str
    kind: str  # outcome | process | balancing
    points: int  # values present
    point_dates: tuple[date | None, ...] | None = None  # when every label is a date
    chart: str = "run"
    centre_name: str = "median"
    frozen: bool = False
    freeze: int | None = None
    min_baseline: int = 10  # the profile's minimum baseline before a change
    signals: tuple[SignalInfo, ...] = ()
    cycle_starts: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CycleInfo:
    number: int
    starts_on: date | None = None
    prediction: str = ""
    study: str = ""
    act: str = ""  # "" | adopt | adapt | abandon


@dataclass(frozen=True)
class ProjectSnapshot:
    aim: Aim = Aim()
    drivers: tuple[DriverInfo, ...] = ()
    measures: tuple[MeasureInfo, ...] = ()
    cycles: tuple[CycleInfo, ...] = ()
    results: str = ""  # the project's results text, as written
