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
from tests.conftest import CONTENT_DIR, course_module
from tests.web.helpers import csrf, login, register

CATALOG: Catalog = load_catalog(CONTENT_DIR)
MODULE = course_module()
LESSON = MODULE.lessons[0]
LESSON_URL = f"/modules/{MODULE.slug}/{LESSON.slug}"


def q_url(question: Question) -> str:
    return f"{LESSON_URL}/questions/{question.id}"


def right(question: Question) -> list[str]:
    return sorted(question.correct_keys)


def wrong(question: Question) -> list[str]:
    return [next(o.key for o in question.options if not o.correct)]


def form_key(client: httpx.Client, question: Question) -> str:
    """The form's key, from the question's form as "Try again" fetches it."""
    fragment = client.get(q_url(question), headers={"HX-Request": "true"}).text
    return re.search(r'name="form_key" value="([0-9a-f]+)"', fragment).group(1)


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
    assert mine.count('class="qi-feedback ') == len(LESSON.questions)
    with httpx.Client(base_url=server_url) as other:
        register(other)
        theirs = other.get(LESSON_URL).text
        assert "qi-feedback" not in theirs and "Answered</strong>" not in theirs
        assert other.get("/learning").text.count("In progress") == 0


def section_of(page: str, question: Question) -> str:
    start = page.index(f'<section class="qi-question" id="q-{question.id}"')
    return page[start : page.index("</section>", start)]


def order_of(page: str, question: Question) -> list[str]:
    return re.findall(rf'id="q-{re.escape(question.id)}-([a-z])" name="answer"', page)


def test_returning_to_a_lesson_shows_the_latest_answer_with_its_feedback(
    client: httpx.Client,
) -> None:
    register(client)
    question = LESSON.questions[0]
    answer(client, question, wrong(question))
    answer(client, question, right(question))
    section = section_of(client.get(LESSON_URL).text, question)
    assert "<form" not in section  # not a blank form
    assert "Correct" in section  # the latest answer, not the first
    assert question.explanation_html in section
    assert "Try again" in section
    chosen = next(o for o in question.options if o.key == right(question)[0])
    assert chosen.feedback_html in section
    untouched = section_of(client.get(LESSON_URL).text, LESSON.questions[1])
    assert "<form" in untouched and "Answered" not in untouched


def test_try_again_without_javascript_opens_that_question_as_a_form(
    client: httpx.Client,
) -> None:
    register(client)
    question, other = LESSON.questions[0], LESSON.questions[1]
    answer(client, question, right(question))
    answer(client, other, right(other))
    retry = client.get(q_url(question))
    assert retry.status_code == 303
    location = retry.headers["location"]
    assert location.endswith(f"?retry={question.id}#q-{question.id}")
    page = client.get(location).text
    assert "<form" in section_of(page, question) and "Answered" in section_of(page, question)
    assert "<form" not in section_of(page, other)  # the others keep their feedback


def test_options_are_shuffled_per_learner_and_stable_for_each(
    client: httpx.Client, server_url: str
) -> None:
    email = register(client)
    shuffled = [q for q in LESSON.questions if len(q.options) > 2]
    mine = [order_of(client.get(LESSON_URL).text, q) for q in shuffled]
    assert mine == [order_of(client.get(LESSON_URL).text, q) for q in shuffled]  # a reload
    with httpx.Client(base_url=server_url) as phone:  # a second device, the same learner
        login(phone, email)
        assert mine == [order_of(phone.get(LESSON_URL).text, q) for q in shuffled]
    others = []
    for _ in range(3):
        with httpx.Client(base_url=server_url) as other:
            register(other)
            others.append([order_of(other.get(LESSON_URL).text, q) for q in shuffled])
    assert any(theirs != mine for theirs in others)
    for order, question in zip(mine, shuffled, strict=True):
        assert sorted(order) == sorted(o.key for o in question.options)


def test_multiple_choice_feedback_names_the_correct_options_missed(
    client: httpx.Client,
) -> None:
    register(client)
    question = next(q for q in LESSON.questions if q.type.value == "multiple")
    first, *missed = sorted(question.correct_keys)
    assert missed, "the test needs a question with two or more correct options"
    response = answer(client, question, [first])
    assert "Not quite" in response.text
    assert "You missed" in response.text
    listed = response.text[response.text.index("You missed") :]
    for option in question.options:
        if option.key in missed:
            assert option.html in listed
    chosen = next(o for o in question.options if o.key == first)
    assert chosen.html not in listed


def test_without_javascript_an_error_lands_at_its_question(client: httpx.Client) -> None:
    register(client)
    question = LESSON.questions[2]
    page = client.get(LESSON_URL).text
    assert f'action="{q_url(question)}#q-{question.id}"' in page
    assert f'hx-post="{q_url(question)}"' in page
    assert 'action="/modules/' in page and '/complete#lesson-done"' in page
