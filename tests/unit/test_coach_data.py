"""The coach's rules about data: claims on too few points, two-point comparisons, signals after
a cycle (a good sign, with the gap in weeks or points) and a baseline left unfrozen."""

from __future__ import annotations

from datetime import date, timedelta

from app.coach import (
    Aim,
    CycleInfo,
    DriverInfo,
    MeasureInfo,
    ProjectSnapshot,
    Severity,
    SignalInfo,
)
from app.coach import rules_data as rules

MONDAYS = tuple(date(2026, 1, 5) + timedelta(weeks=i) for i in range(20))


def measure(points: int = 20, **extra) -> MeasureInfo:  # type: ignore[no-untyped-def]
    return MeasureInfo(
        id=extra.pop("id", 1),
        name=extra.pop("name", "Antibiotics < 1 hour"),
        kind=extra.pop("kind", "outcome"),
        points=points,
        **extra,
    )


def test_a_claim_on_fewer_than_ten_points_is_flagged() -> None:
    snap = ProjectSnapshot(results="Compliance improved a lot.", measures=(measure(6),))
    found = rules.claim_on_too_few_points(snap)
    assert [f.rule for f in found] == ["claim_few_points"]
    assert "the most any measure has is 6" in found[0].message
    assert found[0].about == "the results"
    assert found[0].lesson.url == "/modules/run-charts/building-a-run-chart"


def test_adopting_a_change_is_a_claim_too() -> None:
    snap = ProjectSnapshot(cycles=(CycleInfo(3, act="adopt"),), measures=(measure(4),))
    assert [f.about for f in rules.claim_on_too_few_points(snap)] == ["PDSA 3"]


def test_no_claim_or_enough_points_is_not_flagged() -> None:
    assert rules.claim_on_too_few_points(ProjectSnapshot(measures=(measure(4),))) == []
    enough = ProjectSnapshot(results="It improved.", measures=(measure(4), measure(10, id=2)))
    assert rules.claim_on_too_few_points(enough) == []
    adapted = ProjectSnapshot(cycles=(CycleInfo(1, act="adapt"),), measures=(measure(4),))
    assert rules.claim_on_too_few_points(adapted) == []


def test_a_before_and_after_pair_in_the_results_is_flagged() -> None:
    snap = ProjectSnapshot(
        results="Compliance rose from 62% to 71% in March.", measures=(measure(),)
    )
    found = rules.two_point_comparison(snap)
    assert [f.rule for f in found] == ["two_points"]
    assert "“from 62% to 71%”" in found[0].message


def test_a_claim_on_a_two_point_measure_is_flagged() -> None:
    snap = ProjectSnapshot(
        cycles=(CycleInfo(1, act="adopt"),), measures=(measure(2, name="Audit"),)
    )
    found = rules.two_point_comparison(snap)
    assert [f.about for f in found] == ["measure “Audit”"]


def test_numbers_without_a_claim_or_over_time_are_not_flagged() -> None:
    assert (
        rules.two_point_comparison(ProjectSnapshot(results="We went from ward 6 to ward 7.")) == []
    )
    assert (
        rules.two_point_comparison(ProjectSnapshot(results="It improved.", measures=(measure(),)))
        == []
    )
    assert rules.two_point_comparison(ProjectSnapshot(measures=(measure(2),))) == []


SHIFT_LOW = SignalInfo("shift", start=14, length=7, direction=-1)


def test_a_signal_after_a_cycle_is_a_good_sign_with_the_gap_in_weeks() -> None:
    snap = ProjectSnapshot(
        cycles=(CycleInfo(1, starts_on=MONDAYS[8]), CycleInfo(2, starts_on=MONDAYS[12])),
        measures=(measure(point_dates=MONDAYS, signals=(SHIFT_LOW,), cycle_starts={1: 8, 2: 12}),),
    )
    found = rules.signals_after_cycles(snap)
    assert len(found) == 1 and found[0].severity is Severity.GOOD
    assert "a shift of 7 points below the median began 2 weeks after PDSA 2." in found[0].message
    assert found[0].lesson.lesson == "interpreting-run-charts"


def test_the_gap_is_in_days_on_the_day_or_in_points_without_dates() -> None:
    cycle = CycleInfo(1, starts_on=MONDAYS[12] - timedelta(days=3))
    dated = measure(point_dates=MONDAYS, signals=(SHIFT_LOW,), cycle_starts={1: 12})
    found = rules.signals_after_cycles(ProjectSnapshot(cycles=(cycle,), measures=(dated,)))
    assert "began 17 days after PDSA 1" in found[0].message
    same_day = CycleInfo(1, starts_on=MONDAYS[14])
    at = measure(point_dates=MONDAYS, signals=(SHIFT_LOW,), cycle_starts={1: 14})
    found = rules.signals_after_cycles(ProjectSnapshot(cycles=(same_day,), measures=(at,)))
    assert "began on the day PDSA 1 started" in found[0].message
    undated = measure(signals=(SHIFT_LOW,), cycle_starts={1: 11})
    found = rules.signals_after_cycles(ProjectSnapshot(cycles=(CycleInfo(1),), measures=(undated,)))
    assert "began 3 points after PDSA 1" in found[0].message


def test_other_signal_kinds_are_described() -> None:
    signals = (
        SignalInfo("trend", 10, 6, +1),
        SignalInfo("point outside the limits", 12, 1, +1),
        SignalInfo("too few runs", 0, 20, 0),  # a whole part: no start, left out
    )
    m = measure(signals=signals, cycle_starts={1: 10}, chart="i", centre_name="mean")
    found = rules.signals_after_cycles(ProjectSnapshot(cycles=(CycleInfo(1),), measures=(m,)))
    assert [f.message.split(", ")[1].split(" began")[0] for f in found] == [
        "a trend of 6 points rising",
        "a point above the upper limit",
    ]


def test_a_signal_before_any_cycle_says_nothing_and_a_concern_is_a_note() -> None:
    early = measure(signals=(SignalInfo("shift", 2, 6, +1),), cycle_starts={1: 12})
    assert (
        rules.signals_after_cycles(ProjectSnapshot(cycles=(CycleInfo(1),), measures=(early,))) == []
    )
    worse = measure(signals=(SignalInfo("shift", 13, 6, -1, concern=True),), cycle_starts={1: 12})
    found = rules.signals_after_cycles(ProjectSnapshot(cycles=(CycleInfo(1),), measures=(worse,)))
    assert found[0].severity is Severity.INFO and "did not want" in found[0].message


def test_an_unfrozen_baseline_long_enough_before_the_first_cycle_is_flagged() -> None:
    m = measure(cycle_starts={1: 12, 2: 16}, min_baseline=10)
    found = rules.baseline_not_frozen(ProjectSnapshot(measures=(m,)))
    assert [f.rule for f in found] == ["baseline_freeze"]
    assert "has 12 points before PDSA 1 started" in found[0].message
    assert found[0].lesson.lesson == "interpreting-run-charts"
    spc = measure(cycle_starts={1: 13}, min_baseline=13, chart="i")
    assert rules.baseline_not_frozen(ProjectSnapshot(measures=(spc,)))[0].lesson.lesson == (
        "recalculating-limits"
    )


def test_a_frozen_short_or_unplaced_baseline_is_not_flagged() -> None:
    for m in (
        measure(cycle_starts={1: 12}, frozen=True, freeze=12),
        measure(cycle_starts={1: 9}, min_baseline=10),
        measure(cycle_starts={1: 12}, min_baseline=13),
        measure(cycle_starts={}),
    ):
        assert rules.baseline_not_frozen(ProjectSnapshot(measures=(m,))) == [], m


EVERYTHING_WRONG = ProjectSnapshot(
    aim=Aim("fewer falls", "", None, ""),
    drivers=(DriverInfo(1, "change", "Posters"),),
    measures=(
        measure(2, id=1, name="Audit"),
        measure(
            8,
            id=2,
            point_dates=MONDAYS[:8],
            signals=(SignalInfo("shift", 6, 6, -1),),
            cycle_starts={1: 3},
            min_baseline=3,
        ),
    ),
    cycles=(
        CycleInfo(1, starts_on=MONDAYS[3], prediction="", study="done", act="adopt"),
        CycleInfo(2, prediction="fewer", study="We did it."),
    ),
    results="Falls fell from 12 to 8.",
)
