"""One person as the privacy handlers see them, and rows turned into plain JSON values."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel, delete, select

from app.models.content import as_utc


@dataclass(frozen=True)
class Subject:
    """Whose data: the id every table links by, and the email the throttle records by."""

    id: int
    email: str
    role: str


Row = dict[str, Any]
Exporter = Callable[[Session, Subject], list[Row]]


def plain(value: Any) -> Any:
    """A JSON value: times as UTC ISO 8601 with Z, days as YYYY-MM-DD, enums as their text."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat(timespec="seconds").replace("+00:00", "Z")
    if isinstance(value, date):  # a day, as typed (a project's aim date, a PDSA start)
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def as_row(obj: SQLModel, omit: Iterable[str] = ()) -> Row:
    """Every column of a row but the ones named (secrets such as hashes of passwords)."""
    left_out = set(omit)
    columns = obj.__table__.columns.keys()  # type: ignore[attr-defined]
    return {name: plain(getattr(obj, name)) for name in columns if name not in left_out}


def rows_of(
    model: type[SQLModel], where: Callable[[Subject], ColumnElement[bool]], omit: Iterable[str] = ()
) -> Exporter:
    """An exporter of every row of `model` matching `where(subject)`, in primary key order."""
    left_out = tuple(omit)

    def export(db: Session, subject: Subject) -> list[Row]:
        key = model.__table__.primary_key.columns  # type: ignore[attr-defined]
        found = db.exec(select(model).where(where(subject)).order_by(*key)).all()
        return [as_row(r, left_out) for r in found]

    return export


def delete_rows(
    model: type[SQLModel], where: Callable[[Subject], ColumnElement[bool]]
) -> Callable[..., int]:
    """An eraser deleting every row of `model` matching `where(subject)`."""

    def erase(db: Session, subject: Subject, *_: object) -> int:
        return db.exec(delete(model).where(where(subject))).rowcount  # type: ignore[call-overload]

    return erase
