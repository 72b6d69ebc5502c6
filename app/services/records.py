"""A learner's record per module, computed in bulk for many learners with a handful of queries.

The dashboard, the exports and a trainee's own download all read records from here, so one set of
rules decides status, score, time, attempts and content version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    DateTime,
    Integer,
    String,
    Text,
    TypeDecorator,
    cast,
    literal,
    null,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import Change, Lesson, Module
from app.models import (
    Attempt,
    Certificate,
    LessonProgress,
    LessonVersion,
    ModuleCompletion,
    User,
)
from app.models.content import as_utc

# Time spent is measured, never estimated: see `active_minutes`.
IDLE_GAP = timedelta(minutes=15)  # a longer pause between two actions is a break: it counts nothing
SAME_ACTION = timedelta(seconds=2)  # stamps this close are one action (an answer and its progress)


class Status(StrEnum):
    """A module's status in a record, as exports name it.

    - not started: nothing answered in the module.
    - in progress: started, some lessons not done yet (including after a retake).
    - failed: every lesson done, but the module score is below the pass mark.
    - passed: every lesson done and the score at or above a pass mark above 0.
    - completed: every lesson done in a module whose pass mark is 0, so there was nothing to pass.
    """

    not_started = "not started"
    in_progress = "in progress"
    completed = "completed"
    passed = "passed"
    failed = "failed"


LABELS = {
    Status.not_started: "Not started",
    Status.in_progress: "In progress",
    Status.completed: "Completed",
    Status.passed: "Passed",
    Status.failed: "Below pass mark",
}


def active_minutes(moments: Iterable[datetime]) -> int | None:
    """Minutes of activity measured from the moments a learner did something in a module.

    The moments are every answer (`attempt.created_at`) and each lesson's start, last activity and
    completion (`lesson_progress`). Sorted, each gap between two moments counts when it is at most
    IDLE_GAP: longer gaps are breaks (a closed laptop, a night shift) and count nothing. Moments
    within SAME_ACTION of each other are one action. Reading before the first answer of a sitting
    leaves no stamp, so it is not counted. None when no gap could be measured (no moments, or
    only one action), which exports show as blank: not known, never a guess or an estimate.
    """
    ordered = sorted(moments)
    measured = [b - a for a, b in pairwise(ordered) if SAME_ACTION < b - a <= IDLE_GAP]
    if not measured:
        return None
    return round(sum(measured, timedelta()).total_seconds() / 60)


def changes_since(
    module: Module, lesson: Lesson, completed_at: datetime | None, version: str
) -> tuple[Change, ...]:
    """The major changes a learner has not seen in a lesson they completed: the "updated since
    you completed it" rule, the same for the module page, the lesson page and the redo.

    A major changelog entry for the lesson (or for the whole module) counts when the lesson was
    completed on an earlier day than the entry's date, and against another version than the
    current one (someone who completed the current text has seen the change, whatever the
    date). Minor entries never count: progress carries over."""
    if completed_at is None or version == lesson.version:
        return ()
    done = as_utc(completed_at).date()
    return tuple(
        c for c in module.changelog if c.major and c.applies_to(lesson.slug) and c.date > done
    )


def redoing(completed_at: datetime | None, attempts_since: datetime | None) -> bool:
    """A completed lesson reopened by "Redo this lesson": answers count from `attempts_since`,
    and the earlier completion (its version and score) stands until the lesson is done again.
    A retake clears `completed_at`, so the two never look alike."""
    if completed_at is None or attempts_since is None:
        return False
    return as_utc(attempts_since) > as_utc(completed_at)


def content_hash(module_version: str, lesson_versions: dict[str, str]) -> str:
    """SHA-256 of the canonical JSON of {"module": ..., "lessons": {...}}.

    It is the same object a certificate signs as `content_version`, so anyone can recompute it
    from a certificate and match it to a record.
    """
    return _content_hash(module_version, tuple(sorted(lesson_versions.items())))


@lru_cache(maxsize=4096)  # an export asks the same few versions for every learner
def _content_hash(module_version: str, lessons: tuple[tuple[str, str], ...]) -> str:
    data = {"module": module_version, "lessons": dict(lessons)}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


VersionDates = dict[tuple[str, str, str], date]


def version_dates(db: Session) -> VersionDates:
    """(module, lesson, version) -> the UTC date it was first served, from `lesson_version`."""
    rows = db.exec(
        select(
            LessonVersion.module_slug,
            LessonVersion.lesson_slug,
            LessonVersion.version,
            LessonVersion.first_loaded_at,
        )
    )
    return {(m, lesson, v): as_utc(at).date() for m, lesson, v, at in rows}


@dataclass
class ModuleRecord:
    module: Module
    lessons_done: int = 0
    started_at: datetime | None = None
    last_activity: datetime | None = None
    completed_at: datetime | None = None  # set only when the module is passed
    score: int | None = None
    answers: int = 0  # questions answered: every attempt row, "try again" included
    retakes: int = 0
    pass_mark: int | None = None  # the mark applied: the completion's, else the module's
    module_version: str = ""
    lesson_versions: dict[str, str] = field(default_factory=dict)  # lessons touched, as last seen
    completion_versions: dict[str, str] | None = None  # fixed by the completion when passed
    outcomes_achieved: list[str] = field(default_factory=list)
    certificate_id: str | None = None
    completed_lessons: set[str] = field(default_factory=set)
    started_lessons: set[str] = field(default_factory=set)
    lesson_completed_at: dict[str, datetime] = field(default_factory=dict, repr=False)
    redoing_lessons: set[str] = field(default_factory=set)  # reopened after a major change
    lesson_activity: dict[str, datetime] = field(default_factory=dict, repr=False)  # slug -> last
    scored_lessons: list[int] = field(default_factory=list, repr=False)
    moments: list[datetime] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.module_version = self.module_version or self.module.version
        if self.pass_mark is None:
            self.pass_mark = self.module.pass_mark

    @property
    def lessons_total(self) -> int:
        return len(self.module.lessons)

    @property
    def passed(self) -> bool:
        return self.completed_at is not None

    @property
    def state(self) -> Status:
        if self.passed:
            return Status.completed if self.pass_mark == 0 else Status.passed
        if self.lessons_done == self.lessons_total:
            return Status.failed
        return Status.in_progress if self.started_at else Status.not_started

    @property
    def status(self) -> str:
        """The state as pages show it."""
        return LABELS[self.state]

    @cached_property
    def minutes_spent(self) -> int | None:
        """Measured minutes (see `active_minutes`); None when not known."""
        return active_minutes(self.moments)

    @property
    def attempts(self) -> int:
        """Module attempts: 0 not started, else 1 plus each retake."""
        if self.started_at is None:
            return 0
        return 1 + self.retakes

    @cached_property
    def updated_lessons(self) -> dict[str, tuple[Change, ...]]:
        """Lesson slug -> the major changes since the learner completed it (see changes_since)."""
        updated = {
            lesson.slug: changes_since(
                self.module,
                lesson,
                self.lesson_completed_at.get(lesson.slug),
                self.lesson_versions.get(lesson.slug, ""),
            )
            for lesson in self.module.lessons
        }
        return {slug: changes for slug, changes in updated.items() if changes}

    @property
    def outcomes_in_order(self) -> list[str]:
        """Achieved outcome ids in the module's order, not the order they were achieved in."""
        return [o.id for o in self.module.outcomes if o.id in self.outcomes_achieved]

    @property
    def content_lessons(self) -> dict[str, str]:
        """Lesson versions the record stands on: the completion's when passed, else each lesson's
        version as completed or last seen, and the current version of lessons not yet touched."""
        if self.completion_versions is not None:
            return self.completion_versions
        current = {lesson.slug: lesson.version for lesson in self.module.lessons}
        return current | self.lesson_versions

    @cached_property
    def content_version(self) -> str:
        return content_hash(self.module_version, self.content_lessons)

    def content_label(self, dates: VersionDates) -> str:
        """'3f2a9c1b (2026-11-22)': the hash's first 8 characters and the date its newest lesson
        version was first served."""
        seen = [
            dates[(self.module.slug, slug, version)]
            for slug, version in self.content_lessons.items()
            if (self.module.slug, slug, version) in dates
        ]
        short = self.content_version[:8]
        return f"{short} ({max(seen).isoformat()})" if seen else short


def module_score(scores: Sequence[int | None]) -> int | None:
    present = [s for s in scores if s is not None]
    return round(sum(present) / len(present)) if present else None


class _Moment(TypeDecorator[datetime]):
    """A stored UTC moment read as an aware datetime, the same value the models' column gives,
    without its per-value cost: SQLite's text is parsed by `datetime.fromisoformat` in C, and
    PostgreSQL's timestamptz is only moved to UTC. Bulk reads take about a million of these."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(String() if dialect.name == "sqlite" else self.impl)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "sqlite":  # naive UTC text, e.g. "2026-11-23 09:00:00.000000"
            parse = datetime.fromisoformat
            return lambda value: None if value is None else parse(value + "+00:00")
        return lambda value: None if value is None else value.astimezone(UTC)


def utc_column(column: Any, name: str) -> Any:
    """A timestamp column for a bulk read (see `_Moment`), keeping its name."""
    return type_coerce(column, _Moment()).label(name)


def records_for(
    db: Session, users: Sequence[User], catalog: Catalog, *, answers: bool = True
) -> dict[int, dict[str, ModuleRecord]]:
    """user id -> module slug -> record, for every module, from four queries in all.

    `answers=False` skips reading every answer (the biggest table): the dashboard shows status
    and score, not answer counts or time spent, and every answer also leaves a progress row."""
    ids = [u.id for u in users]
    out: dict[int, dict[str, ModuleRecord]] = {
        uid: {m.slug: ModuleRecord(m) for m in catalog.modules} for uid in ids
    }
    if not ids:
        return out
    # Plain rows, not ORM objects: an export reads hundreds of thousands of these.
    progress = select(
        LessonProgress.user_id,
        LessonProgress.module_slug,
        LessonProgress.lesson_slug,
        LessonProgress.content_version,
        utc_column(LessonProgress.started_at, "started_at"),
        utc_column(LessonProgress.last_activity_at, "last_activity_at"),
        utc_column(LessonProgress.completed_at, "completed_at"),
        LessonProgress.score,
        LessonProgress.attempts_since,
        LessonProgress.retakes,
    ).where(col(LessonProgress.user_id).in_(ids))
    rows = db.connection().execute  # Core rows: no ORM loading for hundreds of thousands
    for uid, slug, lesson, version, started, active, done, score, since, retakes in rows(
        progress
    ).all():
        _add_lesson(out[uid], slug, lesson, version, started, active, done, score, since, retakes)
    # Every answer's time: counted as answers, and the moments time spent is measured from.
    answer_times = select(
        Attempt.user_id, Attempt.module_slug, utc_column(Attempt.created_at, "created_at")
    ).where(col(Attempt.user_id).in_(ids))
    stream = rows(answer_times.execution_options(yield_per=1000)) if answers else ()
    for user_id, slug, created_at in stream:
        record = out[user_id].get(slug)
        if record is not None:
            moment = as_utc(created_at)
            record.answers += 1
            record.moments.append(moment)
            if record.started_at is None or moment < record.started_at:
                record.started_at = moment
    for done in db.exec(select(ModuleCompletion).where(col(ModuleCompletion.user_id).in_(ids))):
        _add_completion(out[done.user_id], done.module_slug, done)
    for cert_id, user_id, slug in db.exec(
        select(Certificate.id, Certificate.user_id, Certificate.module_slug).where(
            col(Certificate.user_id).in_(ids), col(Certificate.revoked_at).is_(None)
        )
    ):
        if slug in out[user_id]:
            out[user_id][slug].certificate_id = cert_id
    return out


def _add_progress(records: dict[str, ModuleRecord], row: Any, catalog: Catalog) -> None:
    """One `lesson_progress` row (read by its column names) into its module's record."""
    _add_lesson(
        records,
        row.module_slug,
        row.lesson_slug,
        row.content_version,
        row.started_at,
        row.last_activity_at,
        row.completed_at,
        row.score,
        row.attempts_since,
        row.retakes,
    )


def _add_lesson(
    records: dict[str, ModuleRecord],
    module_slug: str,
    lesson_slug: str,
    version: str,
    started_at: datetime,
    last_activity_at: datetime,
    completed_at: datetime | None,
    score: int | None,
    attempts_since: datetime | None,
    retakes: int | None = 0,
) -> None:
    """The rules for one lesson's progress, taking the columns as arguments: `records_for`
    unpacks rows by position, as reading a row's fields by name costs more than the rule."""
    record = records.get(module_slug)
    lesson = record.module.lesson(lesson_slug) if record else None
    if record is None or lesson is None:
        return  # a lesson since removed from the content: nothing current to report
    started, active = as_utc(started_at), as_utc(last_activity_at)
    if record.started_at is None or started < record.started_at:
        record.started_at = started
    if record.last_activity is None or active > record.last_activity:
        record.last_activity = active
    record.started_lessons.add(lesson.slug)
    record.lesson_activity[lesson.slug] = active
    record.lesson_versions[lesson.slug] = version
    if retakes and retakes > record.retakes:
        record.retakes = retakes
    if completed_at is None:
        record.moments += (started, active)
        return
    done = as_utc(completed_at)
    record.moments += (started, active, done)
    record.lessons_done += 1
    record.completed_lessons.add(lesson.slug)
    record.lesson_completed_at[lesson.slug] = done
    if redoing(completed_at, attempts_since):
        record.redoing_lessons.add(lesson.slug)
    for outcome in lesson.outcome_ids:
        if outcome not in record.outcomes_achieved:
            record.outcomes_achieved.append(outcome)
    if score is not None and record.completed_at is None:
        record.scored_lessons.append(score)
        record.score = module_score(record.scored_lessons)


def _add_completion(records: dict[str, ModuleRecord], slug: str, done: Any) -> None:
    record = records.get(slug)
    if record is not None:
        record.completed_at = as_utc(done.completed_at)
        record.score = done.score
        record.pass_mark = done.pass_mark
        record.module_version = done.module_version
        record.completion_versions = json.loads(done.lesson_versions or "{}")


def learner_records(db: Session, user: User | None, catalog: Catalog) -> dict[str, ModuleRecord]:
    """One learner's records by module slug, for their own pages (home, modules, learning):
    ONE indexed query, a UNION ALL of their progress rows, completions and certificates. It
    leaves out the answers, which only exports and the supervisor's view need (answer counts and
    time spent); the rules are the same `_add_progress` and `_add_completion` as `records_for`.
    Empty for a visitor who is not signed in."""
    if user is None:
        return {}
    records = {m.slug: ModuleRecord(m) for m in catalog.modules}
    for row in db.exec(_learner_query(user.id)):  # type: ignore[call-overload]
        if row.kind == "p":
            _add_progress(records, row, catalog)
        elif row.kind == "c":
            _add_completion(records, row.module_slug, _Completion(row))
        elif row.module_slug in records:
            records[row.module_slug].certificate_id = row.lesson_slug
    return records


class _Completion:
    """A completion row from the learner query, under ModuleCompletion's names."""

    def __init__(self, row: Any) -> None:
        self.completed_at, self.score, self.pass_mark = row.completed_at, row.score, row.pass_mark
        self.module_version, self.lesson_versions = row.content_version, row.lesson_versions


def _learner_query(user_id: int) -> CompoundSelect:
    progress, done, cert = (
        LessonProgress.__table__,  # type: ignore[attr-defined]
        ModuleCompletion.__table__,  # type: ignore[attr-defined]
        Certificate.__table__,  # type: ignore[attr-defined]
    )
    moment = progress.c.started_at.type
    text, number, instant = cast(null(), Text), cast(null(), Integer), cast(null(), moment)
    rows = select(
        literal("p").label("kind"),
        progress.c.module_slug,
        progress.c.lesson_slug,
        progress.c.content_version,
        text.label("lesson_versions"),
        progress.c.started_at,
        progress.c.last_activity_at,
        progress.c.completed_at,
        progress.c.attempts_since,
        progress.c.score,
        number.label("pass_mark"),
        progress.c.retakes,
    ).where(progress.c.user_id == user_id)
    completions = select(
        literal("c"), done.c.module_slug, cast(null(), String), done.c.module_version,
        done.c.lesson_versions, instant, instant, done.c.completed_at, instant, done.c.score,
        done.c.pass_mark, number,
    ).where(done.c.user_id == user_id)  # fmt: skip
    certificates = select(
        literal("z"), cert.c.module_slug, cert.c.id, cast(null(), String), text, instant, instant,
        instant, instant, number, number, number,
    ).where(cert.c.user_id == user_id, cert.c.revoked_at.is_(None))  # fmt: skip
    return union_all(rows, completions, certificates)


def continue_target(
    catalog: Catalog, records: dict[str, ModuleRecord]
) -> tuple[Module, Lesson] | None:
    """The lesson the learner was last working in, if they have not finished it; else the next
    unfinished lesson in the most recently active module, then in later modules."""
    active = [r for r in records.values() if r.last_activity is not None]
    if not active:
        return None
    latest = max(active, key=lambda r: r.last_activity)  # type: ignore[arg-type, return-value]
    unfinished = {
        slug: at
        for slug, at in latest.lesson_activity.items()
        if slug not in latest.completed_lessons
    }
    if unfinished:
        lesson = latest.module.lesson(max(unfinished, key=lambda slug: unfinished[slug]))
        if lesson is not None:
            return latest.module, lesson
    modules = list(catalog.modules)
    start = modules.index(latest.module)
    for module in modules[start:] + modules[:start]:
        done = records[module.slug].completed_lessons
        for lesson in module.lessons:
            if lesson.slug not in done:
                return module, lesson
    return None


def check_module_completion(db: Session, user: User, module: Module) -> ModuleCompletion | None:
    """Record the module as passed once every lesson is done and the score meets the pass mark."""
    existing = db.exec(
        select(ModuleCompletion).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_slug == module.slug
        )
    ).first()
    if existing is not None:
        return existing
    rows = db.exec(
        select(LessonProgress).where(
            LessonProgress.user_id == user.id,
            LessonProgress.module_slug == module.slug,
            col(LessonProgress.completed_at).is_not(None),
        )
    ).all()
    done = {r.lesson_slug: r for r in rows}
    if any(lesson.slug not in done for lesson in module.lessons):
        return None
    score = module_score([done[lesson.slug].score for lesson in module.lessons])
    if score is None or score < module.pass_mark:
        return None
    completion = ModuleCompletion(
        user_id=user.id,
        module_slug=module.slug,
        module_version=module.version,
        lesson_versions=json.dumps(
            {lesson.slug: done[lesson.slug].content_version for lesson in module.lessons},
            sort_keys=True,
        ),
        score=score,
        pass_mark=module.pass_mark,
    )
    db.add(completion)
    db.commit()
    db.refresh(completion)
    return completion
