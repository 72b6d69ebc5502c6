"""Playing a scenario over real HTTP on both databases: to an ending, with and without HTMX,
resumed on a second client, restarted, double-submitted, reflected on; and as a visitor."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Role, ScenarioRun
from tests.conftest import _empty_learner_tables
from tests.scenario_content import LESSON_URL, PLAYER, write_content
from tests.sites import Site, own_site
from tests.web.helpers import csrf, login, register

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def sc_site(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    content = write_content(tmp_path_factory.mktemp("scenario-content"))
    with own_site(backend, tmp_path_factory.mktemp(f"scenario-{backend}"), content) as site:
        yield site


@pytest.fixture(scope="module")
def sc_engine(sc_site: Site) -> Engine:
    return sc_site.engine


@pytest.fixture(scope="module")
def sc_server(sc_site: Site) -> str:
    return sc_site.url


@pytest.fixture
def sc(sc_server: str, sc_engine: Engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sc_server, timeout=10) as http:
        yield http
    _empty_learner_tables(sc_engine)


def choose(
    client: httpx.Client, step: int, choice: int, htmx: bool = False, path: str | None = None
) -> httpx.Response:
    data = {"csrf_token": csrf(client, PLAYER), "step": str(step), "choice": str(choice)}
    if path is not None:
        data["path"] = path
    return client.post(f"{PLAYER}/choose", data=data, headers=HX if htmx else {})


def node_heading(html: str) -> str:
    return re.search(r'id="scenario-node"[^>]*>(.*?)</h2>', html, re.S).group(1).strip()


def run_of(engine: Engine) -> ScenarioRun | None:
    with Session(engine) as db:
        return db.exec(select(ScenarioRun)).first()


def test_the_lesson_shows_a_card_linking_to_the_player(sc: httpx.Client) -> None:
    page = sc.get(LESSON_URL).text
    assert 'id="scenario-ward-round"' in page
    assert f'href="{PLAYER}"' in page
    assert "Practise the conversation: We&#39;ve always done it this way" in page


def test_play_to_an_ending_without_javascript(sc: httpx.Client, sc_engine: Engine) -> None:
    register(sc)
    first = sc.get(PLAYER)
    assert first.status_code == 200
    assert node_heading(first.text).startswith("Dr Okafor")
    assert "You are an F2 on the acute medical unit." in first.text  # the intro, at step 0
    response = choose(sc, 0, 0)
    assert response.status_code == 303
    assert response.headers["location"] == f"{PLAYER}?step=1#scenario-player"
    step1 = sc.get(response.headers["location"])
    assert "Asking about interests opens the conversation." in step1.text  # feedback shown
    assert "Focus on interests, not positions (Fisher and Ury)" in step1.text
    response = choose(sc, 1, 0)
    assert response.status_code == 303
    end = sc.get(response.headers["location"]).text
    assert node_heading(end) == "A one-week pilot is agreed"
    assert "Your path" in end and "The strongest path" in end
    assert "What would you say differently on your ward?" in end
    run = run_of(sc_engine)
    assert run is not None and run.choices == "0,0" and run.finished_at is not None


def test_htmx_swaps_in_the_next_node_and_pushes_its_url(sc: httpx.Client) -> None:
    register(sc)
    response = choose(sc, 0, 2, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="qi-scenario" id="scenario-player"')
    assert "<html" not in response.text
    assert response.headers["HX-Push-Url"] == f"{PLAYER}?step=1"
    assert "HX-Request" in response.headers["Vary"]
    assert node_heading(response.text) == "The consultant walks away"


def test_resume_on_a_second_client_with_the_same_account(sc: httpx.Client, sc_server: str) -> None:
    email = register(sc)
    choose(sc, 0, 1)  # to "stalled"
    with httpx.Client(base_url=sc_server, timeout=10) as other:
        login(other, email)
        page = other.get(PLAYER).text
        assert "Attacking the person hardens the position." in page
        assert "Apologise and start again." in page
        assert choose(other, 1, 0).status_code == 303  # back to the opening, from device two
    # the first device carries on from where the second left it
    page = sc.get(PLAYER).text
    assert 'name="step" value="2"' in page
    assert "Repair makes it safe to talk again." in page


def test_a_double_submit_or_stale_device_cannot_fork_the_path(
    sc: httpx.Client, sc_engine: Engine
) -> None:
    register(sc)
    assert choose(sc, 0, 0).status_code == 303
    again = choose(sc, 0, 1)  # the same step again, another choice
    assert again.status_code == 409
    assert "already made, or you moved on in another tab" in again.text
    assert 'name="step" value="1"' in again.text  # shows where they really are
    assert run_of(sc_engine).choices == "0"
    htmx = choose(sc, 0, 0, htmx=True)
    assert htmx.status_code == 409


def test_past_steps_are_read_only_and_a_future_step_goes_back_to_now(sc: httpx.Client) -> None:
    register(sc)
    choose(sc, 0, 0)
    past = sc.get(f"{PLAYER}?step=0").text
    assert "You chose:" in past and "Ask what matters most" in past
    assert 'name="choice"' not in past
    ahead = sc.get(f"{PLAYER}?step=7")
    assert ahead.status_code == 303 and ahead.headers["location"] == f"{PLAYER}?step=1"


def test_restart_goes_back_to_the_start_and_keeps_the_finish(
    sc: httpx.Client, sc_engine: Engine
) -> None:
    register(sc)
    choose(sc, 0, 2)
    response = sc.post(f"{PLAYER}/restart", data={"csrf_token": csrf(sc, PLAYER)})
    assert response.status_code == 303
    page = sc.get(response.headers["location"]).text
    assert 'name="step" value="0"' in page
    run = run_of(sc_engine)
    assert run.choices == "" and run.finished_at is not None


def test_restart_without_a_csrf_token_is_refused(sc: httpx.Client) -> None:
    register(sc)
    assert sc.post(f"{PLAYER}/restart", data={}).status_code == 403


def test_the_reflection_is_saved_escaped_and_limited(sc: httpx.Client, sc_engine: Engine) -> None:
    register(sc)
    refused = sc.post(
        f"{PLAYER}/reflection", data={"csrf_token": csrf(sc, PLAYER), "reflection": "early"}
    )
    assert refused.status_code == 409  # no ending reached yet
    choose(sc, 0, 2)
    long = "x" * 2001
    too_long = sc.post(
        f"{PLAYER}/reflection", data={"csrf_token": csrf(sc, PLAYER), "reflection": long}
    )
    assert too_long.status_code == 422
    assert "keep it to 2,000" in too_long.text and long in too_long.text
    text = "<script>alert(1)</script> I'd ask first"
    saved = sc.post(
        f"{PLAYER}/reflection", data={"csrf_token": csrf(sc, PLAYER), "reflection": text}
    )
    assert saved.status_code == 303
    page = sc.get(saved.headers["location"]).text
    assert "Reflection saved to your record." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; I&#39;d ask first" in page
    assert "<script>alert(1)" not in page
    assert run_of(sc_engine).reflection == text


def test_a_visitor_plays_with_the_path_in_the_url_and_nothing_is_stored(
    sc: httpx.Client, sc_engine: Engine
) -> None:
    response = choose(sc, 0, 0, path="")
    assert response.status_code == 303
    assert response.headers["location"] == f"{PLAYER}?path=0#scenario-player"
    page = sc.get(f"{PLAYER}?path=0").text
    assert 'name="path" value="0"' in page
    end = choose(sc, 1, 0, path="0")
    assert end.headers["location"] == f"{PLAYER}?path=0%2C0#scenario-player"
    page = sc.get(end.headers["location"]).text
    assert node_heading(page) == "A one-week pilot is agreed"
    assert "What would you say differently" not in page  # nothing to save a reflection to
    assert run_of(sc_engine) is None
    assert sc.get(f"{PLAYER}?path=9,9").status_code == 200  # a bad path plays from the start


def test_an_unknown_scenario_is_404(sc: httpx.Client) -> None:
    assert sc.get(f"{LESSON_URL}/scenarios/nope").status_code == 404


def answer_q1(client: httpx.Client) -> None:
    page = client.get(LESSON_URL).text
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', page).group(1)
    data = {"csrf_token": csrf(client, LESSON_URL), "answer": ["a"], "form_key": key}
    client.post(f"{LESSON_URL}/questions/q1", data=data, headers=HX)


def test_the_lesson_is_done_only_once_the_scenario_reached_an_ending(sc: httpx.Client) -> None:
    register(sc)
    answer_q1(sc)
    choose(sc, 0, 1)  # started, not finished
    refused = sc.post(f"{LESSON_URL}/complete", data={"csrf_token": csrf(sc, LESSON_URL)})
    assert refused.status_code == 409
    assert "Play the scenario \u201cWe&#39;ve always done it this way\u201d to an ending" in (
        refused.text
    )
    assert 'href="#scenario-ward-round"' in refused.text
    choose(sc, 1, 0)
    choose(sc, 2, 2)  # opening -> walked away: an ending, not the strongest
    page = sc.get(LESSON_URL).text
    assert "Play the scenario again" in page and "Finished" in page
    done = sc.post(f"{LESSON_URL}/complete", data={"csrf_token": csrf(sc, LESSON_URL)})
    assert done.status_code == 303
    # a restart afterwards keeps the lesson done: the ending was reached
    sc.post(f"{PLAYER}/restart", data={"csrf_token": csrf(sc, PLAYER)})
    assert "Play the scenario again" in sc.get(LESSON_URL).text


def test_the_supervisor_sees_the_reflection_escaped_and_no_one_else_does(
    sc: httpx.Client, sc_server: str, sc_engine: Engine
) -> None:
    from tests.web.supervision_helpers import accept, invite_code, set_role, user_id

    sup_email = register(sc)
    set_role(sc_engine, sup_email, Role.supervisor)
    code = invite_code(sc)
    text = "<b>Ask</b> the consultant & listen"
    with httpx.Client(base_url=sc_server, timeout=10) as trainee:
        email = register(trainee)
        assert accept(trainee, code).status_code in (200, 303)
        choose(trainee, 0, 2)
        data = {"csrf_token": csrf(trainee, PLAYER), "reflection": text}
        assert trainee.post(f"{PLAYER}/reflection", data=data).status_code == 303
    tid = user_id(sc_engine, email)
    page = sc.get(f"/supervise/trainees/{tid}").text
    assert "Scenario reflections" in page
    assert "&lt;b&gt;Ask&lt;/b&gt; the consultant &amp; listen" in page
    assert "<b>Ask</b>" not in page
    with httpx.Client(base_url=sc_server, timeout=10) as other:
        other_email = register(other)
        set_role(sc_engine, other_email, Role.supervisor)  # a supervisor, but not theirs
        assert other.get(f"/supervise/trainees/{tid}").status_code == 404
        set_role(sc_engine, other_email, Role.trainee)
        assert "Ask</b>" not in other.get("/learning/record").text
        assert "the consultant &amp; listen" not in other.get(PLAYER).text


def test_digits_int_refuses_are_a_clear_answer_not_a_500(sc: httpx.Client) -> None:
    """'²' passes str.isdigit() but not int(): the player treats it as no step at all."""
    register(sc)
    assert sc.get(f"{PLAYER}?step=²").status_code < 500
    data = {"csrf_token": csrf(sc, PLAYER), "step": "²", "choice": "0"}
    assert sc.post(f"{PLAYER}/choose", data=data).status_code == 422
    data = {"csrf_token": csrf(sc, PLAYER), "step": "0", "choice": "³"}
    assert sc.post(f"{PLAYER}/choose", data=data).status_code == 422
