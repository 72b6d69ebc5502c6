"""Educators preview a draft lesson with the real pipeline: rendered, or every error by line."""

from __future__ import annotations

from html import unescape

import httpx
from sqlalchemy import Engine

from app.models import Role
from tests.content_builder import QUESTION
from tests.web.helpers import post, register
from tests.web.supervision_helpers import MODULE, set_role

OUTCOME = MODULE.outcomes[0].id
DRAFT = (
    f"---\ntitle: Drafting an aim\nminutes: 6\noutcomes: [{OUTCOME}]\n---\n"
    "Some *text* and <script>alert(1)</script>.\n\n"
    + QUESTION.format(qid="draft-q1")
    + "\n```chart\ntitle: Falls\n"
    + "values: [5, 6, 4, 7, 5, 6, 5, 4, 6, 5, 9, 9, 10, 9, 11, 10, 9]\n```\n"
)


def educator(client: httpx.Client, engine: Engine) -> None:
    set_role(engine, register(client), Role.educator)


def preview(client: httpx.Client, draft: str, module: str = MODULE.slug) -> httpx.Response:
    return post(client, "/author/preview", {"module": module, "draft": draft}, page="/author")


def test_a_valid_draft_renders_with_its_questions_and_charts(client, engine) -> None:
    educator(client, engine)
    overview = client.get("/author")
    assert overview.status_code == 200 and MODULE.lessons[0].version[:12] in overview.text
    response = preview(client, DRAFT)
    assert response.status_code == 200
    page = unescape(response.text)
    assert "Drafting an aim" in page and "<em>text</em>" in response.text
    assert "<script>alert(1)</script>" not in response.text  # raw HTML stays text
    assert "Which comes first?" in page and "Correct:" in page
    assert "<svg" in response.text


def test_a_valid_draft_shows_its_own_warnings_by_line(client, engine) -> None:
    educator(client, engine)
    page = unescape(preview(client, DRAFT).text)
    assert "Line 1: warning: the lesson cites no source" in page
    assert "Line 3: warning: minutes: 6 is more than 30% off the estimate" in page
    # Links are judged by `content check` with the whole module, not beside a lone draft.
    linked = DRAFT.replace("Some *text*", "See [the next lesson](next-lesson) and some *text*")
    assert "goes to a lesson that does not exist" not in unescape(preview(client, linked).text)
    cited = DRAFT.replace("---\nSome", "references: [langley2009]\n---\nSome")
    assert "warning: the lesson cites no source" not in unescape(preview(client, cited).text)


def test_a_broken_draft_lists_every_error_with_its_line(client, engine) -> None:
    educator(client, engine)
    broken = DRAFT.replace("title: Drafting an aim\n", "").replace("feedback: No.", "feeback: No.")
    response = preview(client, broken)
    assert response.status_code == 422
    page = unescape(response.text)
    assert "Line 2: missing required key 'title' in lesson front matter" in page
    assert "unknown key 'feeback' in question" in page
    assert "feeback: No." in page  # the draft is kept in the textarea


def test_only_educators_and_admins_preview(client, engine) -> None:
    register(client)
    assert client.get("/author").status_code == 403
    assert preview(client, DRAFT).status_code == 403


def test_a_module_whose_changelog_names_its_lessons_still_previews_a_draft(tmp_path) -> None:
    """The draft is checked beside a copy of module.md; the changelog's lessons are not there."""
    from app.catalog import load_catalog
    from app.services.preview import preview_lesson
    from tests.content_builder import MODULE_MD, lesson_md, write_module

    changelog = (
        "changelog:\n  - date: 2026-12-01\n    lesson: first\n    change: major\n"
        "    note: A new question.\n"
    )
    module_md = MODULE_MD.replace("\n---\nAn introduction", f"\n{changelog}---\nAn introduction")
    write_module(tmp_path, {"module.md": module_md, "01-first.md": lesson_md()})
    module = load_catalog(tmp_path).modules[0]
    assert module.changelog  # the real module keeps its changelog
    shown = preview_lesson(tmp_path, module, lesson_md(title="A draft", qid="draft-q1"))
    assert shown.errors == [] and shown.lesson is not None
    assert shown.lesson.title == "A draft"
