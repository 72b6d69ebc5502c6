"""Every table is registered as holding personal data (with export and erase handlers) or as
not, with a reason: a table added to the models or by a migration without an entry fails."""

from __future__ import annotations

from sqlalchemy import Column, Engine, Integer, MetaData, Table, inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401  # registers every table's metadata
from app.privacy.registry import REGISTRY, NotPersonal, Personal, unregistered


def test_every_model_table_is_registered() -> None:
    assert unregistered(SQLModel.metadata.tables) == set()


def test_every_table_in_the_migrated_database_is_registered(backend: str, engine: Engine) -> None:
    """Tables a migration made (alembic_version included), on SQLite and PostgreSQL."""
    in_database = set(inspect(engine).get_table_names())
    assert unregistered(in_database) == set()
    assert REGISTRY.keys() - in_database == set(), "entries for tables that do not exist"


def test_a_new_table_without_an_entry_is_caught() -> None:
    extra = Table("trainee_notes", MetaData(), Column("id", Integer, primary_key=True))
    assert unregistered([*SQLModel.metadata.tables, extra.name]) == {"trainee_notes"}


def test_each_entry_has_handlers_or_a_reason() -> None:
    for name, entry in REGISTRY.items():
        if isinstance(entry, Personal):
            assert callable(entry.export) and callable(entry.erase), name
        else:
            assert isinstance(entry, NotPersonal) and entry.reason.strip(), name
    personal = [name for name, entry in REGISTRY.items() if isinstance(entry, Personal)]
    assert personal[-1] == "app_user", "the account is erased after the rows that use it"
