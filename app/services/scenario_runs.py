"""A learner's run through a scenario, stored as the choice indices taken ("0,2,1").

Replaying the run (app/scenarios/engine.py) rebuilds where they are, so a second device, or the
same one tomorrow, carries on at the same step. A choice is one conditional UPDATE (`WHERE
choices = :expected`): a double submit or a stale device changes nothing and is told so.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.catalog.schema import Lesson, Module
from app.models import ScenarioRun, User
from app.models.content import utcnow
from app.scenarios import engine
from app.scenarios.engine import InvalidChoice, Position
from app.scenarios.model import Scenario, ScenarioBlock
from app.services.progress import _dialect_insert

REFLECTION_MAX = 2000


class RunConflict(Exception):
    """The run moved on (another tab or device, a double submit), or the choice cannot be made."""


def scenarios_of(lesson: Lesson) -> list[Scenario]:
    return [b.scenario for b in lesson.blocks if isinstance(b, ScenarioBlock)]


def find(lesson: Lesson, scenario_id: str) -> Scenario | None:
    return next((s for s in scenarios_of(lesson) if s.id == scenario_id), None)


def position(scenario: Scenario, choices: tuple[int, ...]) -> Position:
    """Where a run stands: its longest prefix that still plays (content may have changed)."""
    here = engine.start(scenario)
    for index in choices:
        try:
            here = engine.choose(scenario, here, index)
        except (InvalidChoice, KeyError):
            break
    return here


def load(db: Session, user: User, module: Module, lesson: Lesson, scenario_id: str):
    return db.exec(
        select(ScenarioRun).where(
            ScenarioRun.user_id == user.id,
            ScenarioRun.module_slug == module.slug,
            ScenarioRun.lesson_slug == lesson.slug,
            ScenarioRun.scenario_id == scenario_id,
        )
    ).first()


def stored_choices(run: ScenarioRun | None) -> tuple[int, ...]:
    if run is None:
        return ()
    try:
        return engine.parse_run(run.choices)
    except ValueError:
        return ()


def advance(scenario: Scenario, here: Position, step: int, index: int) -> Position:
    """The position after choosing `index` at `step` (pure: also the anonymous path)."""
    if step != len(here.path):
        raise RunConflict(
            "That choice was already made, or you moved on in another tab or on another "
            "device. Here is where you are now."
        )
    if engine.ended(scenario, here):
        raise RunConflict("This scenario has ended. Start again to choose differently.")
    try:
        return engine.choose(scenario, here, index)
    except InvalidChoice as exc:
        raise RunConflict("That choice is not open to you here. Choose again.") from exc


def choose(
    db: Session,
    user: User,
    module: Module,
    lesson: Lesson,
    scenario: Scenario,
    step: int,
    index: int,
) -> Position:
    """Store one choice in ONE transaction; RunConflict if the run had already moved on."""
    now = utcnow()
    insert = _dialect_insert(db)
    db.exec(
        insert(ScenarioRun)
        .values(
            user_id=user.id,
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            scenario_id=scenario.id,
            content_version=lesson.version,
            choices="",
            started_at=now,
            updated_at=now,
            reflection="",
        )
        .on_conflict_do_nothing(
            index_elements=["user_id", "module_slug", "lesson_slug", "scenario_id"]
        )
    )
    run = load(db, user, module, lesson, scenario.id)
    assert run is not None
    expected = run.choices
    try:
        new = advance(scenario, position(scenario, stored_choices(run)), step, index)
    except RunConflict:
        db.rollback()
        raise
    values = {
        "choices": engine.format_run(new.choices),
        "updated_at": now,
        "content_version": lesson.version,
    }
    if engine.ended(scenario, new) and run.finished_at is None:
        values["finished_at"] = now  # the first ending reached; a restart keeps it
    changed = db.exec(
        update(ScenarioRun)
        .where(col(ScenarioRun.id) == run.id, col(ScenarioRun.choices) == expected)
        .values(**values)
    ).rowcount
    if changed != 1:
        db.rollback()
        raise RunConflict(
            "That choice was already made, or you moved on in another tab or on another "
            "device. Here is where you are now."
        )
    db.commit()
    return new


def restart(db: Session, user: User, module: Module, lesson: Lesson, scenario_id: str) -> None:
    """Back to the start. The first finish and the reflection stay on record."""
    db.exec(
        update(ScenarioRun)
        .where(
            col(ScenarioRun.user_id) == user.id,
            col(ScenarioRun.module_slug) == module.slug,
            col(ScenarioRun.lesson_slug) == lesson.slug,
            col(ScenarioRun.scenario_id) == scenario_id,
        )
        .values(choices="", updated_at=utcnow())
    )
    db.commit()


def save_reflection(
    db: Session, user: User, module: Module, lesson: Lesson, scenario_id: str, text: str
) -> bool:
    """Save the learner's reflection on a finished run; False when no ending was reached yet."""
    changed = db.exec(
        update(ScenarioRun)
        .where(
            col(ScenarioRun.user_id) == user.id,
            col(ScenarioRun.module_slug) == module.slug,
            col(ScenarioRun.lesson_slug) == lesson.slug,
            col(ScenarioRun.scenario_id) == scenario_id,
            col(ScenarioRun.finished_at).is_not(None),
        )
        .values(reflection=text, updated_at=utcnow())
    ).rowcount
    db.commit()
    return changed == 1


def reflections_of(db: Session, user: User) -> list[ScenarioRun]:
    """A learner's runs with a reflection, oldest first. The caller scopes who may read them
    (supervise.py: supervision.can_see)."""
    return list(
        db.exec(
            select(ScenarioRun)
            .where(ScenarioRun.user_id == user.id, ScenarioRun.reflection != "")
            .order_by(col(ScenarioRun.updated_at))
        ).all()
    )
