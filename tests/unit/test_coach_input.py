"""The coach's glue against a real database (SQLite and PostgreSQL): a project made in the
tables becomes a snapshot in a fixed number of queries, analysed by the real chart engine."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.catalog import load_catalog
from app.coach import Severity
from app.measurement import PROFILES
from app.models import ChangeIdeaMeasure, DriverNode, PdsaCycle, Project
from app.services.projects.coach_input import (
    baseline_minimum,
    build_snapshot,
    coach_findings,
    point_dates,
)
from app.services.projects.timeline import parse_date
from tests.conftest import CONTENT_DIR
from tests.web.coach_draw_helpers import add_measure, make_project, make_user

CATALOG = load_catalog(CONTENT_DIR).for_learners
WEEKS = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(22)]
# The run-charts course data: 12 baseline weeks around 67, then a rise from week 15.
VALUES = [62, 70, 58, 68, 74, 60, 71, 64, 72, 56, 66, 69, 68, 63, 75, 78, 77, 80, 79, 82, 81, 84]


def test_labels_are_dates_only_when_all_of_them_are() -> None:
    assert parse_date("2026-01-05") == date(2026, 1, 5)
    assert parse_date("05/01/2026") == date(2026, 1, 5)
    assert parse_date("Week 1") is None
    assert point_dates(["2026-01-05", "", "12/01/2026"]) == (
        date(2026, 1, 5),
        None,
        date(2026, 1, 12),
    )
    assert point_dates(["2026-01-05", "Week 2"]) is None
    assert point_dates(None) is None


def test_the_baseline_minimum_follows_the_profile() -> None:
    assert baseline_minimum(PROFILES["ihi"]) == 10
    assert baseline_minimum(PROFILES["mdc_v5"]) == 13
    assert baseline_minimum(PROFILES["nhsrplotthedots"]) == 13


def make_sepsis(engine: Engine, frozen: bool) -> int:
    lead = make_user(engine, "Grace Mensah")
    pid = make_project(
        engine,
        lead,
        aim_what="antibiotics within 1 hour",
        aim_how_much="more",
        aim_for_whom="adults with suspected sepsis",
        results="Compliance improved from 62% to 84%.",
    )
    labels = "\n".join(d.isoformat() for d in WEEKS)
    outcome = add_measure(
        engine,
        pid,
        "Antibiotics within 1 hour",
        values_text="\n".join(map(str, VALUES)),
        labels_text=labels,
        direction="higher_is_better",
        freeze_text="12" if frozen else "",
    )
    add_measure(engine, pid, "Audit", kind="process", values_text="50\n70")
    with Session(engine) as db:
        primary = DriverNode(project_id=pid, kind="primary", text="Recognition")
        db.add(primary)
        db.flush()
        idea = DriverNode(project_id=pid, kind="change", text="Prompt", parent_id=primary.id)
        loose = DriverNode(project_id=pid, kind="change", text="Posters")
        db.add_all([idea, loose])
        db.flush()
        db.add(ChangeIdeaMeasure(node_id=idea.id, measure_id=outcome))
        db.add(
            PdsaCycle(
                project_id=pid,
                number=1,
                change="Prompt, days",
                starts_on=WEEKS[12],
                prediction="70%",
                study="80%, more than we predicted",
                act="adapt",
            )
        )
        db.add(
            PdsaCycle(
                project_id=pid,
                number=2,
                change="Prompt, all shifts",
                starts_on=WEEKS[14] - timedelta(days=7),
                prediction="",
                act="adopt",
            )
        )
        db.commit()
    return pid


def count_queries(engine: Engine):  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_a_project_in_the_database_gets_its_findings(engine: Engine, client: httpx.Client) -> None:
    pid = make_sepsis(engine, frozen=True)
    with Session(engine) as db:
        project = db.get(Project, pid)
        seen, stop = count_queries(engine)
        snapshot = build_snapshot(db, project)
        stop()
        assert len(seen) == 4, seen  # drivers, links, measures, cycles: never one per row
        findings = coach_findings(db, CATALOG, project)
    outcome = snapshot.measures[0]
    assert outcome.points == 22 and outcome.frozen and outcome.freeze == 12
    assert outcome.cycle_starts == {1: 12, 2: 13}
    assert outcome.point_dates[0] == WEEKS[0]
    assert any(s.kind == "shift" for s in outcome.signals)
    assert snapshot.drivers[1].measure_ids == (outcome.id,)
    rules = {f.rule for f in findings}
    assert {
        "aim_how_much",
        "aim_by_when",
        "change_without_driver",
        "no_balancing",
        "no_prediction",
        "two_points",
        "signal",
    } <= rules
    assert "baseline_freeze" not in rules and "claim_few_points" not in rules
    good = [f for f in findings if f.severity is Severity.GOOD]
    expected = "a shift of 8 points above the median began 1 week after PDSA 2."
    assert expected in good[0].message, good[0].message
    assert all(f.lesson and f.lesson.title for f in findings)
    assert findings[0].severity is Severity.WARNING and findings[-1].severity is Severity.GOOD


def test_an_unfrozen_baseline_is_found(engine: Engine, client: httpx.Client) -> None:
    pid = make_sepsis(engine, frozen=False)
    with Session(engine) as db:
        findings = coach_findings(db, CATALOG, db.get(Project, pid))
    freeze = [f for f in findings if f.rule == "baseline_freeze"]
    assert len(freeze) == 1 and "has 12 points before PDSA 1 started" in freeze[0].message


def test_an_empty_project_and_broken_data_never_fail(engine: Engine, client: httpx.Client) -> None:
    lead = make_user(engine)
    pid = make_project(engine, lead)
    add_measure(engine, pid, "Broken", values_text="abc\n12", freeze_text="99", chart="nope")
    with Session(engine) as db:
        findings = coach_findings(db, CATALOG, db.get(Project, pid))
    assert [f.rule for f in findings] == ["aim_missing", "no_balancing"]
