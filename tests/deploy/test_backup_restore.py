"""The backup and restore that docs/deployment.md gives, tried once on a real PostgreSQL.

A backup nobody has restored is a hope. This dumps a database with learner data using the
documented `pg_dump --format=custom`, restores it into an empty database with `pg_restore`, and
checks that the app reads the same record from the copy.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import make_url
from sqlmodel import Session, select

from app.db import make_engine
from app.migrate import upgrade
from app.models import Attempt, User
from tests.databases import fresh_database

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def libpq_url(sqlalchemy_url: str) -> str:
    """pg_dump takes a libpq URL: the same address without SQLAlchemy's driver name."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


@pytest.mark.postgres
def test_a_dump_restores_into_an_empty_database_with_everything_in_it(tmp_path: Path) -> None:
    assert PG_BIN, "PostgreSQL client programs are missing: apt-get install -y postgresql"
    pg_bin = PG_BIN[-1]
    dump = tmp_path / "qiskills.dump"
    with fresh_database("postgresql", tmp_path) as source_url:
        upgrade(source_url)
        engine = make_engine(source_url)
        with Session(engine) as db:
            user = User(email="ada@example.nhs.uk", name="Ada Łukasiewicz", password_hash="x")
            db.add(user)
            db.commit()
            db.add(
                Attempt(user_id=user.id, module_slug="m", lesson_slug="l", question_id="q",
                        content_version="v", answer="b", correct=True, form_key="k" * 16)
            )  # fmt: skip
            db.commit()
        engine.dispose()
        subprocess.run(
            [pg_bin / "pg_dump", "--format=custom", f"--file={dump}", libpq_url(source_url)],
            check=True,
        )
    with fresh_database("postgresql", tmp_path) as target_url:
        subprocess.run(
            [pg_bin / "pg_restore", "--no-owner", "--exit-on-error",
             f"--dbname={libpq_url(target_url)}", dump],
            check=True,
        )  # fmt: skip
        upgrade(target_url)  # already at head: nothing to do, nothing fails
        engine = make_engine(target_url)
        with Session(engine) as db:
            restored = db.exec(select(User).where(User.email == "ada@example.nhs.uk")).one()
            assert restored.name == "Ada Łukasiewicz"
            answers = db.exec(select(Attempt).where(Attempt.user_id == restored.id)).all()
            assert [(a.answer, a.correct) for a in answers] == [("b", True)]
        engine.dispose()
