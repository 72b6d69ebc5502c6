"""A project's measures: the operational definition, the data (as the lab takes it) and its chart.

Every query names the project, so a measure id from another project is simply not found. The
data columns mirror the lab's `Dataset`, so `lab_input.parse_lab_input` reads them and
`lab.lab_chart` draws them. Two team members adding a point at once must both be kept: a point
is appended with a compare-and-swap UPDATE (the row changes only if its data is still what was
read), retried with the fresh data when someone else got there first.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import Measure, PdsaCycle, User
from app.models.content import utcnow
from app.services.lab import LabChart, lab_chart
from app.services.lab_input import (
    NEEDS_DENOMINATORS,
    CellError,
    LabInput,
    parse_column,
    parse_lab_input,
    parse_number,
)
from app.services.projects import history
from app.services.projects.timeline import CycleStart, Placement, place_cycles

KINDS = {
    "outcome": "Outcome",
    "process": "Process",
    "balancing": "Balancing",
}
DEFINITION = {  # field -> (label, size)
    "numerator": ("Numerator", 1000),
    "denominator": ("Denominator", 1000),
    "inclusions": ("Inclusions", 1000),
    "exclusions": ("Exclusions", 1000),
    "source": ("Source of the data", 1000),
    "frequency": ("How often it is measured", 200),
}
FIELDS = ("name", "kind", *DEFINITION)
MAX_LABEL = 60
APPEND_TRIES = 50


def list_measures(db: Session, project_id: int) -> list[Measure]:
    return list(
        db.exec(
            select(Measure)
            .where(Measure.project_id == project_id)
            .order_by(col(Measure.position), col(Measure.id))
        ).all()
    )


def get_measure(db: Session, project_id: int, measure_id: int) -> Measure | None:
    """The measure only if it belongs to this project: another project's id is not found."""
    return db.exec(
        select(Measure).where(Measure.id == measure_id, Measure.project_id == project_id)
    ).first()


def check_definition(form: dict[str, str]) -> dict[str, str]:
    """Problems with a measure's name, kind and definition, by field; empty when it is fine."""
    errors: dict[str, str] = {}
    name = form.get("name", "").strip()
    if not name:
        errors["name"] = "Give the measure a name, for example “Antibiotics within 1 hour”"
    elif len(name) > 200:
        errors["name"] = "Keep the name to 200 characters or fewer"
    if form.get("kind") not in KINDS:
        errors["kind"] = "Choose whether this is an outcome, process or balancing measure"
    for key, (label, size) in DEFINITION.items():
        if len(form.get(key, "")) > size:
            errors[key] = f"Keep the {label.lower()} to {size:,} characters or fewer"
    return errors


def _apply_definition(measure: Measure, form: dict[str, str]) -> None:
    measure.name = form["name"].strip()
    measure.kind = form["kind"]
    for key in DEFINITION:
        setattr(measure, key, form.get(key, "").strip())
    measure.updated_at = utcnow()


def create(db: Session, project_id: int, user: User, form: dict[str, str]) -> Measure:
    """A new measure with its definition and no data yet. Commits."""
    last = db.exec(
        select(Measure.position)
        .where(Measure.project_id == project_id)
        .order_by(col(Measure.position).desc())
    ).first()
    measure = Measure(project_id=project_id, name="", kind="", author_id=user.id)
    measure.position = (last or 0) + 1
    _apply_definition(measure, form)
    db.add(measure)
    history.record(db, project_id, user, "measure_added", measure.name)
    db.commit()
    db.refresh(measure)
    return measure


def update_definition(db: Session, measure: Measure, user: User, form: dict[str, str]) -> None:
    """Change the name, kind and definition only: the data columns are left alone. Commits."""
    values = {key: form.get(key, "").strip() for key in FIELDS}
    db.exec(  # type: ignore[call-overload]
        update(Measure)
        .where(col(Measure.id) == measure.id, col(Measure.project_id) == measure.project_id)
        .values(**values, updated_at=utcnow())
    )
    history.record(db, measure.project_id, user, "measure_edited", values["name"])
    db.commit()
    db.refresh(measure)


def as_input(measure: Measure) -> dict[str, str]:
    """The saved data, to feed parse_lab_input exactly as typed (measures have no target)."""
    return {
        "values_text": measure.values_text,
        "labels_text": measure.labels_text,
        "denominators_text": measure.denominators_text,
        "chart": measure.chart,
        "profile": measure.profile,
        "direction": measure.direction,
        "freeze_text": measure.freeze_text,
        "parts_text": measure.parts_text,
        "exclude_text": measure.exclude_text,
    }


def data_version(values_text: str, labels_text: str, denominators_text: str) -> str:
    """A short fingerprint of the data as it was shown, so a save can tell it changed since."""
    joined = "\0".join((values_text, labels_text, denominators_text)).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:16]


def version_of(measure: Measure) -> str:
    return data_version(measure.values_text, measure.labels_text, measure.denominators_text)


def _current(db: Session, measure: Measure) -> tuple[str, str, str]:
    row = db.exec(
        select(Measure.values_text, Measure.labels_text, Measure.denominators_text).where(
            Measure.id == measure.id, Measure.project_id == measure.project_id
        )
    ).one()
    return row[0], row[1], row[2]


def _swap(db: Session, measure: Measure, seen: tuple[str, str, str], new: dict[str, str]) -> bool:
    """UPDATE the row only if its data is still `seen`; True when it did."""
    result = db.exec(  # type: ignore[call-overload]
        update(Measure)
        .where(
            col(Measure.id) == measure.id,
            col(Measure.project_id) == measure.project_id,
            col(Measure.values_text) == seen[0],
            col(Measure.labels_text) == seen[1],
            col(Measure.denominators_text) == seen[2],
        )
        .values(**new, updated_at=utcnow())
    )
    return result.rowcount == 1


def save_data(db: Session, measure: Measure, user: User, data: LabInput, seen: str) -> bool:
    """Replace the data as pasted, unless it changed since the form was shown (someone added a
    point): then nothing is saved and False comes back, so no one's point is lost. Commits."""
    current = _current(db, measure)
    if data_version(*current) != seen:
        return False
    new = {
        "values_text": data.values_text,
        "labels_text": data.labels_text,
        "denominators_text": data.denominators_text,
        "chart": data.chart,
        "profile": data.profile,
        "direction": data.direction,
        "freeze_text": data.freeze_text,
        "parts_text": data.parts_text,
        "exclude_text": data.exclude_text,
    }
    if not _swap(db, measure, current, new):
        return False  # nothing written; closing the session ends the transaction
    history.record(
        db, measure.project_id, user, "measure_data_saved", f"{measure.name}: {data.present} points"
    )
    db.commit()
    db.refresh(measure)
    return True


def _without_trailing_blanks(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _number_text(value: float) -> str:
    return f"{value:.15g}"


def _add_line(text: str, label: str, number: float | None) -> str:
    """`text` with one more line: a number, or a label and a number in the paste's own columns."""
    cell = "" if number is None else _number_text(number)
    body = _without_trailing_blanks(text)
    if body.strip() and parse_column(body, "values").labels is not None:
        sep = "\t" if "\t" in body else ";" if ";" in body else ","
        out = io.StringIO()
        csv.writer(out, delimiter=sep, lineterminator="").writerow([label, cell])
        line = out.getvalue()
    else:
        line = cell
    return f"{body}\n{line}" if body else line


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    denominator: float | None


def check_point(
    measure: Measure, data: LabInput, label: str, value: str, denominator: str
) -> Point | dict[str, str]:
    """The typed point, or problems by field (point_label, point_value, point_denominator)."""
    errors: dict[str, str] = {}
    label = label.strip()
    has_labels = bool(data.labels) or not data.values
    if "\n" in label or "\r" in label or len(label) > MAX_LABEL:
        errors["point_label"] = f"Keep the label to one line of {MAX_LABEL} characters or fewer"
    elif label and not has_labels:
        errors["point_label"] = (
            "The earlier points have no labels, so leave this empty, or label them all in the "
            "data below"
        )
    elif not label and data.labels:
        errors["point_label"] = "Give the point a label, like the others (for example a date)"
    number: float | None = None
    try:
        number = parse_number(value)
        if number is None:
            errors["point_value"] = "Enter the value, for example 62 or 62.5"
    except CellError as exc:
        errors["point_value"] = f"“{value.strip()[:40]}” {exc}"
    den: float | None = None
    if measure.chart in NEEDS_DENOMINATORS:
        try:
            den = parse_number(denominator)
            if den is None or den <= 0:
                errors["point_denominator"] = "Enter the denominator: a p or u chart needs one"
        except CellError as exc:
            errors["point_denominator"] = f"“{denominator.strip()[:40]}” {exc}"
    elif denominator.strip():
        errors["point_denominator"] = (
            "This measure's chart takes no denominator: leave it empty, or choose a p or u chart"
        )
    if errors or number is None:
        return errors
    return Point(label, number, den)


def _appended(measure: Measure, seen: tuple[str, str, str], point: Point) -> dict[str, str]:
    values_text, labels_text, denominators_text = seen
    in_values = parse_column(values_text, "values").labels is not None
    new = {"values_text": _add_line(values_text, point.label, point.value)}
    if point.label and not in_values:
        new["labels_text"] = (
            f"{_without_trailing_blanks(labels_text)}\n{point.label}"
            if labels_text.strip()
            else point.label
        )
    if point.denominator is not None:
        new["denominators_text"] = _add_line(denominators_text, point.label, point.denominator)
    return new


def append_point(db: Session, measure: Measure, user: User, point: Point) -> str | None:
    """Add one point at the end; None when saved, else why not. Commits.

    Read the data, build the new text, and UPDATE only if the row still holds what was read;
    if another append won, read again and retry, so both points are kept.
    """
    for _ in range(APPEND_TRIES):
        seen = _current(db, measure)
        new = _appended(measure, seen, point)
        merged = dict(zip(("values_text", "labels_text", "denominators_text"), seen, strict=True))
        merged.update(new)
        checked = parse_lab_input(**{**as_input(measure), **merged})
        if checked.errors:
            return " ".join(checked.errors.values())
        if _swap(db, measure, seen, new):
            label = f" ({point.label})" if point.label else ""
            history.record(
                db, measure.project_id, user, "measure_point_added", f"{measure.name}{label}"
            )
            db.commit()
            db.refresh(measure)
            return None
    return "The measure is busy: others are adding points. Try again."


@dataclass(frozen=True)
class Drawn:
    """A measure's chart as the pages show it, with the PDSA cycles placed on it."""

    data: LabInput
    chart: LabChart | None
    chart_problem: str | None
    placement: Placement


def cycle_starts(db: Session, project_id: int) -> list[CycleStart]:
    rows = db.exec(
        select(PdsaCycle.number, PdsaCycle.starts_on).where(PdsaCycle.project_id == project_id)
    ).all()
    return [CycleStart(number, starts_on) for number, starts_on in rows]


def draw(measure: Measure, cycles: list[CycleStart], data: LabInput | None = None) -> Drawn:
    """Parse the saved data (or use `data`), place the cycles, and draw with the engine."""
    saved = data or parse_lab_input(**as_input(measure))
    placement = place_cycles(saved.labels, cycles) if saved.ok else Placement()
    drawn = lab_chart(saved, measure.name, placement.annotations) if saved.ok else None
    return Drawn(
        saved,
        drawn if isinstance(drawn, LabChart) else None,
        drawn if isinstance(drawn, str) else None,
        placement,
    )


@dataclass(frozen=True)
class SummaryRow:
    id: int
    name: str
    kind: str
    points: int
    last_value: float | None
    last_label: str


def summary(db: Session, project_id: int) -> list[SummaryRow]:
    """Name, kind, number of points and the last value of every measure: one query."""
    rows = []
    for measure in list_measures(db, project_id):
        data = parse_lab_input(**as_input(measure))
        values = data.values if not data.errors else []
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None), None)
        label = ""
        if last is not None and data.labels and last[0] < len(data.labels):
            label = data.labels[last[0]]
        rows.append(
            SummaryRow(
                id=measure.id or 0,
                name=measure.name,
                kind=measure.kind,
                points=sum(v is not None for v in values),
                last_value=last[1] if last else None,
                last_label=label,
            )
        )
    return rows
