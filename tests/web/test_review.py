"""The 3-minute review over real HTTP: the home panel, a round answered with HTMX and without,
feedback linking to the lesson, the schedule moved, supervisors seeing counts only, another
trainee's round unreachable, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import Engine, update
from sqlmodel import Session, func, select

from app.catalog.schema import Question
from app.models import Attempt, ReviewCard, ReviewLog
from app.models.content import as_utc, utcnow
from tests.conftest import course_module
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import accept, invite_code, supervisor, user_id

MODULE = course_module()
LESSON = MODULE.lessons[0]
LESSON_URL = f"/modules/{MODULE.slug}/{LESSON.slug}"
FORM = re.compile(r'<form method="post" action="(/review/(\d+)\?s=([^"#]+))#q-([\w-]+)"')


def right(question: Question) -> list[str]:
    return sorted(question.correct_keys)


def wrong(question: Question) -> list[str]:
    return [next(o.key for o in question.options if not o.correct)]


def answer_in_lesson(client: httpx.Client, question: Question, keys: list[str]) -> None:
    page = client.get(LESSON_URL).text
    key = re.search(
        r'name="form_key" value="([0-9a-f]+)"', page[page.index(f'id="q-{question.id}"') :]
    ).group(1)
    response = client.post(
        f"{LESSON_URL}/questions/{question.id}",
        data={"csrf_token": csrf(client, LESSON_URL), "answer": keys, "form_key": key},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def hours_pass(engine: Engine, hours: int = 3) -> None:
    """Every answer and card moved into the past, as if the learner came back later."""
    with engine.begin() as conn:
        for row in conn.execute(select(Attempt.id, Attempt.created_at)).all():
            moved = as_utc(row.created_at) - timedelta(hours=hours)
            conn.execute(update(Attempt).where(Attempt.id == row.id).values(created_at=moved))


def trainee_with_answers(client: httpx.Client, engine: Engine) -> str:
    """A trainee who got question 1 wrong and question 2 right, three hours ago."""
    email = register(client)
    answer_in_lesson(client, LESSON.questions[0], wrong(LESSON.questions[0]))
    answer_in_lesson(client, LESSON.questions[1], right(LESSON.questions[1]))
    hours_pass(engine)
    return email


def start_round(client: httpx.Client) -> httpx.Response:
    started = client.get("/review")
    assert started.status_code == 303 and started.headers["location"].startswith("/review?s=")
    return client.get(started.headers["location"])


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as db:
        logs = db.exec(select(func.count()).select_from(ReviewLog)).one()
        attempts = db.exec(select(func.count()).select_from(Attempt)).one()
    return logs, attempts


def test_home_panel_offers_due_questions_or_says_when(client: httpx.Client, engine: Engine) -> None:
    assert "3-minute review" not in client.get("/").text  # a visitor
    register(client)
    assert "3-minute review" not in client.get("/").text  # nothing started
    answer_in_lesson(client, LESSON.questions[1], right(LESSON.questions[1]))
    home = client.get("/").text
    assert "3-minute review" in home and "Nothing to review now. Next review due" in home
    assert re.search(r"Next review due (tomorrow|in \d+ days)", home), home
    answer_in_lesson(client, LESSON.questions[0], wrong(LESSON.questions[0]))
    hours_pass(engine)
    home = client.get("/").text
    assert '<a class="nhsuk-button nhsuk-u-margin-bottom-0" href="/review"' in home
    assert "1 question ready" in home


def test_a_review_round_trip_with_htmx(client: httpx.Client, engine: Engine) -> None:
    trainee_with_answers(client, engine)
    page = start_round(client)
    assert page.status_code == 200 and "Question 1 of 1" in page.text
    action, card_id, token, qid = FORM.search(page.text).groups()
    question = LESSON.questions[0]
    assert qid == question.id
    assert f"/modules/{MODULE.slug}/{LESSON.slug}/questions" not in page.text  # posts to review
    _, attempts_before = counts(engine)
    response = client.post(
        action,
        data={"csrf_token": csrf(client, "/"), "answer": right(question)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert "Correct" in response.text
    assert "HX-Request" in response.headers["vary"]
    # The feedback links back to its lesson; the way on comes out of band.
    assert f'href="{LESSON_URL}"' in response.text
    assert 'id="review-next" hx-swap-oob="true"' in response.text
    assert "Finish the review" in response.text and "comes back" in response.text
    with Session(engine) as db:
        card = db.get(ReviewCard, int(card_id))
        assert card is not None and card.reviews == 1 and card.last_rating == 3
        assert as_utc(card.due) > utcnow() + timedelta(hours=12)  # moved on by FSRS
        assert db.exec(select(ReviewLog.rating)).all() == [3]
    assert counts(engine)[1] == attempts_before  # not a lesson attempt
    done = client.get(f"/review?s={token}").text
    assert "Review done" in done and "1 of 1 question right at the first try" in done
    # Nothing due now: a new round is not started.
    assert client.get("/review").status_code == 200


def test_without_javascript_try_again_rates_hard(client: httpx.Client, engine: Engine) -> None:
    trainee_with_answers(client, engine)
    page = start_round(client).text
    action, card_id, token, qid = FORM.search(page).groups()
    question = LESSON.questions[0]
    token_csrf = csrf(client, "/")
    response = client.post(action, data={"csrf_token": token_csrf, "answer": wrong(question)})
    assert response.status_code == 200 and "<html" in response.text and "Not quite" in response.text
    assert "hx-swap-oob" not in response.text
    retry = f'href="/review/{card_id}?s={token}#q-{qid}"'
    assert retry in response.text  # "Try again" stays in the round without JavaScript
    again = client.get(f"/review/{card_id}?s={token}")
    assert again.status_code == 200 and FORM.search(again.text)
    # An empty answer: 422, the form again with the message.
    empty = client.post(action, data={"csrf_token": token_csrf})
    assert empty.status_code == 422 and "Select an answer" in empty.text
    client.post(action, data={"csrf_token": token_csrf, "answer": right(question)})
    client.post(action, data={"csrf_token": token_csrf, "answer": right(question)})  # twice
    with Session(engine) as db:
        assert db.exec(select(ReviewLog.rating).order_by(ReviewLog.id)).all() == [1, 2]


def test_supervisor_sees_review_counts_never_answers(
    client: httpx.Client, server_url: str, engine: Engine
) -> None:
    supervisor(client, engine)
    code = invite_code(client)
    with httpx.Client(base_url=server_url, timeout=10) as trainee:
        email = register(trainee)
        accept(trainee, code)
        answer_in_lesson(trainee, LESSON.questions[0], wrong(LESSON.questions[0]))
        hours_pass(engine)
        action = FORM.search(start_round(trainee).text).group(1)
        question = LESSON.questions[0]
        data = {"csrf_token": csrf(trainee, "/"), "answer": wrong(question)}
        trainee.post(action, data=data)
    page = client.get(f"/supervise/trainees/{user_id(engine, email)}")
    assert page.status_code == 200
    assert "1 review in the last 7 days, 1 in the last 30 days" in page.text
    chosen = next(o for o in question.options if o.key == wrong(question)[0])
    assert chosen.feedback_html not in page.text and question.prompt_html not in page.text
    with httpx.Client(base_url=server_url, timeout=10) as other:
        supervisor(other, engine)
        assert other.get(f"/supervise/trainees/{user_id(engine, email)}").status_code == 404


def test_another_trainees_round_is_never_shown(
    client: httpx.Client, server_url: str, engine: Engine
) -> None:
    trainee_with_answers(client, engine)
    action, card_id, token, _ = FORM.search(start_round(client).text).groups()
    with httpx.Client(base_url=server_url, timeout=10) as other:
        register(other)
        answer_in_lesson(other, LESSON.questions[0], wrong(LESSON.questions[0]))
        hours_pass(engine)
        # The first trainee's round in the address: not theirs, so a round of their own.
        response = other.get(f"/review?s={token}")
        assert response.status_code == 303
        own_url = response.headers["location"]
        assert own_url.startswith("/review?s=") and token not in own_url
        assert other.get(f"/review/{card_id}?s={token}").status_code == 404
        data = {"csrf_token": csrf(other, "/"), "answer": wrong(LESSON.questions[0])}
        assert other.post(action, data=data).status_code == 404
        own = other.get(own_url).text
        _, own_card, own_token, _ = FORM.search(own).groups()
        assert own_card != card_id
        # Their own round with the other's card id: 404 too.
        assert other.post(f"/review/{card_id}?s={own_token}", data=data).status_code == 404
    assert counts(engine)[0] == 0


def test_answers_need_the_csrf_token(client: httpx.Client, engine: Engine) -> None:
    trainee_with_answers(client, engine)
    action = FORM.search(start_round(client).text).group(1)
    response = client.post(action, data={"answer": right(LESSON.questions[0])})
    assert response.status_code == 403
    assert counts(engine)[0] == 0


def test_review_needs_an_account(client: httpx.Client) -> None:
    response = client.get("/review")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
