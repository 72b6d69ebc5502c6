"""Per-question statistics for educators, on both databases: right numbers for a seeded set of
attempts, two queries whatever the number of questions, and nobody else may see them."""

# ruff: noqa: F811  (the fixtures imported from versions_content are redefined as arguments)

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, event, insert
from sqlmodel import Session, select

from app.catalog import Catalog, load_catalog
from app.models import Attempt, Role, User
from app.services.question_stats import module_stats
from tests.content_builder import QUESTION, lesson_md, write_module
from tests.web.helpers import register
from tests.web.supervision_helpers import set_role
from tests.web.versions_content import (  # noqa: F401  (fixtures)
    MAJOR_LESSON,
    MFI,
    MINOR_LESSON,
    catalog,
    content,
    http,
    site,
)

RECENT = datetime.now(UTC) - timedelta(days=1)
BEFORE_THE_CHANGE = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)  # the major change is 2025-06-01
_keys = itertools.count()


def people(engine: Engine, n: int, role: Role = Role.trainee) -> list[int]:
    with Session(engine) as db:
        users = [
            User(
                email=f"stats-{next(_keys)}@example.nhs.uk", name="L", password_hash="x", role=role
            )
            for _ in range(n)
        ]
        db.add_all(users)
        db.commit()
        return [u.id for u in users]


def answers(engine: Engine, rows: list[tuple[int, str, str, str, bool, datetime]]) -> None:
    """(user, lesson, question, answer keys, correct, when), stored in the order given."""
    values = [
        {
            "user_id": uid,
            "module_slug": MFI,
            "lesson_slug": lesson,
            "question_id": qid,
            "content_version": "v",
            "answer": keys,
            "correct": ok,
            "form_key": f"k{next(_keys):030d}",
            "created_at": at + timedelta(seconds=i),
        }
        for i, (uid, lesson, qid, keys, ok, at) in enumerate(rows)
    ]
    with Session(engine) as db:
        db.exec(insert(Attempt), params=values)
        db.commit()


def seed(engine: Engine) -> None:
    """- mfi-q5 (b right): 25 learners; 20 right at once; 3 chose a then b; 2 chose c, a, b.
       An educator's 10 answers of c must not count.
    - mfi-q7 (b right): 20 learners, all right at once: nearly everyone.
    - mfi-q6 (b,c,d right): 20 learners, 4 right at once: nearly no one.
    - mfi-q2 (after a major change on 2025-06-01): 20 learners wrong before it, right after."""
    learners = people(engine, 25)
    rows = []
    for i, uid in enumerate(learners):
        if i < 20:
            rows.append((uid, MINOR_LESSON, "mfi-q5", "b", True, RECENT))
        elif i < 23:
            rows += [(uid, MINOR_LESSON, "mfi-q5", k, k == "b", RECENT) for k in ("a", "b")]
        else:
            rows += [(uid, MINOR_LESSON, "mfi-q5", k, k == "b", RECENT) for k in ("c", "a", "b")]
    educator = people(engine, 1, Role.educator)[0]
    rows += [(educator, MINOR_LESSON, "mfi-q5", "c", False, RECENT)] * 10
    rows += [(uid, MINOR_LESSON, "mfi-q7", "b", True, RECENT) for uid in learners[:20]]
    for i, uid in enumerate(learners[:20]):
        keys = "b,c,d" if i < 4 else "b"
        rows.append((uid, MINOR_LESSON, "mfi-q6", keys, i < 4, RECENT))
    rows += [(uid, MAJOR_LESSON, "mfi-q2", "b", False, BEFORE_THE_CHANGE) for uid in learners[:20]]
    rows += [(uid, MAJOR_LESSON, "mfi-q2", "a", True, RECENT) for uid in learners[:20]]
    answers(engine, rows)


def test_the_numbers_for_a_seeded_set_of_attempts(
    http: httpx.Client, engine: Engine, catalog: Catalog
) -> None:
    seed(engine)
    module = catalog.module(MFI)
    with Session(engine) as db:
        stats = module_stats(db, module)
    q5 = stats[(MINOR_LESSON, "mfi-q5")]
    assert (q5.attempts, q5.learners, q5.first_right, q5.first_right_percent) == (32, 25, 20, 80)
    assert (q5.wrong_answer, q5.wrong_count, q5.flag) == ("a", 5, None)
    q7 = stats[(MINOR_LESSON, "mfi-q7")]
    assert (q7.learners, q7.first_right_percent, q7.wrong_answer, q7.flag) == (
        20,
        100,
        None,
        "easy",
    )
    q6 = stats[(MINOR_LESSON, "mfi-q6")]
    assert (q6.first_right_percent, q6.wrong_answer, q6.wrong_count, q6.flag) == (
        20,
        "b",
        16,
        "hard",
    )
    q2 = stats[(MAJOR_LESSON, "mfi-q2")]  # only answers since the major change count
    assert (q2.attempts, q2.learners, q2.first_right_percent, q2.flag) == (20, 20, 100, "easy")
    untouched = stats[(MAJOR_LESSON, "mfi-q1")]
    assert (untouched.attempts, untouched.first_right_percent, untouched.flag) == (0, None, None)
    assert len(stats) == sum(len(lesson.questions) for lesson in module.lessons)

    set_role(engine, register(http), Role.educator)
    page = unescape(http.get(f"/author/modules/{MFI}").text)
    row = page[page.index('id="stats-mfi-q5"') :]
    row = row[: row.index("</tr>")]
    option_a = module.lesson(MINOR_LESSON).questions[0].options[0].html
    assert "<td>32</td>" in row and "<td>25</td>" in row and "80%" in row
    assert f"{unescape(option_a)} (chosen 5 times)" in row
    assert "Nearly all right" in page and "Nearly all wrong" in page


def test_two_queries_whatever_the_number_of_questions(engine: Engine, tmp_path: Path) -> None:
    many = "\n".join(QUESTION.format(qid=f"q{i}") for i in range(40))
    write_module(tmp_path, {"01-one.md": lesson_md(qid="one"), "02-many.md": lesson_md(body=many)})
    module = load_catalog(tmp_path).modules[0]
    assert sum(len(lesson.questions) for lesson in module.lessons) == 41
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as db:
            db.exec(select(User.id)).all()  # open the connection before counting
            seen.clear()
            stats = module_stats(db, module)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(stats) == 41
    assert len(seen) == 2, seen


@pytest.mark.parametrize("role", [Role.trainee, Role.supervisor])
def test_only_educators_and_admins_see_statistics(
    http: httpx.Client, engine: Engine, role: Role
) -> None:
    anonymous = http.get(f"/author/modules/{MFI}")
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    set_role(engine, register(http), role)
    assert http.get(f"/author/modules/{MFI}").status_code == 403
    assert http.get("/author").status_code == 403


def test_an_admin_sees_statistics_and_an_unknown_module_is_404(
    http: httpx.Client, engine: Engine
) -> None:
    set_role(engine, register(http), Role.admin)
    assert http.get(f"/author/modules/{MFI}").status_code == 200
    assert http.get("/author/modules/no-such-module").status_code == 404
