"""PDSA cycles: plan (with a prediction), do, study (result against prediction), act.

Cycles are numbered per project. The next number is the highest plus one; two people starting a
cycle at once would pick the same number, so the UNIQUE(project_id, number) constraint refuses
the second insert and it tries again with the next number. Each stage is saved on its own, so a
phone user edits one short form at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.deps import parse_row_id
from app.models import DriverNode, PdsaCycle, User
from app.models.content import utcnow
from app.services.lab_input import parse_lab_input
from app.services.projects import history, measures
from app.services.projects.timeline import DATE_EXAMPLES, CycleStart, parse_date, place_cycles

ACTS = {
    "adopt": "Adopt: keep the change",
    "adapt": "Adapt: change it and test again",
    "abandon": "Abandon: stop testing this change",
}
STAGES = ("plan", "do", "study", "act")
PLAN_SIZES = {"change": 400, "who": 400, "where": 400, "prediction": 2000}
NUMBER_TRIES = 10


def list_cycles(db: Session, project_id: int) -> list[PdsaCycle]:
    return list(
        db.exec(
            select(PdsaCycle)
            .where(PdsaCycle.project_id == project_id)
            .order_by(col(PdsaCycle.number))
        ).all()
    )


def get_cycle(db: Session, project_id: int, cycle_id: int) -> PdsaCycle | None:
    """The cycle only if it belongs to this project: another project's id is not found."""
    return db.exec(
        select(PdsaCycle).where(PdsaCycle.id == cycle_id, PdsaCycle.project_id == project_id)
    ).first()


def change_ideas(db: Session, project_id: int) -> list[DriverNode]:
    """The project's change ideas (driver diagram nodes of kind "change"), for the select."""
    return list(
        db.exec(
            select(DriverNode)
            .where(DriverNode.project_id == project_id, DriverNode.kind == "change")
            .order_by(col(DriverNode.position), col(DriverNode.id))
        ).all()
    )


@dataclass
class Plan:
    change: str
    change_idea_id: int | None
    who: str
    starts_on: date | None
    where: str
    prediction: str


def check_plan(form: dict[str, str], ideas: list[DriverNode]) -> Plan | dict[str, str]:
    """The plan as typed, or problems by field. A chosen change idea must be this project's."""
    errors: dict[str, str] = {}
    idea_id: int | None = None
    idea_text = ""
    if form.get("change_idea_id", "").strip():
        idea_id = parse_row_id(form["change_idea_id"])
        found = next((i for i in ideas if i.id == idea_id), None)
        if found is None:
            errors["change_idea_id"] = "Choose a change idea from the list, or none"
        else:
            idea_text = found.text
    change = form.get("change", "").strip() or idea_text
    if not change:
        errors["change"] = "Say what change you will test, for example “Sepsis grab bag on bay B”"
    for key, size in PLAN_SIZES.items():
        if len(form.get(key, "").strip()) > size:
            errors[key] = f"Keep this to {size:,} characters or fewer"
    starts_on: date | None = None
    typed = form.get("starts_on", "").strip()
    if typed:
        starts_on = parse_date(typed) if len(typed) <= 40 else None
        if starts_on is None:
            errors["starts_on"] = f"Enter the start as a date, for example {DATE_EXAMPLES}"
    if errors:
        return errors
    return Plan(
        change=change[: PLAN_SIZES["change"]],
        change_idea_id=idea_id,
        who=form.get("who", "").strip(),
        starts_on=starts_on,
        where=form.get("where", "").strip(),
        prediction=form.get("prediction", "").strip(),
    )


def _apply_plan(cycle: PdsaCycle, plan: Plan) -> None:
    cycle.change = plan.change
    cycle.change_idea_id = plan.change_idea_id
    cycle.who = plan.who
    cycle.starts_on = plan.starts_on
    cycle.where = plan.where
    cycle.prediction = plan.prediction


def create(db: Session, project_id: int, user: User, plan: Plan) -> PdsaCycle:
    """A new cycle numbered after the project's highest. Commits.

    Retries with a fresh number when another request took this one at the same moment.
    """
    for attempt in range(NUMBER_TRIES):
        highest = db.exec(
            select(func.max(PdsaCycle.number)).where(PdsaCycle.project_id == project_id)
        ).one()
        cycle = PdsaCycle(project_id=project_id, number=(highest or 0) + 1, change="")
        cycle.author_id = user.id
        _apply_plan(cycle, plan)
        db.add(cycle)
        history.record(db, project_id, user, "pdsa_started", f"PDSA {cycle.number}: {cycle.change}")
        try:
            db.commit()
        except IntegrityError:
            db.rollback()  # someone else took that number: read the highest again
            if attempt == NUMBER_TRIES - 1:
                raise
            continue
        db.refresh(cycle)
        return cycle
    raise AssertionError("unreachable")  # pragma: no cover


def save_plan(db: Session, cycle: PdsaCycle, user: User, plan: Plan) -> None:
    _apply_plan(cycle, plan)
    _saved(db, cycle, user, "plan")


def check_text(form: dict[str, str], key: str, size: int, empty: str) -> str | dict[str, str]:
    text = form.get(key, "").strip()
    if not text:
        return {key: empty}
    if len(text) > size:
        return {key: f"Keep this to {size:,} characters or fewer"}
    return text


def save_do(db: Session, cycle: PdsaCycle, user: User, text: str) -> None:
    cycle.do_notes = text
    _saved(db, cycle, user, "do")


def save_study(db: Session, cycle: PdsaCycle, user: User, text: str) -> None:
    cycle.study = text
    _saved(db, cycle, user, "study")


def check_act(form: dict[str, str]) -> tuple[str, str] | dict[str, str]:
    errors: dict[str, str] = {}
    act = form.get("act", "")
    notes = form.get("act_notes", "").strip()
    if act not in ACTS:
        errors["act"] = "Choose whether to adopt, adapt or abandon the change"
    if len(notes) > 2000:
        errors["act_notes"] = "Keep this to 2,000 characters or fewer"
    return errors or (act, notes)


def save_act(db: Session, cycle: PdsaCycle, user: User, act: str, notes: str) -> None:
    cycle.act = act
    cycle.act_notes = notes
    _saved(db, cycle, user, "act", f": {act}")


def _saved(db: Session, cycle: PdsaCycle, user: User, stage: str, extra: str = "") -> None:
    cycle.updated_at = utcnow()
    db.add(cycle)
    history.record(db, cycle.project_id, user, f"pdsa_{stage}_saved", f"PDSA {cycle.number}{extra}")
    db.commit()
    db.refresh(cycle)


def next_cycle(db: Session, cycle: PdsaCycle, user: User) -> PdsaCycle:
    """Cycle n+1 (the project's next number) testing the same change, its plan still to write."""
    plan = Plan(cycle.change, cycle.change_idea_id, cycle.who, None, cycle.where, "")
    return create(db, cycle.project_id, user, plan)


def stage_reached(cycle: PdsaCycle) -> str:
    """The stage a cycle is at, for lists: the first one not yet written."""
    if cycle.act:
        return f"Act: {cycle.act}"
    if cycle.study:
        return "Act"
    if cycle.do_notes:
        return "Study"
    if cycle.starts_on and cycle.starts_on <= date.today():
        return "Do"
    return "Plan"


@dataclass(frozen=True)
class OnChart:
    measure_id: int
    name: str
    where: str  # where the cycle's start falls on this measure's chart, or why it is not shown


def on_charts(db: Session, cycle: PdsaCycle) -> list[OnChart]:
    """Each of the project's measures, and where this cycle's start shows on its chart."""
    start = [CycleStart(cycle.number, cycle.starts_on)]
    found = []
    for measure in measures.list_measures(db, cycle.project_id):
        data = parse_lab_input(**measures.as_input(measure))
        if not cycle.starts_on:
            where = "Give the cycle a start date to mark it on the chart."
        elif not data.ok:
            where = "No data yet."
        else:
            placed = place_cycles(data.labels, start)
            if placed.annotations:
                index = next(iter(placed.annotations))
                label = data.labels[index] if data.labels else ""
                where = f"Marked at point {index + 1} ({label})."
            else:
                where = placed.problem or " ".join(placed.not_shown)
        found.append(OnChart(measure.id or 0, measure.name, where))
    return found
