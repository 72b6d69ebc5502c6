"""Playing a scenario: one node per step, one URL per step, with or without JavaScript.

Signed-in learners' runs are stored (services/scenario_runs.py); a visitor's path travels in
the URL (`?path=0,2`) and nothing is stored. `?step=N` shows the node after N choices of the
learner's path: their current step, or an earlier one read-only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from starlette.responses import RedirectResponse, Response

from app.catalog.schema import Lesson, Module
from app.deps import CurrentUser, DbSession, OptionalUser, PostedForm, ViewerCatalog, wants_fragment
from app.scenarios import engine
from app.scenarios.engine import Position
from app.scenarios.model import Choice, Node, Scenario
from app.services import scenario_runs
from app.services.scenario_runs import REFLECTION_MAX, RunConflict
from app.templating import render

router = APIRouter()
PAGE, FRAGMENT = "pages/scenario.html", "partials/_scenario.html"
BASE = "/modules/{module_slug}/{lesson_slug}/scenarios/{scenario_id}"


@dataclass
class PlayerView:
    """What the player shows at one step."""

    module: Module
    lesson: Lesson
    scenario: Scenario
    here: Position  # the position shown (a past one when read-only)
    url: str
    signed_in: bool
    length: int  # how many choices the learner's path has
    error: str = ""
    reflection: str = ""
    reflection_error: str = ""
    saved: bool = False  # the reflection was just saved

    @property
    def node(self) -> Node:
        return self.scenario.node(self.here.node_id)

    @property
    def step(self) -> int:
        return len(self.here.path)

    @property
    def past(self) -> bool:
        return self.step < self.length

    @property
    def taken(self) -> Choice | None:
        """At a past step, the choice the learner made there."""
        return None if not self.past else self.node.choices[self.full[self.step]]

    full: tuple[int, ...] = field(default=())  # the learner's whole path

    @property
    def last(self) -> Choice | None:
        """The choice that led here, whose feedback is shown above the node."""
        if not self.here.path:
            return None
        node_id, index = self.here.path[-1]
        return self.scenario.node(node_id).choices[index]

    @property
    def offered(self) -> list[tuple[int, Choice]]:
        return [] if self.past else engine.available(self.scenario, self.here)

    @property
    def ended(self) -> bool:
        return engine.ended(self.scenario, self.here)

    @property
    def path_text(self) -> str:
        return engine.format_run(self.full)

    def step_url(self, step: int) -> str:
        if self.signed_in:
            return f"{self.url}?step={step}"
        return f"{self.url}?{urlencode({'path': engine.format_run(self.full[:step])})}"

    @property
    def steps(self) -> list[tuple[Node, Choice]]:
        return engine.steps(self.scenario, self.here)

    @property
    def strongest(self) -> list[tuple[Node, Choice]]:
        best = engine.replay(self.scenario, self.scenario.strongest_choices)
        return engine.steps(self.scenario, best)


def _find(
    module_slug: str, lesson_slug: str, scenario_id: str, catalog: ViewerCatalog
) -> tuple[Module, Lesson, Scenario]:
    """The scenario an address names (drafts only for educators), or the app's 404 page."""
    found = catalog.lesson(module_slug, lesson_slug)
    scenario = scenario_runs.find(found[1], scenario_id) if found else None
    if found is None or scenario is None:
        raise HTTPException(status_code=404)
    return found[0], found[1], scenario


Found = Annotated[tuple[Module, Lesson, Scenario], Depends(_find)]


def _url(module: Module, lesson: Lesson, scenario: Scenario) -> str:
    return BASE.format(module_slug=module.slug, lesson_slug=lesson.slug, scenario_id=scenario.id)


def _respond(request: Request, view: PlayerView, status_code: int = 200) -> Response:
    response = render(request, PAGE, {"view": view}, fragment=FRAGMENT, status_code=status_code)
    if wants_fragment(request) and status_code == 200:
        response.headers["HX-Push-Url"] = view.step_url(view.step)
    return response


def _anonymous_path(text: str) -> tuple[int, ...] | None:
    try:
        return engine.parse_run(text)
    except ValueError:
        return None


@router.get(BASE)
def play(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    found: Found,  # after the user: a visitor is asked to sign in first
) -> Response:
    module, lesson, scenario = found
    url = _url(module, lesson, scenario)
    reflection = ""
    if user is not None:
        run = scenario_runs.load(db, user, module, lesson, scenario.id)
        choices = scenario_runs.stored_choices(run)
        reflection = run.reflection if run else ""
    else:
        choices = _anonymous_path(request.query_params.get("path", "")) or ()
    current = scenario_runs.position(scenario, choices)
    full = current.choices
    step_text = request.query_params.get("step", "")
    here = current
    if step_text:
        if not (step_text.isascii() and step_text.isdigit()) or int(step_text) > len(full):
            return RedirectResponse(f"{url}?step={len(full)}", status_code=303)
        here = engine.replay(scenario, full[: int(step_text)])
    view = PlayerView(
        module, lesson, scenario, here, url, user is not None, len(full), full=full,
        reflection=reflection, saved=request.query_params.get("saved") == "1",
    )  # fmt: skip
    return _respond(request, view)


@router.post(BASE + "/choose")
def choose(
    request: Request,
    db: DbSession,
    user: OptionalUser,
    found: Found,  # after the user: a visitor is asked to sign in first
    form: PostedForm,
) -> Response:
    module, lesson, scenario = found
    url = _url(module, lesson, scenario)
    step_text, index_text = str(form.get("step") or ""), str(form.get("choice") or "")
    anonymous = _anonymous_path(str(form.get("path") or "")) if user is None else ()
    digits = (step_text + index_text).isascii() and step_text.isdigit() and index_text.isdigit()
    if not digits or anonymous is None:
        return _conflict(request, db, user, module, lesson, scenario, url, "Choose an answer.", 422)
    step, index = int(step_text), int(index_text)
    try:
        if user is not None:
            new = scenario_runs.choose(db, user, module, lesson, scenario, step, index)
        else:
            here = scenario_runs.position(scenario, anonymous)
            new = scenario_runs.advance(scenario, here, step, index)
    except RunConflict as problem:
        return _conflict(request, db, user, module, lesson, scenario, url, str(problem), 409)
    view = PlayerView(
        module, lesson, scenario, new, url, user is not None, len(new.path), full=new.choices
    )
    if not wants_fragment(request):
        return RedirectResponse(view.step_url(view.step) + "#scenario-player", status_code=303)
    if user is not None:
        run = scenario_runs.load(db, user, module, lesson, scenario.id)
        view.reflection = run.reflection if run else ""
    return _respond(request, view)


def _conflict(request, db, user, module, lesson, scenario, url, message, status) -> Response:
    """Where the learner really is, with what went wrong."""
    if user is not None:
        run = scenario_runs.load(db, user, module, lesson, scenario.id)
        choices, reflection = scenario_runs.stored_choices(run), run.reflection if run else ""
    else:
        choices, reflection = (), ""
    here = scenario_runs.position(scenario, choices)
    view = PlayerView(
        module, lesson, scenario, here, url, user is not None, len(here.path),
        full=here.choices, error=message, reflection=reflection,
    )  # fmt: skip
    return _respond(request, view, status_code=status)


@router.post(BASE + "/restart")
def restart(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    found: Found,  # after the user: a visitor is asked to sign in first
) -> Response:
    module, lesson, scenario = found
    scenario_runs.restart(db, user, module, lesson, scenario.id)
    url = _url(module, lesson, scenario)
    if not wants_fragment(request):
        return RedirectResponse(f"{url}?step=0#scenario-player", status_code=303)
    view = PlayerView(
        module, lesson, scenario, engine.start(scenario), url, True, 0,
        reflection=_reflection(db, user, module, lesson, scenario),
    )  # fmt: skip
    return _respond(request, view)


def _reflection(db, user, module, lesson, scenario) -> str:
    run = scenario_runs.load(db, user, module, lesson, scenario.id)
    return run.reflection if run else ""


@router.post(BASE + "/reflection")
def reflection(
    request: Request,
    db: DbSession,
    user: CurrentUser,
    found: Found,  # after the user: a visitor is asked to sign in first
    form: PostedForm,
) -> Response:
    module, lesson, scenario = found
    url = _url(module, lesson, scenario)
    text = str(form.get("reflection") or "").strip()
    run = scenario_runs.load(db, user, module, lesson, scenario.id)
    here = scenario_runs.position(scenario, scenario_runs.stored_choices(run))
    view = PlayerView(
        module, lesson, scenario, here, url, True, len(here.path), full=here.choices,
        reflection=text,
    )  # fmt: skip
    if len(text) > REFLECTION_MAX:
        view.reflection_error = (
            f"Your reflection is {len(text):,} characters: keep it to {REFLECTION_MAX:,}"
        )
        return _respond(request, view, status_code=422)
    if not scenario_runs.save_reflection(db, user, module, lesson, scenario.id, text):
        view.error = "Reach an ending of the scenario before you reflect on it."
        view.reflection = run.reflection if run else ""
        return _respond(request, view, status_code=409)
    if not wants_fragment(request):
        return RedirectResponse(f"{url}?saved=1#reflection", status_code=303)
    view.saved = True
    return _respond(request, view)
