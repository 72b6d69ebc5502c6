"""Versions over real HTTP on both databases: drafts for educators only, "updated since you
completed it" after a major change, and redoing a lesson without losing the old completion."""

# ruff: noqa: F811  (the fixtures imported from versions_content are redefined as arguments)

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from app.catalog import Catalog
from app.models import Attempt, LessonCompletion, LessonProgress, ModuleCompletion, Role
from app.models.content import utcnow
from tests.web.helpers import csrf, post, register
from tests.web.supervision_helpers import finish_module, set_role, user_id
from tests.web.versions_content import (  # noqa: F401  (fixtures)
    CHANGE_NOTE,
    DEAD_LINK,
    DRAFT_LESSON,
    DRAFT_MODULE,
    DRAFT_MODULE_TITLE,
    MAJOR_LESSON,
    MFI,
    MINOR_LESSON,
    catalog,
    content,
    http,
    site,
)

UPDATED = "Updated since you completed it"
OLD_VERSION = "0" * 64
LONG_AGO = datetime(2025, 1, 15, 10, 0, tzinfo=UTC)


def as_role(client: httpx.Client, engine: Engine, role: Role) -> int:
    email = register(client)
    return set_role(engine, email, role)


def finish_lesson(client: httpx.Client, catalog: Catalog, lesson_slug: str) -> httpx.Response:
    module = catalog.module(MFI)
    return finish_module(client, dataclasses.replace(module, lessons=(module.lesson(lesson_slug),)))


def backdate(engine: Engine, uid: int, lesson_slug: str) -> None:
    """As if the lesson had been completed long ago, against an earlier version of its text."""
    with Session(engine) as db:
        for table in (LessonProgress, Attempt):
            db.exec(
                update(table)
                .where(table.user_id == uid, table.lesson_slug == lesson_slug)
                .values(content_version=OLD_VERSION)
            )
        db.exec(
            update(LessonProgress)
            .where(LessonProgress.user_id == uid, LessonProgress.lesson_slug == lesson_slug)
            .values(completed_at=LONG_AGO)
        )
        db.commit()


def progress(engine: Engine, uid: int, lesson_slug: str) -> LessonProgress:
    with Session(engine) as db:
        return db.exec(
            select(LessonProgress).where(
                LessonProgress.user_id == uid, LessonProgress.lesson_slug == lesson_slug
            )
        ).one()


# ---- drafts ----


def test_trainees_never_see_drafts_and_get_404(http: httpx.Client, catalog: Catalog) -> None:
    register(http)
    for page in ("/", "/modules", "/learning", f"/modules/{MFI}", "/learning/record"):
        text = unescape(http.get(page).text)
        assert DRAFT_MODULE_TITLE not in text and "A lesson in draft" not in text, page
    assert http.get(f"/modules/{DRAFT_MODULE}").status_code == 404
    assert http.get(f"/modules/{DRAFT_MODULE}/the-four-rules").status_code == 404
    draft_url = f"/modules/{MFI}/{DRAFT_LESSON}"
    assert http.get(draft_url).status_code == 404
    question = catalog.module(MFI).lesson(DRAFT_LESSON).questions[0]
    answer = http.post(
        f"{draft_url}/questions/{question.id}",
        data={"csrf_token": csrf(http, "/"), "answer": "a", "form_key": "f" * 32},
    )
    assert answer.status_code == 404
    completed = http.post(f"{draft_url}/complete", data={"csrf_token": csrf(http, "/")})
    assert completed.status_code == 404
    # The module page counts only the published lessons.
    assert "of 3" in http.get(f"/modules/{MFI}/{MAJOR_LESSON}").text


def test_supervisors_and_visitors_get_404_too(http: httpx.Client, engine: Engine) -> None:
    assert http.get(f"/modules/{MFI}/{DRAFT_LESSON}").status_code == 404
    as_role(http, engine, Role.supervisor)
    assert http.get(f"/modules/{DRAFT_MODULE}").status_code == 404
    assert DRAFT_MODULE_TITLE not in unescape(http.get("/supervise").text)


@pytest.mark.parametrize("role", [Role.educator, Role.admin])
def test_educators_and_admins_see_drafts_marked(
    http: httpx.Client, engine: Engine, role: Role
) -> None:
    as_role(http, engine, role)
    listing = unescape(http.get("/modules").text)
    assert DRAFT_MODULE_TITLE in listing and "Draft" in listing
    module = unescape(http.get(f"/modules/{MFI}").text)
    assert "A lesson in draft" in module
    lesson = http.get(f"/modules/{MFI}/{DRAFT_LESSON}")
    assert lesson.status_code == 200 and "Lesson 4 of 4" in lesson.text and "Draft" in lesson.text
    assert http.get(f"/modules/{DRAFT_MODULE}/the-four-rules").status_code == 200


def test_continue_skips_a_lesson_that_became_a_draft(
    http: httpx.Client, engine: Engine, catalog: Catalog
) -> None:
    """A trainee active in a lesson that was later made a draft: Continue and their record
    ignore it."""
    uid = user_id(engine, register(http))
    with Session(engine) as db:
        db.add(
            LessonProgress(
                user_id=uid,
                module_slug=MFI,
                lesson_slug=MINOR_LESSON,
                content_version=OLD_VERSION,
                last_activity_at=LONG_AGO,
            )
        )
        db.add(  # later, and completed: it would count, and lead Continue, if it were seen
            LessonProgress(
                user_id=uid,
                module_slug=MFI,
                lesson_slug=DRAFT_LESSON,
                content_version=OLD_VERSION,
                completed_at=utcnow(),
                score=100,
            )
        )
        db.commit()
    home = http.get("/").text
    assert f"/modules/{MFI}/{DRAFT_LESSON}" not in home
    assert f"/modules/{MFI}/{MINOR_LESSON}#resume" in home
    export = http.get("/learning/record.json")
    assert export.status_code == 200 and MFI in export.text
    assert DRAFT_MODULE not in export.text and DRAFT_LESSON not in export.text
    assert "0 of 3 lessons" in unescape(http.get(f"/modules/{MFI}").text)


# ---- updated since you completed it, and redo ----


def test_a_major_change_asks_for_a_redo_and_keeps_the_old_completion(
    http: httpx.Client, engine: Engine, catalog: Catalog
) -> None:
    uid = user_id(engine, register(http))
    finish_lesson(http, catalog, MAJOR_LESSON)
    finish_lesson(http, catalog, MINOR_LESSON)
    lesson_url = f"/modules/{MFI}/{MAJOR_LESSON}"
    # Completed today, against the current text: nothing to redo.
    assert UPDATED not in http.get(f"/modules/{MFI}").text
    assert post(http, f"{lesson_url}/redo", {}, page=lesson_url).status_code == 409
    backdate(engine, uid, MAJOR_LESSON)
    backdate(engine, uid, MINOR_LESSON)
    module_page = unescape(http.get(f"/modules/{MFI}").text)
    assert module_page.count(UPDATED) == 1  # the minor change carries progress over
    assert f'href="{lesson_url}#updated"' in module_page
    page = unescape(http.get(lesson_url).text)
    assert UPDATED in page and CHANGE_NOTE in page and "Redo this lesson" in page
    minor_url = f"/modules/{MFI}/{MINOR_LESSON}"
    assert UPDATED not in http.get(minor_url).text
    assert post(http, f"{minor_url}/redo", {}, page=minor_url).status_code == 409

    redo = post(http, f"{lesson_url}/redo", {}, page=lesson_url)
    assert redo.status_code == 303 and redo.headers["location"].startswith(lesson_url)
    again = post(http, f"{lesson_url}/redo", {}, page=lesson_url)  # a double submit: no harm
    assert again.status_code == 303
    row = progress(engine, uid, MAJOR_LESSON)
    assert row.content_version == OLD_VERSION and row.score is not None  # old completion kept
    page = unescape(http.get(lesson_url).text)
    assert "You are redoing this lesson" in page and "Redo this lesson" not in page
    assert "Mark lesson as done" in page and "Answered</strong>" not in page
    assert "Carry on redoing it" in unescape(http.get(f"/modules/{MFI}").text)

    finish_lesson(http, catalog, MAJOR_LESSON)
    row = progress(engine, uid, MAJOR_LESSON)
    current = catalog.module(MFI).lesson(MAJOR_LESSON).version
    assert row.content_version == current and row.completed_at.year > LONG_AGO.year
    assert UPDATED not in http.get(lesson_url).text
    assert UPDATED not in http.get(f"/modules/{MFI}").text
    with Session(engine) as db:  # the old answers stay, with the version they were made on
        versions = db.exec(
            select(Attempt.content_version).where(
                Attempt.user_id == uid, Attempt.lesson_slug == MAJOR_LESSON
            )
        ).all()
    assert set(versions) == {OLD_VERSION, current}
    with Session(engine) as db:  # both completions stay on record, each with its version
        history = db.exec(
            select(LessonCompletion)
            .where(LessonCompletion.user_id == uid, LessonCompletion.lesson_slug == MAJOR_LESSON)
            .order_by(LessonCompletion.id)
        ).all()
    assert len(history) == 2
    assert history[-1].content_version == current and history[0].completed_at < row.completed_at


def test_a_redo_in_a_passed_module_keeps_it_passed(
    http: httpx.Client, engine: Engine, catalog: Catalog
) -> None:
    uid = user_id(engine, register(http))
    module = catalog.for_learners.module(MFI)
    finished = finish_module(http, module)
    assert "/certificates/" in finished.headers["location"]
    backdate(engine, uid, MAJOR_LESSON)
    with Session(engine) as db:
        before = db.exec(select(ModuleCompletion).where(ModuleCompletion.user_id == uid)).one()
    lesson_url = f"/modules/{MFI}/{MAJOR_LESSON}"
    post(http, f"{lesson_url}/redo", {}, page=lesson_url)
    done = finish_lesson(http, catalog, MAJOR_LESSON)
    assert done.status_code == 303 and done.headers["location"] == f"{lesson_url}#lesson-done"
    with Session(engine) as db:
        after = db.exec(select(ModuleCompletion).where(ModuleCompletion.user_id == uid)).one()
    assert (after.id, after.lesson_versions, after.score) == (
        before.id,
        before.lesson_versions,
        before.score,
    )
    assert "Module complete" in http.get(f"/modules/{MFI}").text


def test_redo_needs_an_account_and_a_completion(http: httpx.Client) -> None:
    lesson_url = f"/modules/{MFI}/{MAJOR_LESSON}"
    anonymous = post(http, f"{lesson_url}/redo", {}, page=lesson_url)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    register(http)
    assert post(http, f"{lesson_url}/redo", {}, page=lesson_url).status_code == 409
    draft = f"/modules/{MFI}/{DRAFT_LESSON}/redo"
    assert post(http, draft, {}, page=lesson_url).status_code == 404


# ---- the educators' catalogue ----


def test_the_catalogue_shows_status_versions_warnings_and_changelog(
    http: httpx.Client, engine: Engine, catalog: Catalog
) -> None:
    as_role(http, engine, Role.educator)
    page = unescape(http.get("/author").text)
    mfi = page[
        page.index('id="module-model-for-improvement"') : page.index('id="module-run-charts"')
    ]
    module = catalog.module(MFI)
    assert "Published" in mfi and module.version[:12] in mfi
    assert all(lesson.version[:12] in mfi for lesson in module.lessons)
    draft_row = mfi[mfi.index("A lesson in draft") :]
    assert draft_row[: draft_row.index("</tr>")].count("Draft") == 1
    assert f"04-{DRAFT_LESSON}.md:" in mfi and DEAD_LINK in mfi  # content check's warning
    assert CHANGE_NOTE in mfi and "Major" in mfi and "Minor" in mfi and "2025-06-01" in mfi
    charts = page[page.index(f'id="module-{DRAFT_MODULE}"') :]
    assert "Draft" in charts[: charts.index("</h2>")] and "No entries." in charts
    assert f'href="/author/modules/{MFI}"' in page
