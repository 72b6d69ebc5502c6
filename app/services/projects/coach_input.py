"""The coach's glue: one project's rows -> a `ProjectSnapshot` -> findings with lesson titles.

Four queries whatever the size of the project (drivers, their measure links, measures, cycles).
Each measure is parsed and analysed exactly as the lab does it (`lab_input.parse_lab_input`,
then `measurement.analyse`), so the coach sees the signals the chart shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.coach import (
    Aim,
    CycleInfo,
    DriverInfo,
    Finding,
    MeasureInfo,
    ProjectSnapshot,
    SignalInfo,
    review,
)
from app.measurement import ChartType, Profile, Variation
from app.measurement.results import centre_name
from app.models import ChangeIdeaMeasure, DriverNode, Measure, PdsaCycle, Project
from app.services.lab import analyse_input
from app.services.lab_input import MIN_POINTS, LabInput, parse_lab_input
from app.services.projects.measures import as_input
from app.services.projects.timeline import parse_date


def baseline_minimum(profile: Profile) -> int:
    """Points a baseline needs before a change: 10 (as the lab), more where the profile needs
    more for its limits (the MDC tool's 13) or warns below them (NHSRplotthedots' 13)."""
    return max(MIN_POINTS, profile.min_points_for_limits, profile.warn_below_points or 0)


def point_dates(labels: list[str] | None) -> tuple[date | None, ...] | None:
    """Every label's date when every non-empty label is a date (and one is), else None."""
    if not labels:
        return None
    dates = tuple(parse_date(label) if label.strip() else None for label in labels)
    if any(d is None and label.strip() for d, label in zip(dates, labels, strict=True)):
        return None
    return dates if any(dates) else None


def _signals(data: LabInput) -> tuple[tuple[SignalInfo, ...], str]:
    """The engine's signals (none when too few points to judge, as on the chart)."""
    try:
        result = analyse_input(data)
    except ValueError:
        return (), "median"
    if data.too_few:
        return (), result.centre_name
    signals = tuple(
        SignalInfo(
            kind=s.rule.value,
            start=min(s.indices),
            length=len(s.indices),
            direction=s.direction,
            concern=s.variation is Variation.CONCERN,
        )
        for s in result.signals
        if s.indices
    )
    return signals, result.centre_name


def measure_info(measure: Measure, cycles: list[PdsaCycle]) -> MeasureInfo:
    """One measure as the coach sees it; cycles are placed on it when its labels are dates."""
    data = parse_lab_input(**as_input(measure))
    usable = data.ok
    signals, centre = _signals(data) if usable else ((), _centre(measure.chart))
    dates = point_dates(data.labels) if usable else None
    starts: dict[int, int] = {}
    if dates:
        for cycle in cycles:
            if cycle.starts_on is not None:
                starts[cycle.number] = next(
                    (i for i, d in enumerate(dates) if d is not None and d >= cycle.starts_on),
                    len(dates),
                )
    profile = data.profile_obj if "profile" not in data.errors else None
    return MeasureInfo(
        id=measure.id or 0,
        name=measure.name,
        kind=measure.kind,
        points=data.present if usable else 0,
        point_dates=dates,
        chart=measure.chart,
        centre_name=centre,
        frozen=data.freeze is not None,
        freeze=data.freeze,
        min_baseline=baseline_minimum(profile) if profile else MIN_POINTS,
        signals=signals,
        cycle_starts=starts,
    )


def _centre(chart: str) -> str:
    try:
        return centre_name(ChartType(chart))
    except ValueError:
        return "centre line"


def build_snapshot(db: Session, project: Project) -> ProjectSnapshot:
    pid = project.id
    nodes = db.exec(
        select(DriverNode).where(DriverNode.project_id == pid).order_by(col(DriverNode.position))
    ).all()
    links = db.exec(
        select(ChangeIdeaMeasure.node_id, ChangeIdeaMeasure.measure_id)
        .join(DriverNode, col(DriverNode.id) == ChangeIdeaMeasure.node_id)
        .where(DriverNode.project_id == pid)
    ).all()
    measures = db.exec(
        select(Measure).where(Measure.project_id == pid).order_by(col(Measure.position))
    ).all()
    cycles = list(
        db.exec(
            select(PdsaCycle).where(PdsaCycle.project_id == pid).order_by(col(PdsaCycle.number))
        ).all()
    )
    linked: dict[int, list[int]] = {}
    for node_id, measure_id in links:
        linked.setdefault(node_id, []).append(measure_id)
    return ProjectSnapshot(
        aim=Aim(project.aim_what, project.aim_how_much, project.aim_by_when, project.aim_for_whom),
        drivers=tuple(
            DriverInfo(n.id or 0, n.kind, n.text, n.parent_id, tuple(linked.get(n.id or 0, ())))
            for n in nodes
        ),
        measures=tuple(measure_info(m, cycles) for m in measures),
        cycles=tuple(
            CycleInfo(c.number, c.starts_on, c.prediction, c.study, c.act) for c in cycles
        ),
        results=project.results,
    )


def with_titles(findings: list[Finding], catalog: Catalog) -> list[Finding]:
    """Each lesson link with its title; a lesson missing from the catalog loses its link."""
    out = []
    for finding in findings:
        ref = finding.lesson
        found = catalog.lesson(ref.module, ref.lesson) if ref else None
        lesson = replace(ref, title=found[1].title) if ref and found else None
        out.append(replace(finding, lesson=lesson))
    return out


def coach_findings(db: Session, catalog: Catalog, project: Project) -> list[Finding]:
    """What the coach says about this project, for the overview's coach panel."""
    return with_titles(review(build_snapshot(db, project)), catalog)
