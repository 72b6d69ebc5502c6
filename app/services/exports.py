"""Completion records as CSV, JSON or xAPI, streamed in batches so memory stays flat.

Learners are read in keyset-paginated batches (BATCH at a time) and their records computed with a
few queries per batch (`records_for`, which holds every rule); rows are sent in chunks of
CHUNK_ROWS as they are made. Every export ends with an audit row that names who, what scope, how
many rows and the SHA-256 of exactly the bytes sent.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, Row, Select
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS, Module
from app.models import Attempt, AuditEvent, User
from app.models.content import as_utc
from app.services.records import ModuleRecord, VersionDates, records_for, version_dates

BATCH = 200  # learners per keyset page: a few queries per page, memory bounded by one page
# xAPI lists a page's module statements, then that page's answers: the page size is part of the
# order of its statements, so it stays what it was.
XAPI_BATCH = 100
CHUNK_ROWS = 1000  # rows per chunk sent: large writes, and only one chunk held at a time
FIELDS = (
    "name",
    "email",
    "profession",
    "regulator_number",
    "grade",
    "organisation",
    "module_id",
    "module_title",
    "status",
    "content_version",
    "started_at",
    "completed_at",
    "time_spent_minutes",
    "answers",
    "attempts",
    "best_score",
    "pass_mark",
    "outcomes_achieved",
    "gpc_mapping",
    "rcp_skills",
    "certificate_id",
    "certificate_url",
)
# JSON carries the full content hash too; CSV keeps the short, readable version only.
_AFTER = FIELDS.index("content_version") + 1
JSON_FIELDS = (*FIELDS[:_AFTER], "content_version_hash", *FIELDS[_AFTER:])
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "xapi": "application/json"}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
# The learner's own cells, in FIELDS order after the id.
LEARNER_COLUMNS = (
    User.id,
    User.name,
    User.email,
    User.profession,
    User.regulator_number,
    User.grade,
    User.organisation,
)
assert tuple(c.key for c in LEARNER_COLUMNS[1:]) == FIELDS[:6]  # rows are built by position


@dataclass(frozen=True)
class ExportRequest:
    users: Select  # a SELECT of User already scoped to what the requester may see
    scope: str  # e.g. "all", "cohort:3", "trainee:12", "self"
    format: str
    date_from: date | None = None
    date_to: date | None = None


def iso(moment: datetime | None) -> str:
    """UTC, ISO 8601, second precision, with a Z."""
    if moment is None:
        return ""
    return as_utc(moment).isoformat(timespec="seconds").replace("+00:00", "Z")


def neutralise(cell: str) -> str:
    """Stop spreadsheet formula injection: a cell that could start a formula becomes text."""
    return "'" + cell if cell.startswith(DANGEROUS_START) else cell


def in_range(record: ModuleRecord, start: datetime | None, end: datetime | None) -> bool:
    if start is None and end is None:
        return True
    if record.started_at is None:
        return False
    last = record.completed_at or record.last_activity or record.started_at
    return (start is None or last >= start) and (end is None or record.started_at < end)


def _bounds(req: ExportRequest) -> tuple[datetime | None, datetime | None]:
    from datetime import UTC

    start = datetime.combine(req.date_from, time.min, UTC) if req.date_from else None
    end = datetime.combine(req.date_to, time.min, UTC) + timedelta(days=1) if req.date_to else None
    return start, end


def learner_batches(db: Session, users: Select, size: int = 0) -> Iterator[Sequence[Row]]:
    """The scoped learners in keyset pages (of BATCH unless `size` says), as plain rows of the
    columns exports name: no ORM objects, so nothing accumulates in the session."""
    columns = users.with_only_columns(*LEARNER_COLUMNS)
    size = size or BATCH
    last = 0
    while True:
        page = columns.where(User.id > last).order_by(User.id).limit(size)
        batch = db.connection().execute(page).all()  # Core: rows, not ORM objects
        if not batch:
            return
        yield batch
        last = batch[-1].id


def _learner_rows(
    db: Session, req: ExportRequest, catalog: Catalog
) -> Iterator[tuple[Row, list[tuple[_Module, ModuleRecord]]]]:
    """Each learner with their records in the date range, module by module in catalog order."""
    start, end = _bounds(req)
    modules = [_Module.of(module) for module in catalog.modules]
    for batch in learner_batches(db, req.users):
        records = records_for(db, batch, catalog)  # type: ignore[arg-type]
        for user in batch:
            mine = records[user.id]
            chosen = [(m, mine[m.module.slug]) for m in modules]
            if start is not None or end is not None:
                chosen = [(m, r) for m, r in chosen if in_range(r, start, end)]
            yield user, chosen


# Rows are made from pieces rendered once: a learner's own cells once per learner, a module's
# fixed cells once per export, and content labels and outcome lists once per distinct value. Only
# the cells that differ row by row are formatted per row, by the same rules csv.writer and
# json.dumps follow (tests/web/test_exports.py re-encodes a file with them and compares bytes).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_CSV_SPECIAL = re.compile(r'[,"\r\n\x00]')  # what makes csv.writer quote a cell (QUOTE_MINIMAL)


def _csv_cells(cells: Iterable[str]) -> str:
    """Cells as csv.writer writes them in a row, without the line ending."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)  # CR and LF in a cell get quoted
    return buffer.getvalue()[:-2]


def _csv_values(values: Iterable[object]) -> str:
    """Two or more values as cells of a row: lists joined with "; ", neutralised, then each
    written as csv.writer writes it."""
    return ",".join([_csv_cell(neutralise(_cell(v))) for v in values])


def _csv_cell(cell: str) -> str:
    """One cell (already neutralised) as csv.writer writes it inside a row. Alone in a row an
    empty cell is written '""', so that case never goes to the writer."""
    return _csv_cells([cell]) if cell and _CSV_SPECIAL.search(cell) else cell


def _json_fields(mapping: dict[str, object]) -> str:
    """'"key": value, ...' exactly as json.dumps writes those keys inside an object."""
    return _ENCODE(mapping)[1:-1]


@dataclass(frozen=True, slots=True)
class _Module:
    """A module's own cells, the same in every row of that module."""

    module: Module
    csv_head: str  # module_id, module_title
    csv_tail: str  # gpc_mapping, rcp_skills
    json_head: str
    json_tail: str

    @classmethod
    def of(cls, module: Module) -> _Module:
        gpc = sorted({d for o in module.outcomes for d in o.gpc})
        skills = {s for o in module.outcomes for s in o.rcp}
        head = {"module_id": module.slug, "module_title": module.title}
        tail = {
            "gpc_mapping": [f"Domain {d}: {GPC_DOMAINS[d]}" for d in gpc],
            "rcp_skills": [name for key, name in RCP_SKILLS.items() if key in skills],
        }
        return cls(
            module,
            _csv_values(head.values()),
            _csv_values(tail.values()),
            _json_fields(head),
            _json_fields(tail),
        )


class _Shared:
    """Per-export memo of what many records share. Bounded, so memory stays flat."""

    LIMIT = 4096

    def __init__(self, dates: VersionDates, outcomes: Callable[[list[str]], str]) -> None:
        self.dates, self.render_outcomes = dates, outcomes
        self.versions: dict[tuple, tuple[str, str]] = {}
        self.outcomes: dict[tuple, str] = {}

    def version(self, record: ModuleRecord) -> tuple[str, str]:
        """(content label, content hash) of a record."""
        key = (record.module.slug, record.module_version, *record.content_lessons.items())
        found = self.versions.get(key)
        if found is None:
            if len(self.versions) >= self.LIMIT:
                self.versions.clear()
            found = self.versions[key] = (record.content_label(self.dates), record.content_version)
        return found

    def achieved(self, record: ModuleRecord) -> str:
        """The rendered outcomes_achieved cell, in the module's order."""
        key = (record.module.slug, *record.outcomes_achieved)
        found = self.outcomes.get(key)
        if found is None:
            if len(self.outcomes) >= self.LIMIT:
                self.outcomes.clear()
            texts = {o.id: o.text for o in record.module.outcomes}
            found = self.render_outcomes([texts[o] for o in record.outcomes_in_order])
            self.outcomes[key] = found
        return found


def _csv_number(value: int | None) -> str:
    return "" if value is None else neutralise(str(value))


def _json_number(value: int | None) -> str:
    return "null" if value is None else str(value)


def csv_lines(db: Session, req: ExportRequest, catalog: Catalog, base_url: str) -> Iterator[str]:
    """One line per learner and module, in FIELDS order, each ending in CRLF."""
    shared = _Shared(version_dates(db), lambda texts: _csv_cell(neutralise("; ".join(texts))))
    for user, chosen in _learner_rows(db, req, catalog):
        person = _csv_values(user[1:])  # LEARNER_COLUMNS after the id
        for cells, r in chosen:
            label, _ = shared.version(r)
            cert = r.certificate_id
            yield (
                f"{person},{cells.csv_head},{r.state},{label},{iso(r.started_at)},"
                f"{iso(r.completed_at)},{_csv_number(r.minutes_spent)},{r.answers},"
                f"{r.attempts},{_csv_number(r.score)},{_csv_number(r.pass_mark)},"
                f"{shared.achieved(r)},{cells.csv_tail},"
                + (
                    f"{_csv_cell(neutralise(cert))},"
                    f"{_csv_cell(neutralise(f'{base_url}/verify/{cert}'))}\r\n"
                    if cert
                    else ",\r\n"
                )
            )


def json_lines(db: Session, req: ExportRequest, catalog: Catalog, base_url: str) -> Iterator[str]:
    """One object per learner and module, with JSON_FIELDS in order, as json.dumps writes it."""
    shared = _Shared(version_dates(db), _ENCODE)
    for user, chosen in _learner_rows(db, req, catalog):
        person = _json_fields(dict(zip(FIELDS[:6], user[1:], strict=True)))
        for cells, r in chosen:
            label, version = shared.version(r)
            cert = r.certificate_id
            yield (
                f'{{{person}, {cells.json_head}, "status": "{r.state}", '
                f'"content_version": "{label}", "content_version_hash": "{version}", '
                f'"started_at": "{iso(r.started_at)}", "completed_at": "{iso(r.completed_at)}", '
                f'"time_spent_minutes": {_json_number(r.minutes_spent)}, '
                f'"answers": {r.answers}, "attempts": {r.attempts}, '
                f'"best_score": {_json_number(r.score)}, "pass_mark": {_json_number(r.pass_mark)}, '
                f'"outcomes_achieved": {shared.achieved(r)}, {cells.json_tail}, '
                + (
                    f'"certificate_id": {_ENCODE(cert)}, '
                    f'"certificate_url": {_ENCODE(f"{base_url}/verify/{cert}")}}}'
                    if cert
                    else '"certificate_id": "", "certificate_url": ""}'
                )
            )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}


def _statement(
    user: User, verb: str, activity_id: str, name: str, kind: str, at: datetime, result: dict
) -> dict[str, object]:
    ident = uuid.uuid5(uuid.NAMESPACE_URL, f"{activity_id}|{user.email}|{verb}|{iso(at)}")
    return {
        "id": str(ident),
        "version": "1.0.3",
        "actor": {"objectType": "Agent", "name": user.name, "mbox": f"mailto:{user.email}"},
        "verb": {"id": VERBS[verb], "display": {"en-GB": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity_id,
            "definition": {
                "name": {"en-GB": name},
                "type": f"http://adlnet.gov/expapi/activities/{kind}",
            },
        },
        "result": result,
        "timestamp": iso(at),
    }


def xapi_statements(
    db: Session, req: ExportRequest, catalog: Catalog, base_url: str
) -> Iterator[dict[str, object]]:
    start, end = _bounds(req)
    for batch in learner_batches(db, req.users, XAPI_BATCH):
        records = records_for(db, batch, catalog)  # type: ignore[arg-type]
        by_id = {u.id: u for u in batch}
        for user in batch:
            for module in catalog.modules:
                record = records[user.id][module.slug]
                if record.lessons_done < record.lessons_total or not in_range(record, start, end):
                    continue
                activity = f"{base_url}/modules/{module.slug}"
                scaled = (record.score or 0) / 100
                done_at = record.completed_at or record.last_activity or record.started_at
                assert done_at is not None
                yield _statement(
                    user,
                    "completed",
                    activity,
                    module.title,
                    "module",
                    done_at,
                    {"completion": True, "score": {"scaled": scaled}},
                )
                if record.passed:
                    yield _statement(
                        user,
                        "passed",
                        activity,
                        module.title,
                        "module",
                        done_at,
                        {"success": True, "completion": True, "score": {"scaled": scaled}},
                    )
        attempts = select(Attempt).where(col(Attempt.user_id).in_(list(by_id)))
        if start is not None:
            attempts = attempts.where(Attempt.created_at >= start)
        if end is not None:
            attempts = attempts.where(Attempt.created_at < end)
        for attempt in db.exec(
            attempts.order_by(Attempt.user_id, Attempt.id).execution_options(yield_per=1000)
        ):
            module = catalog.module(attempt.module_slug)
            if module is None:
                continue
            lesson_url = f"{base_url}/modules/{attempt.module_slug}/{attempt.lesson_slug}"
            activity = f"{lesson_url}#q-{attempt.question_id}"
            yield _statement(
                by_id[attempt.user_id],
                "answered",
                activity,
                attempt.question_id,
                "cmi.interaction",
                attempt.created_at,
                {
                    "success": attempt.correct,
                    "response": xapi_response(
                        _question_type(module, attempt.lesson_slug, attempt.question_id),
                        attempt.answer,
                    ),
                },
            )


def _question_type(module: Module, lesson_slug: str, question_id: str) -> str | None:
    lesson = module.lesson(lesson_slug)
    found = next((q for q in lesson.questions if q.id == question_id), None) if lesson else None
    return found.type.value if found else None


def xapi_response(kind: str | None, answer: str) -> str:
    """A stored answer (see grading.py) in xAPI 1.0.3's response pattern for its interaction
    type: choice and sequencing list keys with "[,]", matching pairs are "item[.]category",
    and fill-in, numeric and true-false answers are the text itself (commas and all)."""
    if kind in ("short-text", "numeric", "true-false"):
        return answer
    if kind == "matching":
        return "[,]".join(pair.replace("=", "[.]", 1) for pair in answer.split(","))
    return answer.replace(",", "[,]")


_paused = 0
_paused_lock = threading.Lock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while one chunk is made (milliseconds, not while it is
    sent). A chunk allocates thousands of small records that reference counting frees; without
    this the collector rescans them, and the whole heap, about a third of an export's time.
    Exports in other threads share the pause through a counter, so none turns it back on early."""
    global _paused
    with _paused_lock:
        ours = _paused > 0 or gc.isenabled()  # if someone else turned it off, leave it to them
        if ours:
            _paused += 1
            gc.disable()
    try:
        yield
    finally:
        if ours:
            with _paused_lock:
                _paused -= 1
                if _paused == 0:
                    gc.enable()


def _chunks(
    lines: Iterator[str], opening: str, first: str, between: str, closing: str
) -> Iterator[tuple[str, int]]:
    """(text, rows in it) in chunks of CHUNK_ROWS rows: the opening, each line after a
    separator (`first` before the first one, `between` before the others), then the closing."""
    parts, rows, separator = [opening], 0, first
    for line in lines:
        parts += (separator, line)
        separator = between
        rows += 1
        if rows == CHUNK_ROWS:
            yield "".join(parts), rows
            parts, rows = [], 0
    parts.append(closing)
    yield "".join(parts), rows


def stream_export(
    engine: Engine,
    req: ExportRequest,
    catalog: Catalog,
    base_url: str,
    actor: User,
    on_done: Callable[[], None] | None = None,
) -> Iterator[bytes]:
    """Yield the file in chunks; when it ends, write the audit row with its row count and hash."""
    digest = hashlib.sha256()
    rows = 0
    with Session(engine) as db:
        if req.format == "csv":
            header = "\ufeff" + _csv_cells(FIELDS) + "\r\n"
            chunks = _chunks(csv_lines(db, req, catalog, base_url), header, "", "", "")
        else:
            if req.format == "xapi":
                statements = xapi_statements(db, req, catalog, base_url)
                lines = (_ENCODE(statement) for statement in statements)
            else:
                lines = json_lines(db, req, catalog, base_url)
            chunks = _chunks(lines, "[", "\n", ",\n", "\n]\n")
        while True:
            with _collector_paused():
                text, count = next(chunks, ("", -1))
            if count < 0:
                break
            data = text.encode("utf-8")
            digest.update(data)
            rows += count
            yield data
    with Session(engine) as db:
        db.add(
            AuditEvent(
                actor_id=actor.id,
                actor_role=str(actor.role),
                action=f"export_{req.format}",
                scope=req.scope,
                rows=rows,
                sha256=digest.hexdigest(),
            )
        )
        db.commit()
    if on_done:
        on_done()
