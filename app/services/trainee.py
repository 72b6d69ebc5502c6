"""One trainee's record in full, for their supervisor's detail page and their own download."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from app.catalog import Catalog
from app.models import User
from app.services import reflections, scenario_runs
from app.services.projects.record import projects_record
from app.services.records import ModuleRecord, records_for


def trainee_detail(db: Session, trainee: User, catalog: Catalog) -> dict[str, Any]:
    records = records_for(db, [trainee], catalog)[trainee.id]
    notes = reflections.of_user(db, trainee)
    titles = {
        (m.slug, lesson.slug): f"{m.title}: {lesson.title}"
        for m in catalog.modules
        for lesson in m.lessons
    }
    scenario_titles = {
        (m.slug, lesson.slug, s.id): f"{m.title}: {lesson.title}: {s.title}"
        for m in catalog.modules
        for lesson in m.lessons
        for s in scenario_runs.scenarios_of(lesson)
    }
    return {
        "trainee": trainee,
        "scenario_reflections": [
            (scenario_titles[key], run)
            for run in scenario_runs.reflections_of(db, trainee)
            if (key := (run.module_slug, run.lesson_slug, run.scenario_id)) in scenario_titles
        ],
        "records": [records[m.slug] for m in catalog.modules],
        "reflections": [
            (titles.get((r.module_slug, r.lesson_slug), r.lesson_slug), r) for r in notes
        ],
        "total_minutes": measured_total(records.values()),
        "projects": projects_record(db, trainee),
    }


def measured_total(records: Iterable[ModuleRecord]) -> int | None:
    """The sum of the modules whose time was measured; None when none was (shown "not known")."""
    known = [r.minutes_spent for r in records if r.minutes_spent is not None]
    return sum(known) if known else None
