"""The supervisor's matrix: their trainees x modules, filtered and sorted, with totals."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col

from app.catalog import Catalog
from app.catalog.schema import Module
from app.models import User
from app.services.records import ModuleRecord, Status, records_for
from app.services.supervision import cohort_member_ids, visible_trainees

SORTS = ("name", "grade", "progress")
UNFINISHED = (Status.in_progress, Status.failed)  # started, and no pass yet


@dataclass(frozen=True)
class Filters:
    cohort_id: int | None = None
    grade: str = ""
    module: str = ""
    sort: str = "name"


@dataclass(frozen=True)
class Row:
    trainee: User
    cells: list[ModuleRecord]

    @property
    def completed(self) -> int:
        return sum(cell.passed for cell in self.cells)


@dataclass(frozen=True)
class Total:
    module: Module
    completed: int
    in_progress: int


@dataclass(frozen=True)
class Matrix:
    modules: list[Module]
    rows: list[Row]
    totals: list[Total]


def scoped_trainees(db: Session, supervisor: User, filters: Filters) -> list[User]:
    query = visible_trainees(supervisor)
    if filters.cohort_id is not None:
        query = query.where(col(User.id).in_(cohort_member_ids(filters.cohort_id)))
    if filters.grade:
        query = query.where(User.grade == filters.grade)
    return list(db.exec(query.order_by(User.name, User.id)).all())


def matrix(db: Session, supervisor: User, catalog: Catalog, filters: Filters) -> Matrix:
    modules = [m for m in catalog.modules if not filters.module or m.slug == filters.module]
    trainees = scoped_trainees(db, supervisor, filters)
    records = records_for(db, trainees, catalog, answers=False)
    rows = [Row(t, [records[t.id][m.slug] for m in modules]) for t in trainees]
    if filters.sort == "grade":
        rows.sort(key=lambda r: (r.trainee.grade, r.trainee.name.lower()))
    elif filters.sort == "progress":
        rows.sort(key=lambda r: (-r.completed, -sum(c.lessons_done for c in r.cells)))
    totals = [
        Total(
            module=m,
            completed=sum(r.cells[i].passed for r in rows),
            in_progress=sum(r.cells[i].state in UNFINISHED for r in rows),
        )
        for i, m in enumerate(modules)
    ]
    return Matrix(modules, rows, totals)
