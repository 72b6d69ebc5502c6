"""Account deletion: personal data erased from every registered table, anonymised aggregates
kept, the person signed out, their certificates revoked at their request, the deletion audited
without saying whose; a wrong password, a missing confirmation or CSRF token refuse it."""

from __future__ import annotations

import html
import json

import httpx
from sqlalchemy import Engine, String, func, or_, select
from sqlmodel import Session, SQLModel

from app.models import AuditEvent, Certificate, User
from app.privacy.erase import ACTION
from app.privacy.registry import personal
from app.services.question_stats import module_stats
from tests.privacy.helpers import LESSON, MODULE, QUESTION, Person
from tests.web.helpers import PASSWORD, csrf, post
from tests.web.supervision_helpers import set_role

STATS_KEY = (LESSON.slug, QUESTION.id)


def delete_account(client: httpx.Client, password: str = PASSWORD, confirm: str = "yes"):  # type: ignore[no-untyped-def]
    return post(
        client,
        "/account/delete",
        {"password": password, "confirm": confirm},
        page="/account/delete",
    )


def traces(engine: Engine, who: Person) -> list[str]:
    """Every row, in any table, naming the person: by a user-id column (any column that points
    at app_user.id, or app_user.id itself), or by email, name or marker in a text column, or by
    an audit scope of theirs."""
    found = []
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            conditions = []
            for column in table.columns:
                refers = any(fk.column.table.name == "app_user" for fk in column.foreign_keys)
                if refers or (table.name == "app_user" and column.name == "id"):
                    conditions.append(column == who.id)
                elif isinstance(column.type, String) or column.type.python_type is str:
                    conditions += [
                        column.contains(text) for text in (who.email, who.name, who.marker)
                    ]
                    conditions += [column == f"user:{who.id}", column == f"trainee:{who.id}"]
            if conditions:
                n = conn.execute(select(func.count()).select_from(table).where(or_(*conditions)))
                if count := n.scalar_one():
                    found.append(f"{table.name}: {count}")
    return found


def stats(engine: Engine) -> tuple:
    with Session(engine) as db:
        s = module_stats(db, MODULE)[STATS_KEY]
    return s.attempts, s.learners, s.first_right, s.wrong_answer, s.wrong_count


def test_deletion_erases_keeps_aggregates_signs_out_and_revokes_certificates(
    client: httpx.Client, server_url: str, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, them = two
    assert 'href="/account/delete"' in client.get("/account").text
    before = stats(engine)
    assert before[:2] == (4, 2), "two answers each from two learners"
    assert traces(engine, me) and traces(engine, them)
    session_cookie = client.cookies["qi_session"]

    response = delete_account(client)

    assert response.status_code == 200, response.text[:500]
    assert "Your account has been deleted" in response.text
    assert traces(engine, me) == [], "personal data left after deletion"
    assert stats(engine) == before, "question statistics still add up"
    # Signed out: this browser, and the old session cookie anywhere else.
    assert client.get("/account").headers["location"].startswith("/login")
    with httpx.Client(base_url=server_url, cookies={"qi_session": session_cookie}) as stolen:
        assert stolen.get("/account").headers["location"].startswith("/login")
    page = client.get(f"/verify/{me.certificate}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "This certificate has been revoked" in text
    assert "revoked at the holder's request" in text.lower()
    assert me.name not in text
    with Session(engine) as db:
        theirs = db.get(Certificate, them.certificate)
        assert theirs is not None and theirs.revoked_at is None and them.name in theirs.payload
        (event,) = db.exec(select(AuditEvent).where(AuditEvent.action == ACTION)).scalars().all()
    assert event.actor_id is None and event.scope == "user:erased"
    counts = json.loads(event.detail)  # rows per table, and nothing else
    assert set(counts) <= set(personal()) and all(type(n) is int for n in counts.values())
    assert event.rows == sum(counts.values()) and counts["attempt"] == 2
    assert client.post("/login", data={"csrf_token": csrf(client), "email": me.email,
                                       "password": PASSWORD}).status_code == 422  # fmt: skip


def test_the_other_persons_data_survives(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    _, them = two
    theirs_before = traces(engine, them)
    assert delete_account(client).status_code == 200
    assert traces(engine, them) == theirs_before


def test_a_wrong_password_is_refused_and_the_form_kept(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, _ = two
    response = delete_account(client, password="not my password")
    assert response.status_code == 422
    assert "Your password is not correct" in response.text
    assert 'value="yes" checked' in response.text, "the ticked box stays ticked"
    unconfirmed = delete_account(client, confirm="")
    assert unconfirmed.status_code == 422 and "Tick the box" in unconfirmed.text
    with Session(engine) as db:
        assert db.get(User, me.id) is not None
    assert client.get("/account").status_code == 200, "still signed in"


def test_deletion_needs_the_csrf_token(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, _ = two
    refused = client.post("/account/delete", data={"password": PASSWORD, "confirm": "yes"})
    assert refused.status_code == 403
    with Session(engine) as db:
        assert db.get(User, me.id) is not None


def test_the_only_admin_cannot_delete_their_account(
    client: httpx.Client, engine: Engine, two: tuple[Person, Person]
) -> None:
    me, _ = two
    set_role(engine, me.email, "admin")  # type: ignore[arg-type]
    response = delete_account(client)
    assert response.status_code == 422 and "only admin" in response.text
    with Session(engine) as db:
        assert db.get(User, me.id) is not None
