"""PDSA cycles on a measure's chart: dates as people type them, and plain reasons when not."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.projects.timeline import CycleStart, parse_date, place_cycles

WEEKS = [f"2026-01-{d:02d}" for d in (5, 12, 19, 26)] + ["2026-02-02", "2026-02-09"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("05/01/2026", date(2026, 1, 5)),
        ("5/1/2026", date(2026, 1, 5)),
        ("5 Jan 2026", date(2026, 1, 5)),
        ("5 January 2026", date(2026, 1, 5)),
        (" 5th  Sept 2026 ", date(2026, 9, 5)),
        ("5-Jan-2026", date(2026, 1, 5)),
        ("2026-03", date(2026, 3, 1)),
        ("Week 3", None),
        ("31 Feb 2026", None),
        ("2026-13-01", None),
        ("5 Foo 2026", None),
        ("", None),
    ],
)
def test_dates_as_people_type_them(text: str, day: date | None) -> None:
    assert parse_date(text) == day


def test_a_cycle_lands_on_the_first_point_on_or_after_its_start() -> None:
    cycles = [
        CycleStart(1, date(2026, 1, 5)),  # exactly on a point
        CycleStart(2, date(2026, 1, 13)),  # between points: the next one
        CycleStart(3, date(2025, 12, 1)),  # before the data: the first point
    ]
    placed = place_cycles(WEEKS, cycles)
    assert placed.annotations == {0: "PDSA 1 and 3 start", 2: "PDSA 2 starts"}
    assert placed.problem is None and placed.not_shown == []


def test_cycles_after_the_data_or_undated_are_not_drawn() -> None:
    cycles = [CycleStart(4, date(2026, 3, 1)), CycleStart(5, None)]
    placed = place_cycles(WEEKS, cycles)
    assert placed.annotations == {}
    assert placed.not_shown == ["PDSA 4 starts 1 Mar 2026, after the last point."]


def test_uk_and_wordy_labels_work_too() -> None:
    labels = ["05/01/2026", "12 Jan 2026", "19/01/2026"]
    placed = place_cycles(labels, [CycleStart(2, date(2026, 1, 10))])
    assert placed.annotations == {1: "PDSA 2 starts"}


def test_labels_that_are_not_dates_say_why() -> None:
    placed = place_cycles(["Week 1", "Week 2"], [CycleStart(1, date(2026, 1, 5))])
    assert placed.annotations == {}
    assert placed.problem is not None
    assert "can't be placed" in placed.problem and "point 1's label “Week 1” is not a date" in (
        placed.problem
    )


def test_no_labels_say_why() -> None:
    placed = place_cycles(None, [CycleStart(1, date(2026, 1, 5))])
    assert placed.problem and "no labels" in placed.problem


def test_no_dated_cycle_means_nothing_to_say() -> None:
    placed = place_cycles(["Week 1"], [CycleStart(1, None)])
    assert placed.problem is None and placed.annotations == {}
