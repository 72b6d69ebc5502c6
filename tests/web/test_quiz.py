"""Answering questions: HTMX fragments, no-JS redirects, stored attempts, double submits, 4xx."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalog import Catalog, load_catalog
from app.catalog.schema import Question
from app.models import Attempt
from tests.conftest import CONTENT_DIR
from tests.web.helpers import csrf, register

CATALOG: Catalog = load_catalog(CONTENT_DIR)
MODULE = CATALOG.modules[0]
LESSON = MODULE.lessons[0]
LESSON_URL = f"/modules/{MODULE.slug}/{LESSON.slug}"


def q_url(question: Question) -> str:
    return f"{LESSON_URL}/questions/{question.id}"


def right(question: Question) -> list[str]:
    return sorted(question.correct_keys)


def wrong(question: Question) -> list[str]:
    return [next(o.key for o in question.options if not o.correct)]


def form_key(client: httpx.Client, question: Question) -> str:
    page = client.get(LESSON_URL).text
    section = page[page.index(f'id="q-{question.id}"') :]
    return re.search(r'name="form_key" value="([0-9a-f]+)"', section).group(1)


def answer(
    client: httpx.Client, question: Question, keys: list[str], htmx: bool = True, key: str = ""
) -> httpx.Response:
    token = csrf(client, LESSON_URL)
    data = {"csrf_token": token, "answer": keys, "form_key": key or form_key(client, question)}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(q_url(question), data=data, headers=headers)


def attempts(engine: Engine) -> list[Attempt]:
    with Session(engine) as db:
        return list(db.exec(select(Attempt)).all())


def test_htmx_answer_returns_the_feedback_fragment(client: httpx.Client, engine: Engine) -> None:
    register(client)
    question = LESSON.questions[0]
    response = answer(client, question, wrong(question))
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="q-{question.id}"' in response.text
    assert "Not quite" in response.text
    chosen = next(o for o in question.options if o.key == wrong(question)[0])
    assert chosen.feedback_html in response.text
    assert question.explanation_html in response.text
    assert "Try again" in response.text and f'hx-get="{q_url(question)}"' in response.text
    assert "HX-Request" in response.headers["vary"]
    (stored,) = attempts(engine)
    assert (stored.module_slug, stored.lesson_slug, stored.question_id) == (
        MODULE.slug,
        LESSON.slug,
        question.id,
    )
    assert stored.content_version == LESSON.version
    assert stored.answer == wrong(question)[0] and stored.correct is False


def test_no_js_answer_redirects_to_the_anchor_with_the_same_feedback(
    client: httpx.Client,
) -> None:
    register(client)
    question = LESSON.questions[1]
    response = answer(client, question, right(question), htmx=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.endswith(f"#q-{question.id}")
    page = client.get(location)
    section = page.text[page.text.index(f'id="q-{question.id}"') :]
    assert "Correct" in section[:2000]
    assert question.explanation_html in section


def test_double_submit_stores_one_attempt(client: httpx.Client, engine: Engine) -> None:
    register(client)
    question = LESSON.questions[0]
    key = form_key(client, question)
    first = answer(client, question, right(question), key=key)
    again = answer(client, question, wrong(question), key=key)  # a replay of the same form
    assert first.status_code == again.status_code == 200
    assert "Correct" in again.text  # the stored answer, not the replay
    assert len(attempts(engine)) == 1


def test_try_again_gets_a_fresh_form(client: httpx.Client) -> None:
    question = LESSON.questions[0]
    fragment = client.get(q_url(question), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<form" in fragment.text and "<html" not in fragment.text
    plain = client.get(q_url(question))
    assert plain.status_code == 303 and plain.headers["location"].endswith(f"#q-{question.id}")


def test_anonymous_learners_get_feedback_but_nothing_is_stored(
    client: httpx.Client, engine: Engine
) -> None:
    question = LESSON.questions[0]
    response = answer(client, question, right(question))
    assert response.status_code == 200 and "Correct" in response.text
    assert "Sign in" in response.text
    assert attempts(engine) == []


def test_unknown_question_is_404(client: httpx.Client) -> None:
    token = csrf(client, LESSON_URL)
    response = client.post(
        f"{LESSON_URL}/questions/no-such-question", data={"csrf_token": token, "answer": "a"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("keys", [[], ["z"], ["a", "b"]])
def test_malformed_answers_get_422_with_the_form_kept(
    client: httpx.Client, engine: Engine, keys: list[str]
) -> None:
    register(client)
    question = next(q for q in LESSON.questions if q.type.value == "single")
    response = answer(client, question, keys)
    assert response.status_code == 422
    assert "nhsuk-error-message" in response.text
    assert "<form" in response.text
    plain = answer(client, question, keys, htmx=False)
    assert plain.status_code == 422 and "<html" in plain.text
    assert attempts(engine) == []


def test_one_user_never_sees_another_users_attempts(client: httpx.Client, server_url: str) -> None:
    register(client)
    for question in LESSON.questions:
        answer(client, question, right(question))
    mine = client.get(LESSON_URL).text
    assert mine.count("Answered</strong>") == len(LESSON.questions)
    with httpx.Client(base_url=server_url) as other:
        register(other)
        theirs = other.get(LESSON_URL).text
        assert "Answered</strong>" not in theirs
        assert other.get("/learning").text.count("In progress") == 0
