"""The newer question types over real HTTP, on both databases: true-false, numeric, short-text,
ordering and matching. HTMX fragments, no-JS redirects, 422s with input kept, stored answers,
returning to the lesson, scores and the answer's three queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.config import Settings
from app.main import create_app
from app.migrate import upgrade
from app.models import Attempt, LessonProgress
from tests.conftest import _empty_learner_tables
from tests.live_server import serve
from tests.question_types_content import RIGHT, URL, WRONG, write_content
from tests.sites import Site, own_site
from tests.web.helpers import csrf, register

TYPES = list(RIGHT)
DASH = "\u2013"  # the en dash the feedback puts between a part and its mark


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("qtypes-content"))


@pytest.fixture(scope="module")
def qt_site(
    backend: str, tmp_path_factory: pytest.TempPathFactory, content: Path
) -> Iterator[Site]:
    with own_site(backend, tmp_path_factory.mktemp(f"qtypes-{backend}"), content) as site:
        yield site


@pytest.fixture(scope="module")
def qt_engine(qt_site: Site) -> Engine:
    return qt_site.engine


@pytest.fixture(scope="module")
def qt_server(qt_site: Site) -> str:
    return qt_site.url


@pytest.fixture
def qt(qt_server: str, qt_engine: Engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=qt_server, timeout=10) as http:
        yield http
    _empty_learner_tables(qt_engine)


def section(html: str, qid: str) -> str:
    start = html.index(f'id="q-{qid}"')
    return html[start : html.index("</section>", start)]


def form_key(client: httpx.Client, qid: str) -> str:
    fragment = client.get(f"{URL}/questions/{qid}", headers={"HX-Request": "true"}).text
    return re.search(r'name="form_key" value="([0-9a-f]+)"', fragment).group(1)


def answer(
    client: httpx.Client, qid: str, values: list[str], htmx: bool = True, key: str = ""
) -> httpx.Response:
    key = key or form_key(client, qid)
    data = {"csrf_token": csrf(client, URL), "answer": values, "form_key": key}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"{URL}/questions/{qid}", data=data, headers=headers)


def attempts(engine: Engine) -> list[Attempt]:
    with Session(engine) as db:
        return list(db.exec(select(Attempt).order_by(Attempt.id)).all())


STORED_RIGHT = {
    "tf": "true",
    "median": "62.5",
    "pdsa-s": "study!",
    "pdsa-order": "a,b,c,d",
    "measures": "a=1,b=2,c=3",
}
WRONG_FEEDBACK = {
    "tf": "It does. With fewer points",
    "median": "That is the mean.",
    "pdsa-s": "Deming preferred Study to Check",
    "pdsa-order": "2 of 4 positions are wrong",
    "measures": "2 of 3 items are wrong",
}


@pytest.mark.parametrize("qid", TYPES)
def test_htmx_answers_are_graded_stored_and_given_their_feedback(
    qt: httpx.Client, qt_engine: Engine, qid: str
) -> None:
    register(qt)
    right = answer(qt, qid, RIGHT[qid])
    assert right.status_code == 200 and "<html" not in right.text
    assert "Correct" in right.text and "Saved to your record." in right.text
    wrong = answer(qt, qid, WRONG[qid])
    assert wrong.status_code == 200 and "Not quite" in wrong.text
    assert WRONG_FEEDBACK[qid] in wrong.text
    first, second = attempts(qt_engine)
    assert (first.answer, first.correct) == (STORED_RIGHT[qid], True)
    assert second.correct is False and second.question_id == qid


def test_wrong_parts_are_named_and_nothing_is_partly_right(qt: httpx.Client) -> None:
    order = answer(qt, "pdsa-order", ["a", "c", "b", "d"]).text
    assert "Not quite" in order and "2 of 4 positions are wrong" in order
    assert f"Position 2: Study {DASH} <strong>wrong</strong>" in order
    assert f"Position 3: Do {DASH} <strong>wrong</strong>" in order
    assert f"Position 1: Plan {DASH} <strong>right</strong>" in order
    match = answer(qt, "measures", ["a=1", "b=2", "c=1"]).text
    assert "Not quite" in match and "1 of 3 items are wrong" not in match
    assert "1 of 3 items is wrong" in match
    assert f"Staff time spent on assessments: Outcome {DASH} <strong>wrong</strong>" in match
    # An item's own feedback is shown when it is wrong.
    assert "something staff do" in answer(qt, "measures", ["a=1", "b=1", "c=3"]).text


@pytest.mark.parametrize("qid", TYPES)
def test_no_js_answers_redirect_to_the_lesson_with_the_same_feedback(
    qt: httpx.Client, qid: str
) -> None:
    register(qt)
    response = answer(qt, qid, RIGHT[qid], htmx=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#q-{qid}")
    page = qt.get(response.headers["location"])
    assert page.status_code == 200
    assert "Correct" in section(page.text, qid)
    wrong = qt.get(answer(qt, qid, WRONG[qid], htmx=False).headers["location"])
    assert WRONG_FEEDBACK[qid] in section(wrong.text, qid)


@pytest.mark.parametrize(
    ("qid", "values", "message", "kept"),
    [
        ("median", ["sixty-two"], "Enter a number", 'value="sixty-two"'),
        ("median", [""], "Enter a number", 'value=""'),
        ("pdsa-s", ["   "], "Enter your answer", 'value="   "'),
        ("pdsa-s", ["x" * 201], "200 characters or fewer", 'value="' + "x" * 201),
        (
            "pdsa-order",
            ["a", "a", "c", "d"],
            "Use each step once: “Plan” is in more than one position",
            '<option value="c" selected>Study</option>',
        ),
        (
            "measures",
            ["a=2", "", ""],
            "Not chosen yet: “Share of patients with a falls risk assessment”; “Staff time",
            '<option value="a=2" selected>Process</option>',
        ),
        ("tf", [], "Select an answer", 'value="true"'),
        ("tf", ["maybe"], "not one of the options", 'value="false"'),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_bad_input_is_a_422_with_the_input_kept(
    qt: httpx.Client,
    qt_engine: Engine,
    qid: str,
    values: list[str],
    message: str,
    kept: str,
    htmx: bool,
) -> None:
    register(qt)
    response = answer(qt, qid, values, htmx=htmx)
    assert response.status_code == 422
    assert ("<html" in response.text) is not htmx  # without JS: the whole lesson, at the error
    part = section(response.text, qid)
    assert message in part and "nhsuk-error-message" in part
    assert kept in part
    assert attempts(qt_engine) == []


def test_typed_text_is_escaped_and_kept_as_typed_with_commas(
    qt: httpx.Client, qt_engine: Engine
) -> None:
    register(qt)
    typed = "<b>Check</b>, surely"
    fragment = answer(qt, "pdsa-s", [typed]).text
    assert "&lt;b&gt;Check&lt;/b&gt;, surely" in fragment and "<b>Check" not in fragment
    (stored,) = attempts(qt_engine)
    assert stored.answer == typed
    # Returning shows it again, commas and all, with its feedback.
    page = qt.get(URL).text
    assert "&lt;b&gt;Check&lt;/b&gt;, surely" in section(page, "pdsa-s")


def test_the_longest_short_text_fits_the_column(qt: httpx.Client, qt_engine: Engine) -> None:
    register(qt)
    typed = "Study " + "é" * 194  # 200 characters, 394 bytes in UTF-8
    assert answer(qt, "pdsa-s", [typed]).status_code == 200
    (stored,) = attempts(qt_engine)
    assert stored.answer == typed


def test_returning_shows_the_latest_answer_of_every_type(qt: httpx.Client) -> None:
    register(qt)
    for qid in TYPES:
        answer(qt, qid, RIGHT[qid])
        answer(qt, qid, WRONG[qid])  # the latest is what the page shows
    page = qt.get(URL).text
    for qid in TYPES:
        part = section(page, qid)
        assert "Not quite" in part and WRONG_FEEDBACK[qid] in part, qid
        assert "Try again" in part and "<form" not in part
    assert "You answered <strong>62 %</strong>" not in page  # the unit sits beside the number
    assert "You answered <strong>62%</strong>" in section(page, "median")


def test_a_replayed_form_shows_the_stored_answer(qt: httpx.Client, qt_engine: Engine) -> None:
    register(qt)
    key = form_key(qt, "pdsa-s")
    first = answer(qt, "pdsa-s", ["Study"], key=key)
    again = answer(qt, "pdsa-s", ["Check"], key=key)
    assert first.status_code == again.status_code == 200
    assert "Correct" in again.text and "You answered <strong>Study</strong>" in again.text
    assert len(attempts(qt_engine)) == 1


def test_scores_count_first_attempts_right(qt: httpx.Client, qt_engine: Engine) -> None:
    register(qt)
    answer(qt, "tf", WRONG["tf"])
    for qid in TYPES:
        answer(qt, qid, RIGHT[qid])
    done = qt.post(f"{URL}/complete", data={"csrf_token": csrf(qt, URL)})
    assert done.status_code == 303
    with Session(qt_engine) as db:
        (progress,) = db.exec(select(LessonProgress)).all()
    assert progress.score == 80  # 4 of 5 right at the first attempt


def test_ordering_steps_start_shuffled_per_learner_and_stable(qt: httpx.Client) -> None:
    def shown() -> list[str]:
        part = section(qt.get(URL).text, "pdsa-order")
        return re.findall(r'<option value="([a-d])" selected>', part)

    register(qt)
    first = shown()
    assert sorted(first) == ["a", "b", "c", "d"] and first != ["a", "b", "c", "d"]
    assert shown() == first


def test_each_type_is_answered_in_three_queries_and_one_commit(
    content: Path, tmp_path: Path
) -> None:
    database = f"sqlite:///{tmp_path / 'count.db'}"
    upgrade(database)
    app = create_app(Settings(database_url=database, content_dir=content, password_profile="test"))
    statements: list[str] = []

    @event.listens_for(app.state.engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith("PRAGMA"):
            statements.append(statement)

    @event.listens_for(app.state.engine, "commit")
    def commit(_conn) -> None:  # type: ignore[no-untyped-def]
        statements.append("-- commit")

    with serve(app) as base, httpx.Client(base_url=base) as client:
        register(client)
        token = csrf(client, URL)
        for number, qid in enumerate(TYPES):
            statements.clear()
            client.post(
                f"{URL}/questions/{qid}",
                data={"csrf_token": token, "answer": RIGHT[qid], "form_key": f"{number:032x}"},
                headers={"HX-Request": "true"},
            )
            assert statements.count("-- commit") == 1, statements
            assert len([s for s in statements if s != "-- commit"]) <= 3, statements


def test_the_content_loads_as_the_tests_expect(content: Path) -> None:
    lesson = load_catalog(content).modules[0].lessons[0]
    assert [q.id for q in lesson.questions] == TYPES


def test_a_lesson_with_every_type_stays_under_40_kb(qt: httpx.Client) -> None:
    from tests.web.test_weight import BUDGET, compressed_size

    register(qt)
    html = qt.get(URL).text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"', html)
    assert any("ordering.js" in a for a in assets)
    total = compressed_size(qt, URL) + sum(compressed_size(qt, a) for a in set(assets))
    assert total < BUDGET


def test_an_educator_previews_every_type_with_its_answers(
    qt: httpx.Client, qt_engine: Engine
) -> None:
    from html import unescape

    from app.models import Role
    from tests.question_types_content import QUESTIONS
    from tests.web.supervision_helpers import set_role

    set_role(qt_engine, register(qt), Role.educator)
    draft = "---\ntitle: Draft\nminutes: 5\noutcomes: [aims]\n---\n" + QUESTIONS
    data = {"csrf_token": csrf(qt, "/author"), "module": "test", "draft": draft}
    response = qt.post("/author/preview", data=data)
    assert response.status_code == 200
    page = unescape(response.text)
    for shown in (
        "Correct: True",
        "Right: 62.45 to 62.55 %",
        f"Named wrong value: 61.95 to 62.05 {DASH} That is the mean",
        "Accepted: Study; or matching",
        f"Named wrong answer: Check {DASH} Deming",
        f"Position 3: Study {DASH} Study the results",
        "Position 4: Act",
        f"Process: Share of patients with a falls risk assessment {DASH} An assessment",
        "Feedback when wrong: It stands for Study.",
    ):
        assert shown in re.sub(r"<[^>]+>", "", page), shown
