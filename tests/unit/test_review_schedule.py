"""The 3-minute review's schedule, against the service and a real database (both backends):
ratings, due dates moved by FSRS, at most five a round, started modules only, removed
questions skipped, and no lesson attempt ever written by a review."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta

import fsrs
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.catalog import Catalog, load_catalog
from app.catalog.schema import QuestionBlock
from app.models import Attempt, ReviewCard, ReviewLog, User
from app.models.content import utcnow
from app.services import review, review_round
from app.services.records import records_for
from tests.conftest import CONTENT_DIR, SECOND_MODULE, _empty_learner_tables, course_module

CATALOG = load_catalog(CONTENT_DIR).for_learners
MODULE = course_module()
QUESTIONS = [(lesson, q) for lesson in MODULE.lessons for q in lesson.questions]
SECRET = "s" * 32


@pytest.fixture
def learner(engine: Engine) -> Iterator[int]:
    with Session(engine) as db:
        user = User(email="review@example.nhs.uk", name="R", password_hash="x")
        db.add(user)
        db.commit()
        db.refresh(user)
        assert user.id is not None
        yield user.id
    _empty_learner_tables(engine)


def answered(db: Session, user_id: int, at: datetime, correct: bool, index: int = 0) -> None:
    """A lesson answer to the module's `index`-th question, as the quiz route stores it."""
    lesson, question = QUESTIONS[index]
    db.add(
        Attempt(
            user_id=user_id,
            module_slug=MODULE.slug,
            lesson_slug=lesson.slug,
            question_id=question.id,
            content_version=lesson.version,
            answer="a",
            correct=correct,
            form_key=f"k{at.timestamp()}-{index}",
            created_at=at,
        )
    )
    db.commit()


def cards(db: Session, user_id: int) -> dict[str, ReviewCard]:
    rows = db.exec(select(ReviewCard).where(ReviewCard.user_id == user_id)).all()
    return {row.question_id: row for row in rows}


def test_ratings_right_first_good_after_wrong_hard_wrong_again() -> None:
    assert review.rating_for(True, after_wrong=False) is fsrs.Rating.Good
    assert review.rating_for(True, after_wrong=True) is fsrs.Rating.Hard
    assert review.rating_for(False, after_wrong=False) is fsrs.Rating.Again
    assert review.rating_for(False, after_wrong=True) is fsrs.Rating.Again


def test_seeding_replays_answers_wrong_first_is_due_now_right_first_later(
    engine: Engine, learner: int
) -> None:
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    with Session(engine) as db:
        answered(db, learner, hour_ago, True, 0)  # right at the first try
        answered(db, learner, hour_ago, False, 1)  # wrong, then right on "try again"
        answered(db, learner, hour_ago + timedelta(seconds=20), True, 1)
        answered(db, learner, now - timedelta(hours=3), False, 2)  # wrong, left there
        assert review.seed(db, learner, CATALOG) == 3
        made = cards(db, learner)
        right, retried, wrong = (made[QUESTIONS[i][1].id] for i in range(3))
        assert review.utc(right.due) > now + timedelta(hours=12)
        assert right.last_rating == fsrs.Rating.Good
        assert retried.last_rating == fsrs.Rating.Hard
        assert wrong.last_rating == fsrs.Rating.Again
        assert review.utc(retried.due) <= now and review.utc(wrong.due) <= now
        assert all(c.reviews == 0 for c in made.values())  # seeding is not a review
        # Nothing new: a second offer reads, and writes nothing.
        assert review.seed(db, learner, CATALOG) == 0
        offer = review.offer(db, learner, CATALOG, now)
        assert offer.ready == 2 and offer.next_due is None
        # A later lesson answer is folded into the existing card.
        answered(db, learner, now - timedelta(minutes=5), True, 2)
        assert review.seed(db, learner, CATALOG) == 1
        db.expire_all()
        assert review.utc(cards(db, learner)[QUESTIONS[2][1].id].due) > now + timedelta(hours=12)


def test_a_round_holds_at_most_five_most_overdue_first(engine: Engine, learner: int) -> None:
    now = utcnow()
    with Session(engine) as db:
        for i in range(7):
            answered(db, learner, now - timedelta(hours=7 - i), False, i)
        assert review.offer(db, learner, CATALOG, now).ready == review.ROUND_SIZE == 5
        round_ = review_round.start(db, learner, CATALOG, now)
        assert round_ is not None and len(round_.card_ids) == 5
        ids = [c.id for c in review.cards_due(db, learner, CATALOG)]
        assert list(round_.card_ids) == ids[:5]  # the oldest wrong answers first


def test_answers_move_due_dates_and_try_again_rates_hard(engine: Engine, learner: int) -> None:
    now = utcnow()
    with Session(engine) as db:
        answered(db, learner, now - timedelta(hours=2), False, 0)
        answered(db, learner, now - timedelta(hours=2), False, 1)
        round_ = review_round.start(db, learner, CATALOG, now)
        assert round_ is not None
        first, second = review_round.steps(db, learner, round_, CATALOG)
        later = now + timedelta(seconds=5)
        # Right at the first try: Good, due days away.
        done = review_round.answer(db, learner, round_, first, True, later)
        assert done.rating is fsrs.Rating.Good and done.due > now + timedelta(hours=12)
        # Checking it again in the same round changes nothing.
        again = review_round.answer(db, learner, round_, first, True, later)
        assert again.rating is None
        # Wrong: Again; a second wrong try records nothing; then right: Hard, once.
        wrong = review_round.answer(db, learner, round_, second, False, later)
        assert wrong.rating is fsrs.Rating.Again
        assert review_round.answer(db, learner, round_, second, False, later).rating is None
        hard = review_round.answer(db, learner, round_, second, True, later)
        assert hard.rating is fsrs.Rating.Hard
        assert review_round.answer(db, learner, round_, second, True, later).rating is None
        steps = review_round.steps(db, learner, round_, CATALOG)
        assert all(step.done for step in steps)
        ratings = db.exec(
            select(ReviewLog.rating).where(ReviewLog.user_id == learner).order_by(ReviewLog.id)
        ).all()
        assert ratings == [3, 1, 2]
        stored = cards(db, learner)
        assert stored[QUESTIONS[0][1].id].reviews == 1 and stored[QUESTIONS[1][1].id].reviews == 2
        # Reviews are not lesson attempts.
        assert db.exec(select(func.count()).select_from(Attempt)).one() == 2
        assert review.activity(db, learner, later) == review.Activity(3, 3)
        assert review.activity(db, learner, later + timedelta(days=10)) == review.Activity(0, 3)


def test_only_started_modules_give_questions(engine: Engine, learner: int) -> None:
    now = utcnow()
    second = CATALOG.module(SECOND_MODULE)
    assert second is not None
    with Session(engine) as db:
        user = db.get(User, learner)
        assert user is not None
        records = records_for(db, [user], CATALOG)[learner]
        assert review.home_offer(db, user, CATALOG, records) is None  # nothing started
        answered(db, learner, now - timedelta(hours=1), False, 0)
        records = records_for(db, [user], CATALOG)[learner]
        offer = review.home_offer(db, user, CATALOG, records)
        assert offer is not None and offer.ready == 1
        assert {c.module_slug for c in cards(db, learner).values()} == {MODULE.slug}
        assert review.home_offer(db, None, CATALOG, records) is None  # a visitor


def _without_first_question(catalog: Catalog) -> Catalog:
    """The catalog after an author deleted the module's first question."""
    lesson, question = QUESTIONS[0]
    blocks = tuple(
        b for b in lesson.blocks if not (isinstance(b, QuestionBlock) and b.question is question)
    )
    lessons = tuple(
        dataclasses.replace(x, blocks=blocks) if x is lesson else x for x in MODULE.lessons
    )
    module = dataclasses.replace(MODULE, lessons=lessons)
    return Catalog.of([module if m.slug == MODULE.slug else m for m in catalog.modules])


def test_questions_edited_away_are_skipped(engine: Engine, learner: int) -> None:
    now = utcnow()
    edited = _without_first_question(CATALOG)
    gone = QUESTIONS[0][1].id
    assert (MODULE.slug, gone) not in review.places(edited)
    with Session(engine) as db:
        answered(db, learner, now - timedelta(hours=1), False, 0)
        answered(db, learner, now - timedelta(hours=1), False, 1)
        # Seeded against the edited catalog: no card for the removed question.
        review.seed(db, learner, edited)
        assert gone not in cards(db, learner)
        # A card made before the edit is never offered after it.
        review.seed(db, learner, CATALOG)
        assert gone in cards(db, learner)
        assert review.offer(db, learner, edited, now).ready == 1
        round_ = review_round.start(db, learner, edited, now)
        assert round_ is not None
        assert [s.question.id for s in review_round.steps(db, learner, round_, edited)] == [
            QUESTIONS[1][1].id
        ]


def test_round_tokens_are_bound_to_the_learner_and_expire(learner: int) -> None:
    now = utcnow()
    round_ = review_round.Round(int(now.timestamp() * 1000), (3, 9))
    token = round_.token(SECRET, learner)
    assert review_round.read_token(SECRET, learner, token, now) == round_
    assert review_round.read_token(SECRET, learner + 1, token, now) is None
    assert review_round.read_token("t" * 32, learner, token, now) is None
    forged = token.replace("-3.9-", "-3.10-")
    assert review_round.read_token(SECRET, learner, forged, now) is None
    assert review_round.read_token(SECRET, learner, token, now + timedelta(hours=13)) is None
    for junk in ("", "x", "1-2-3", "\uff11-2-ab", "-".join(["1", ".".join("1" * 6), "a"])):
        assert review_round.read_token(SECRET, learner, junk, now) is None
