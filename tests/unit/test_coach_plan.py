"""The coach's rules about the plan: each fires on the gap it names, and only then."""

from __future__ import annotations

from datetime import date

from app.coach import (
    Aim,
    CycleInfo,
    DriverInfo,
    MeasureInfo,
    ProjectSnapshot,
    Severity,
    review,
)
from app.coach import rules_plan as rules

GOOD_AIM = Aim(
    "antibiotics within 1 hour", "from 62% to 90%", date(2027, 3, 31), "adults with sepsis"
)


def rule_names(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in findings]


def test_a_complete_aim_passes() -> None:
    assert rules.aim_parts(ProjectSnapshot(aim=GOOD_AIM)) == []


def test_an_aim_without_a_number_date_or_population_is_named_for_each() -> None:
    aim = Aim("antibiotics within 1 hour", "a lot", None, " ")
    found = rules.aim_parts(ProjectSnapshot(aim=aim))
    assert rule_names(found) == ["aim_how_much", "aim_by_when", "aim_for_whom"]
    assert all(f.severity is Severity.WARNING and f.about == "the aim" for f in found)
    assert "number" in found[0].message and "date" in found[1].message
    assert found[0].lesson.url == "/modules/model-for-improvement/aim-statements"


def test_no_aim_at_all_is_one_finding() -> None:
    assert rule_names(rules.aim_parts(ProjectSnapshot())) == ["aim_missing"]


TREE = (
    DriverInfo(1, "primary", "Recognition"),
    DriverInfo(2, "secondary", "Triage screening", parent_id=1),
    DriverInfo(3, "change", "Sepsis prompt on triage form", parent_id=2, measure_ids=(9,)),
    DriverInfo(4, "change", "Antibiotic boxes in resus", parent_id=1, measure_ids=(9,)),
)


def test_linked_change_ideas_pass() -> None:
    assert rules.change_ideas_linked(ProjectSnapshot(drivers=TREE)) == []


def test_a_change_idea_without_driver_or_measure_is_flagged_twice() -> None:
    loose = DriverInfo(5, "change", "Posters <b>in</b> the staff room", parent_id=None)
    found = rules.change_ideas_linked(ProjectSnapshot(drivers=(*TREE, loose)))
    assert rule_names(found) == ["change_without_driver", "change_without_measure"]
    assert "Posters <b>in</b> the staff room" in found[0].message  # escaping is the template's job
    assert found[0].lesson.lesson == "driver-diagrams"
    assert found[1].lesson.lesson == "a-driver-and-a-measure"


def test_a_change_idea_under_another_change_idea_has_no_driver() -> None:
    odd = DriverInfo(6, "change", "Nested idea", parent_id=3, measure_ids=(9,))
    found = rules.change_ideas_linked(ProjectSnapshot(drivers=(*TREE, odd)))
    assert rule_names(found) == ["change_without_driver"]


def measure(kind: str, **extra) -> MeasureInfo:  # type: ignore[no-untyped-def]
    return MeasureInfo(
        id=extra.pop("id", 1), name=f"A {kind} measure", kind=kind, points=0, **extra
    )


def test_no_balancing_measure_is_flagged_only_when_there_are_measures() -> None:
    assert rules.balancing_measure(ProjectSnapshot()) == []
    only_outcome = ProjectSnapshot(measures=(measure("outcome"), measure("process", id=2)))
    assert rule_names(rules.balancing_measure(only_outcome)) == ["no_balancing"]
    with_balancing = ProjectSnapshot(measures=(measure("outcome"), measure("balancing", id=2)))
    assert rules.balancing_measure(with_balancing) == []


def test_a_plan_without_prediction_is_flagged() -> None:
    cycles = (CycleInfo(1, prediction="70% within the hour"), CycleInfo(2, prediction="  "))
    found = rules.predictions(ProjectSnapshot(cycles=cycles))
    assert [f.about for f in found] == ["PDSA 2"]
    assert found[0].lesson.lesson == "plan-with-a-prediction"


def test_a_decision_without_a_study_is_flagged() -> None:
    cycle = CycleInfo(1, prediction="70%", study="", act="adopt")
    found = rules.study_without_comparison(ProjectSnapshot(cycles=(cycle,)))
    assert rule_names(found) == ["act_no_study"]
    assert "adopt" in found[0].message


def test_a_study_that_never_mentions_the_prediction_is_flagged() -> None:
    cycle = CycleInfo(1, prediction="70%", study="We did it on day shifts. 8 of 10 had the prompt.")
    found = rules.study_without_comparison(ProjectSnapshot(cycles=(cycle,)))
    assert rule_names(found) == ["study_no_comparison"]
    assert found[0].lesson.lesson == "study-and-act"


def test_a_study_that_compares_passes() -> None:
    for study in (
        "8 of 10 had the prompt, more than we predicted.",
        "As expected, nights were harder.",
        "Compared with our guess of 70%, we got 80%.",
        "Result 80% versus 70%.",
    ):
        cycle = CycleInfo(1, prediction="70%", study=study, act="adapt")
        assert rules.study_without_comparison(ProjectSnapshot(cycles=(cycle,))) == [], study


def test_no_study_and_no_decision_yet_is_not_flagged() -> None:
    cycle = CycleInfo(1, prediction="70%")
    assert rules.study_without_comparison(ProjectSnapshot(cycles=(cycle,))) == []


def test_review_puts_warnings_before_good_signs_and_a_sound_project_has_none() -> None:
    sound = ProjectSnapshot(
        aim=GOOD_AIM,
        drivers=TREE,
        measures=(measure("outcome", id=9), measure("balancing", id=2)),
        cycles=(CycleInfo(1, prediction="70%", study="80%, more than predicted", act="adapt"),),
    )
    assert review(sound) == []
    findings = review(ProjectSnapshot(aim=Aim("x", "", None, "")))
    assert {f.severity for f in findings} == {Severity.WARNING}
