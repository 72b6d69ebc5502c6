"""The reading path over real HTTP, on each database backend."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalog import Catalog, load_catalog
from app.models import LessonVersion
from tests.conftest import CONTENT_DIR, FIRST_MODULE


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CONTENT_DIR)


def text_of(response: httpx.Response) -> str:
    return unescape(re.sub(r"\s+", " ", response.text))


def test_home_lists_every_module(client: httpx.Client, catalog: Catalog) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for module in catalog.modules:
        assert f'href="/modules/{module.slug}"' in response.text
        assert module.title in text_of(response)


def test_module_list_shows_summary_minutes_and_outcomes(
    client: httpx.Client, catalog: Catalog
) -> None:
    page = text_of(client.get("/modules"))
    for module in catalog.modules:
        assert module.summary in page
        assert f"about {module.minutes} minutes" in page
        for outcome in module.outcomes:
            assert outcome.text in page


def test_module_page_lists_lessons_in_order_with_outcomes_and_references(
    client: httpx.Client, catalog: Catalog
) -> None:
    for module in catalog.modules:
        response = client.get(f"/modules/{module.slug}")
        assert response.status_code == 200
        hrefs = re.findall(rf'href="/modules/{module.slug}/([a-z0-9-]+)"', response.text)
        ordered = list(dict.fromkeys(hrefs))
        assert ordered == [lesson.slug for lesson in module.lessons]
        page = text_of(response)
        for outcome in module.outcomes:
            assert outcome.text in page
        for ref in module.references:
            assert ref.citation in page


def test_lesson_page_shows_its_questions_and_neighbours(
    client: httpx.Client, catalog: Catalog
) -> None:
    for module in catalog.modules:
        for i, lesson in enumerate(module.lessons):
            response = client.get(f"/modules/{module.slug}/{lesson.slug}")
            assert response.status_code == 200
            assert "<html" in response.text
            assert '<h1 class="nhsuk-heading-xl" id="lesson-title" tabindex="-1">' in response.text
            assert len(lesson.questions) >= 3
            for question in lesson.questions:
                assert f'id="q-{question.id}"' in response.text
                for option in question.options:
                    assert f'id="q-{question.id}-{option.key}"' in response.text
            prev_link = re.search(r'href="/modules/[^"]+/([^"]+)" rel="prev"', response.text)
            next_link = re.search(r'href="/modules/[^"]+/([^"]+)" rel="next"', response.text)
            expected_prev = module.lessons[i - 1].slug if i > 0 else None
            expected_next = module.lessons[i + 1].slug if i + 1 < len(module.lessons) else None
            assert (prev_link.group(1) if prev_link else None) == expected_prev
            assert (next_link.group(1) if next_link else None) == expected_next


def test_htmx_request_gets_the_fragment_of_the_same_url(
    client: httpx.Client, catalog: Catalog
) -> None:
    module = catalog.module(FIRST_MODULE)
    assert module is not None
    url = f"/modules/{module.slug}/{module.lessons[0].slug}"
    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<article" in fragment.text
    assert fragment.text.strip() in page.text.replace("\n", "\n") or "<article" in page.text
    assert "HX-Request" in fragment.headers["vary"]
    assert "HX-Request" in page.headers["vary"]
    boosted = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in boosted.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/modules/no-such-module", "Page not found"),
        ("/modules/no-such-module/no-lesson", "Page not found"),
        ("/nowhere", "Page not found"),
    ],
)
def test_unknown_pages_get_a_helpful_404(
    client: httpx.Client, catalog: Catalog, path: str, expected: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert expected in response.text
    for module in catalog.modules:
        assert f'href="/modules/{module.slug}"' in response.text


def test_unknown_lesson_in_a_known_module_lists_its_lessons(
    client: httpx.Client, catalog: Catalog
) -> None:
    module = catalog.module(FIRST_MODULE)
    assert module is not None
    response = client.get(f"/modules/{module.slug}/no-such-lesson")
    assert response.status_code == 404
    for lesson in module.lessons:
        assert f'href="/modules/{module.slug}/{lesson.slug}"' in response.text


def test_healthz_reports_the_database(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_carry_security_headers_and_are_compressed(
    client: httpx.Client, catalog: Catalog
) -> None:
    module = catalog.module(FIRST_MODULE)
    assert module is not None
    response = client.get(
        f"/modules/{module.slug}/{module.lessons[0].slug}", headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers["content-encoding"] == "gzip"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_start_up_records_each_lesson_version(engine: Engine, catalog: Catalog, client) -> None:
    with Session(engine) as session:
        rows = {
            (r.module_slug, r.lesson_slug, r.version) for r in session.exec(select(LessonVersion))
        }
    for module in catalog.modules:
        for lesson in module.lessons:
            assert (module.slug, lesson.slug, lesson.version) in rows


def test_home_describes_only_the_modules_there_are(client: httpx.Client, catalog: Catalog) -> None:
    page = text_of(client.get("/"))
    lede = re.search(r'<p class="nhsuk-lede-text">(.*?)</p>', page).group(1)
    titles = [m.title for m in catalog.modules]
    assert all(title in lede for title in titles)
    lessons = [lesson for m in catalog.modules for lesson in m.lessons]
    assert f"{len(lessons)} lessons" in lede
    low, high = min(x.minutes for x in lessons), max(x.minutes for x in lessons)
    assert f"each {low} to {high} minutes" in lede
    assert "working with people" not in page.lower()  # no module promised that is not there
