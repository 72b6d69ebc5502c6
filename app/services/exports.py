"""Completion records as CSV, JSON or xAPI, streamed in batches so memory stays flat.

Learners are read in keyset-paginated batches (BATCH at a time) and their records computed with a
few queries per batch; rows are yielded as they are made. Every export ends with an audit row that
names who, what scope, how many rows and the SHA-256 of exactly the bytes sent.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, Select
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import GPC_DOMAINS, RCP_SKILLS
from app.models import Attempt, AuditEvent, User
from app.models.content import as_utc
from app.services.records import ModuleRecord, VersionDates, records_for, version_dates

BATCH = 100
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
    return as_utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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


def learner_batches(db: Session, users: Select) -> Iterator[list[User]]:
    last = 0
    while True:
        batch = list(db.exec(users.where(User.id > last).order_by(User.id).limit(BATCH)).all())
        if not batch:
            return
        yield batch
        last = batch[-1].id
        db.expunge_all()  # keep the identity map from growing with every batch


def record_dicts(
    db: Session, req: ExportRequest, catalog: Catalog, base_url: str
) -> Iterator[tuple[User, ModuleRecord, dict[str, object]]]:
    start, end = _bounds(req)
    dates = version_dates(db)  # one small query per export, not per batch
    for batch in learner_batches(db, req.users):
        records = records_for(db, batch, catalog)
        for user in batch:
            for module in catalog.modules:
                record = records[user.id][module.slug]
                if in_range(record, start, end):
                    yield user, record, _row(user, record, base_url, dates)


def _row(user: User, record: ModuleRecord, base_url: str, dates: VersionDates) -> dict[str, object]:
    """One module of one learner, in JSON_FIELDS order; the CSV writes FIELDS of it."""
    module = record.module
    outcomes = {o.id: o for o in module.outcomes}
    gpc = sorted({d for o in module.outcomes for d in o.gpc})
    skills = {s for o in module.outcomes for s in o.rcp}
    return {
        "name": user.name,
        "email": user.email,
        "profession": user.profession,
        "regulator_number": user.regulator_number,
        "grade": str(user.grade),
        "organisation": user.organisation,
        "module_id": module.slug,
        "module_title": module.title,
        "status": str(record.state),
        "content_version": record.content_label(dates),
        "content_version_hash": record.content_version,
        "started_at": iso(record.started_at),
        "completed_at": iso(record.completed_at),
        "time_spent_minutes": record.minutes_spent,  # None (blank) when not measured
        "answers": record.answers,
        "attempts": record.attempts,
        "best_score": record.score,
        "pass_mark": record.pass_mark,
        "outcomes_achieved": [outcomes[o].text for o in record.outcomes_in_order],
        "gpc_mapping": [f"Domain {d}: {GPC_DOMAINS[d]}" for d in gpc],
        "rcp_skills": [name for key, name in RCP_SKILLS.items() if key in skills],
        "certificate_id": record.certificate_id or "",
        "certificate_url": f"{base_url}/verify/{record.certificate_id}"
        if record.certificate_id
        else "",
    }


def csv_chunks(rows: Iterator[dict[str, object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(_cell(row[f])) for f in FIELDS])
        yield buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def json_chunks(items: Iterator[dict[str, object]]) -> Iterator[str]:
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]\n"


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
    for batch in learner_batches(db, req.users):
        records = records_for(db, batch, catalog)
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
                {"success": attempt.correct, "response": attempt.answer.replace(",", "[,]")},
            )


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
        if req.format == "xapi":
            items: Iterator[dict[str, object]] = xapi_statements(db, req, catalog, base_url)
        else:
            items = (row for _, _, row in record_dicts(db, req, catalog, base_url))

        def counted(source: Iterator[dict[str, object]]) -> Iterator[dict[str, object]]:
            nonlocal rows
            for item in source:
                rows += 1
                yield item

        chunks = csv_chunks(counted(items)) if req.format == "csv" else json_chunks(counted(items))
        for chunk in chunks:
            data = chunk.encode("utf-8")
            digest.update(data)
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
