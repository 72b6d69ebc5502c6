"""Progress: completing lessons, progress bars, ticks, "continue", and /learning."""

from __future__ import annotations

import re

import httpx

from app.catalog import load_catalog
from tests.conftest import CONTENT_DIR, course_module
from tests.web.helpers import csrf, register
from tests.web.test_quiz import right, wrong

CATALOG = load_catalog(CONTENT_DIR)
MODULE = course_module()


def lesson_url(lesson) -> str:
    return f"/modules/{MODULE.slug}/{lesson.slug}"


def answer_all(client: httpx.Client, lesson, first_wrong: int = 0, count: int = 0) -> None:
    for i, question in enumerate(lesson.questions[: count or None]):
        token = csrf(client, lesson_url(lesson))
        url = f"{lesson_url(lesson)}/questions/{question.id}"
        form = client.get(url, headers={"HX-Request": "true"}).text  # as "Try again" gets it
        key = re.search(r'name="form_key" value="([0-9a-f]+)"', form).group(1)
        keys = wrong(question) if i < first_wrong else right(question)
        response = client.post(
            f"{lesson_url(lesson)}/questions/{question.id}",
            data={"csrf_token": token, "answer": keys, "form_key": key},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200


def complete(client: httpx.Client, lesson) -> httpx.Response:
    token = csrf(client, lesson_url(lesson))
    return client.post(f"{lesson_url(lesson)}/complete", data={"csrf_token": token})


def progress_of(page: str, slug: str) -> tuple[int, int]:
    match = re.search(rf'id="progress-{slug}" max="(\d+)" value="(\d+)"', page)
    assert match, "no progress bar"
    return int(match.group(2)), int(match.group(1))


def test_a_lesson_needs_every_question_answered_before_it_is_done(client: httpx.Client) -> None:
    register(client)
    lesson = MODULE.lessons[0]
    response = complete(client, lesson)
    assert response.status_code == 409
    assert "There is a problem" in response.text
    for question in lesson.questions:
        assert f'href="#q-{question.id}"' in response.text


def test_completing_lessons_moves_the_bar_ticks_and_scores(client: httpx.Client) -> None:
    register(client)
    first = MODULE.lessons[0]
    assert progress_of(client.get("/modules").text, MODULE.slug) == (0, len(MODULE.lessons))
    answer_all(client, first, first_wrong=1)
    response = complete(client, first)
    assert response.status_code == 303
    assert response.headers["location"] == f"{lesson_url(first)}#lesson-done"
    assert progress_of(client.get("/modules").text, MODULE.slug) == (1, len(MODULE.lessons))
    module_page = client.get(f"/modules/{MODULE.slug}").text
    assert progress_of(module_page, MODULE.slug) == (1, len(MODULE.lessons))
    assert module_page.count('class="qi-tick"') == 1
    expected = round(100 * (len(first.questions) - 1) / len(first.questions))
    assert f"with a score of {expected}%" in client.get(lesson_url(first)).text
    learning = client.get("/learning").text
    assert "In progress" in learning and f"{expected}%" in learning


def test_retrying_does_not_change_the_first_attempt_score(client: httpx.Client) -> None:
    register(client)
    lesson = MODULE.lessons[0]
    answer_all(client, lesson, first_wrong=len(lesson.questions))
    answer_all(client, lesson)  # all right the second time
    assert complete(client, lesson).status_code == 303
    assert "with a score of 0%" in client.get(lesson_url(lesson)).text


def test_continue_returns_to_the_lesson_left_half_done(client: httpx.Client) -> None:
    """A learner who jumped to lesson 2 and answered one question goes back to lesson 2, not to
    the untouched lesson 1."""
    register(client)
    second = MODULE.lessons[1]
    answer_all(client, second, count=1)
    assert f'href="{lesson_url(second)}#resume" role="button"' in client.get("/").text


def test_continue_leads_to_the_next_unfinished_lesson_on_any_device(
    client: httpx.Client, server_url: str
) -> None:
    email = register(client)
    assert 'id="continue"' not in client.get("/").text  # nothing started yet
    first, second = MODULE.lessons[0], MODULE.lessons[1]
    answer_all(client, first)
    home = client.get("/").text
    assert f'href="{lesson_url(first)}#resume" role="button"' in home  # all answered: done panel
    complete(client, first)
    with httpx.Client(base_url=server_url) as phone:
        token = csrf(phone, "/login")
        phone.post(
            "/login",
            data={"csrf_token": token, "email": email, "password": "correct horse battery"},
        )
        home = phone.get("/").text
        assert (
            f'href="{lesson_url(second)}#resume" role="button" draggable="false" id="continue"'
            in home
        )


def test_learning_page_needs_an_account(client: httpx.Client) -> None:
    response = client.get("/learning")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/learning"


def test_answers_on_one_lesson_do_not_leak_into_progress_of_another_user(
    client: httpx.Client, server_url: str
) -> None:
    register(client)
    answer_all(client, MODULE.lessons[0])
    complete(client, MODULE.lessons[0])
    with httpx.Client(base_url=server_url) as other:
        register(other)
        assert progress_of(other.get("/modules").text, MODULE.slug) == (0, len(MODULE.lessons))
        assert "Not started" in other.get("/learning").text
        assert 'id="continue"' not in other.get("/").text


def test_marking_a_lesson_done_shows_lessons_left_the_score_so_far_and_next_lesson(
    client: httpx.Client,
) -> None:
    register(client)
    first, second = MODULE.lessons[0], MODULE.lessons[1]
    answer_all(client, first, first_wrong=1)
    location = complete(client, first).headers["location"]
    page = client.get(location).text
    done = page[page.index('id="lesson-done"') :]
    score = round(100 * (len(first.questions) - 1) / len(first.questions))
    left = len(MODULE.lessons) - 1
    text = re.sub(r"\s+", " ", done)
    assert f"with a score of {score}%" in text
    assert f"{left} lessons left in {MODULE.title}" in text
    assert f"Your score so far: {score}%" in text
    assert f'href="{lesson_url(second)}" role="button" draggable="false">Next lesson' in done


def test_continue_opens_the_lesson_at_its_first_unanswered_question(client: httpx.Client) -> None:
    register(client)
    lesson = MODULE.lessons[0]
    answer_all(client, lesson, count=1)
    anchor = f'href="{lesson_url(lesson)}#resume"'
    assert anchor in client.get("/").text
    assert anchor in client.get("/learning").text
    module_page = client.get(f"/modules/{MODULE.slug}").text
    assert anchor in module_page and "Start the first lesson" not in module_page
    # The lesson puts #resume just before its first unanswered question ...
    page = client.get(lesson_url(lesson)).text
    section = f'<section class="qi-question" id="q-{lesson.questions[1].id}"'
    flat = re.sub(r"\s+", " ", page)
    assert flat.count('id="resume"') == 1
    assert re.search(r'<span id="resume"></span> ?' + re.escape(section), flat)
    # ... and at the "mark as done" panel once every question is answered.
    answer_all(client, lesson)
    page = re.sub(r"\s+", " ", client.get(lesson_url(lesson)).text)
    assert re.search(r'<span id="resume"></span> ?<[^>]+id="lesson-done"', page)


def test_a_completed_module_says_so_with_its_score_and_certificate(client: httpx.Client) -> None:
    register(client)
    assert "Start the first lesson" in client.get(f"/modules/{MODULE.slug}").text
    for lesson in MODULE.lessons:
        answer_all(client, lesson)
        complete(client, lesson)
    page = re.sub(r"\s+", " ", client.get(f"/modules/{MODULE.slug}").text)
    assert "Module complete" in page
    assert "You completed this module with a score of 100%" in page
    assert re.search(r'href="/certificates/QI-[A-Z0-9]+">See your certificate', page)
    assert "Start the first lesson" not in page and 'id="continue"' not in page
