"""The 3-minute review: /review starts a round of due questions, answers go through grading and
the FSRS schedule (services/review.py, services/review_round.py). Never a lesson attempt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.catalog import Catalog
from app.deps import CatalogDep, CurrentUser, DbSession, PostedForm, RowId, wants_fragment
from app.models import User
from app.models.content import utcnow
from app.routes.learn import not_found
from app.routes.lesson_view import QuestionView
from app.services import review, review_round
from app.services.grading import BadAnswer, grade, kept_input, parse_answer
from app.services.option_order import items_for, learner_seed, options_for
from app.services.review_round import Reviewed, Round, Step
from app.templating import render

router = APIRouter()
PAGE, FRAGMENT = "pages/review.html", "partials/_review_question.html"


@dataclass
class ReviewQuestionView(QuestionView):
    """A lesson question asked in a review round: the same partials, posting to the round."""

    round_url: str = ""

    @property
    def url(self) -> str:
        return self.round_url

    @property
    def retry_href(self) -> str:
        return f"{self.round_url}#q-{self.question.id}"


def _view(
    request: Request, user: User, round_: Round, token: str, step: Step, **state: Any
) -> ReviewQuestionView:
    """The question drawn fresh: options shuffled for this learner and this round."""
    secret = request.app.state.settings.secret_key
    learner = f"{learner_seed(user.id, None)}/review/{round_.started}"
    m, lesson, q = step.place
    return ReviewQuestionView(
        q,
        m,
        lesson,
        options=options_for(q, m.slug, lesson.slug, secret=secret, learner=learner),
        items=items_for(q, m.slug, lesson.slug, secret=secret, learner=learner),
        round_url=f"/review/{step.card_id}?s={token}",
        **state,
    )


def _round(request: Request, user: User, s: str) -> tuple[Round, str] | None:
    found = review_round.read_token(request.app.state.settings.secret_key, user.id, s)
    return (found, s) if found else None


@router.get("/review")
def review_page(
    request: Request, catalog: CatalogDep, db: DbSession, user: CurrentUser, s: str = ""
) -> Response:
    """Without a round: start one (303 to its URL), or say when the next review is due."""
    found = _round(request, user, s) if s else None
    if found is None:
        started = review_round.start(db, user.id, catalog)
        if started is None:
            offer = review.offer(db, user.id, catalog)
            context = {"offer": offer, "now": utcnow(), "in_words": review.in_words}
            return render(request, PAGE, context)
        token = started.token(request.app.state.settings.secret_key, user.id)
        return RedirectResponse(f"/review?s={token}", status_code=303)
    round_, token = found
    steps = review_round.steps(db, user.id, round_, catalog)
    current = next((step for step in steps if not step.done), None)
    if current is None:
        context = {
            "steps": steps,
            "now": utcnow(),
            "in_words": review.in_words,
            "finished": True,
        }
        return render(request, PAGE, context)
    view = _view(request, user, round_, token, current)
    return _respond(request, token, steps, current, view)


def _step(
    request: Request, db: Session, user: User, catalog: Catalog, card_id: int, s: str
) -> tuple[Round, str, list[Step], Step] | None:
    """The round in `s` and its question for this card, or None when either is not this
    learner's (a 404 for the caller)."""
    found = _round(request, user, s)
    if found is None or card_id not in found[0].card_ids:
        return None
    round_, token = found
    steps = review_round.steps(db, user.id, round_, catalog)
    step = next((x for x in steps if x.card_id == card_id), None)
    return None if step is None else (round_, token, steps, step)


@router.get("/review/{card_id}")
def review_question(
    request: Request,
    card_id: RowId,
    catalog: CatalogDep,
    db: DbSession,
    user: CurrentUser,
    s: str = "",
) -> Response:
    """One question of the round as a fresh form: "Try again" (HTMX swaps it in place)."""
    found = _step(request, db, user, catalog, card_id, s)
    if found is None:
        return not_found(request)
    round_, token, steps, step = found
    view = _view(request, user, round_, token, step)
    return _respond(request, token, steps, step, view)


@router.post("/review/{card_id}")
def review_answer(
    request: Request,
    card_id: RowId,
    catalog: CatalogDep,
    db: DbSession,
    user: CurrentUser,
    form: PostedForm,
    s: str = "",
) -> Response:
    found = _step(request, db, user, catalog, card_id, s)
    if found is None:
        return not_found(request)
    round_, token, steps, step = found
    values = [v for v in form.getlist("answer") if isinstance(v, str)]
    try:
        keys = parse_answer(step.question, values)
    except BadAnswer as problem:
        kept = kept_input(step.question, values)
        view = _view(request, user, round_, token, step, error=str(problem), selected=kept)
        return _respond(request, token, steps, step, view, status_code=422)
    result = grade(step.question, keys)
    reviewed = review_round.answer(db, user.id, round_, step, result.correct)
    steps = review_round.steps(db, user.id, round_, catalog)
    step = next((x for x in steps if x.card_id == card_id), step)
    view = _view(request, user, round_, token, step, result=result, selected=keys)
    return _respond(request, token, steps, step, view, reviewed=reviewed)


def _respond(
    request: Request,
    token: str,
    steps: list[Step],
    step: Step,
    view: ReviewQuestionView,
    reviewed: Reviewed | None = None,
    status_code: int = 200,
) -> Response:
    """The page, or for HTMX the question with the round's links swapped out of band."""
    others_left = any(not x.done for x in steps if x.card_id != step.card_id)
    context = {
        "view": view,
        "step": step,
        "position": next((i for i, x in enumerate(steps, 1) if x.card_id == step.card_id), 1),
        "total": len(steps),
        "round_url": f"/review?s={token}",
        "others_left": others_left,
        "reviewed": reviewed,
        "now": utcnow(),
        "in_words": review.in_words,
        "oob": wants_fragment(request),
    }
    return render(request, PAGE, context, fragment=FRAGMENT, status_code=status_code)
