"""The 3-minute review's schedule: a thin layer over the `fsrs` package, one card per learner
and question (app/models/review.py). No scheduling maths here: FSRS decides every due date.

Ratings (`rating_for`): right at the first try is Good, right straight after a wrong answer (a
"try again") is Hard, wrong is Again. Easy is never given.

Where cards come from (`seed`): nothing is written on the answer path. When the review is
offered (the home page, /review), the learner's lesson answers not yet folded into a card are
read in ONE query and replayed through FSRS in time order, each at the moment it was given. So
a question wrong at the first try comes out due within minutes ("now"), and one right at the
first try due when FSRS says (about two days after that answer, longer after more right
answers). Answers given in a lesson after the card was made are folded in the same way the
next time. A question no longer in the catalog (edited away, or a draft) gets no card, and an
existing card for it is never offered.

Reviews are not lesson attempts: they write `review_card` and `review_log` only, never
`attempt`, so no lesson score, completion or question statistic changes.

Scheduler settings: one learning step of a minute (a wrong first answer is due at once, a
right one graduates straight to FSRS's interval) and no relearning steps (a forgotten question
comes back the next day, not ten minutes later inside the same sitting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
from sqlalchemy import and_, case, func, update
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import Lesson, Module, Question
from app.models import Attempt, ReviewCard, ReviewLog, User
from app.models.content import as_utc, utcnow
from app.services.progress import _dialect_insert
from app.services.records import ModuleRecord

SCHEDULER = fsrs.Scheduler(learning_steps=(timedelta(minutes=1),), relearning_steps=())
ROUND_SIZE = 5
TRY_AGAIN = timedelta(hours=1)  # a lesson answer this soon after a wrong one is a "try again"

Place = tuple[Module, Lesson, Question]


def rating_for(correct: bool, after_wrong: bool) -> fsrs.Rating:
    if not correct:
        return fsrs.Rating.Again
    return fsrs.Rating.Hard if after_wrong else fsrs.Rating.Good


def places(catalog: Catalog) -> dict[tuple[str, str], Place]:
    """Every question the catalog has, by (module slug, question id): ids are unique per module,
    so a question moved to another lesson of its module keeps its card."""
    return {
        (m.slug, q.id): (m, lesson, q)
        for m in catalog.modules
        for lesson in m.lessons
        for q in lesson.questions
    }


def utc(moment: datetime) -> datetime:
    """What fsrs insists on: an aware datetime whose tzinfo is exactly timezone.utc."""
    return as_utc(moment).astimezone(UTC)


@dataclass
class _Folding:
    """A card being built or moved on from the answers read by `seed`."""

    card: fsrs.Card
    last_at: datetime
    last_rating: int
    row_id: int | None = None
    old_last_at: datetime | None = None


def seed(db: Session, user_id: int, catalog: Catalog) -> int:
    """Fold the learner's answers that no card has seen yet into their cards; commits only when
    there was something new. Returns the number of cards made or moved."""
    known = places(catalog)
    card = ReviewCard
    joined = and_(
        col(card.user_id) == col(Attempt.user_id),
        col(card.module_slug) == col(Attempt.module_slug),
        col(card.question_id) == col(Attempt.question_id),
    )
    rows = db.exec(
        select(
            Attempt.module_slug,
            Attempt.question_id,
            Attempt.correct,
            Attempt.created_at,
            card.id,
            card.card,
            card.last_reviewed_at,
            card.last_rating,
        )
        .outerjoin(card, joined)
        .where(
            Attempt.user_id == user_id,
            col(Attempt.module_slug).in_(sorted(m.slug for m in catalog.modules)),
            (col(card.id).is_(None)) | (col(Attempt.created_at) > col(card.last_reviewed_at)),
        )
        .order_by(col(Attempt.created_at), col(Attempt.id))
    ).all()
    folding: dict[tuple[str, str], _Folding] = {}
    for module_slug, question_id, correct, created_at, row_id, stored, last_at, last in rows:
        key = (module_slug, question_id)
        if key not in known:
            continue
        at = utc(created_at)
        now = folding.get(key)
        if now is None:
            if stored is None:
                first = fsrs.Card(card_id=int(at.timestamp() * 1000), due=at)
                now = _Folding(first, at, 0)
            else:
                now = _Folding(fsrs.Card.from_json(stored), utc(last_at), last, row_id, last_at)
            folding[key] = now
        after_wrong = now.last_rating == fsrs.Rating.Again and at - now.last_at <= TRY_AGAIN
        rating = rating_for(correct, after_wrong)
        now.card, _ = SCHEDULER.review_card(now.card, rating, review_datetime=at)
        now.last_at, now.last_rating = at, int(rating)
    if not folding:
        return 0
    insert = _dialect_insert(db)
    for (module_slug, question_id), done in folding.items():
        values = {
            "card": done.card.to_json(),
            "due": done.card.due,
            "last_reviewed_at": done.last_at,
            "last_rating": done.last_rating,
        }
        if done.row_id is None:
            lesson = known[(module_slug, question_id)][1]
            db.exec(
                insert(ReviewCard)
                .values(
                    user_id=user_id,
                    module_slug=module_slug,
                    lesson_slug=lesson.slug,
                    question_id=question_id,
                    reviews=0,
                    created_at=utcnow(),
                    **values,
                )
                .on_conflict_do_nothing(index_elements=["user_id", "module_slug", "question_id"])
            )
        else:  # another request folding the same answers at once changes nothing twice
            db.exec(
                update(ReviewCard)
                .where(
                    col(ReviewCard.id) == done.row_id,
                    col(ReviewCard.last_reviewed_at) == done.old_last_at,
                )
                .values(**values)
            )
    db.commit()
    return len(folding)


@dataclass(frozen=True)
class Due:
    """A card as the offer and the round read it (no FSRS state)."""

    id: int
    module_slug: str
    question_id: str
    due: datetime


@dataclass(frozen=True)
class Offer:
    ready: int  # questions due now, at most ROUND_SIZE
    next_due: datetime | None  # when none is ready: the soonest due, if any


def cards_due(db: Session, user_id: int, catalog: Catalog) -> list[Due]:
    """The learner's cards for questions still in the catalog, soonest due first (one query)."""
    known = places(catalog)
    rows = db.exec(
        select(ReviewCard.id, ReviewCard.module_slug, ReviewCard.question_id, ReviewCard.due)
        .where(ReviewCard.user_id == user_id)
        .order_by(col(ReviewCard.due), col(ReviewCard.id))
    ).all()
    return [Due(i, m, q, utc(d)) for i, m, q, d in rows if (m, q) in known]


def offer(db: Session, user_id: int, catalog: Catalog, now: datetime | None = None) -> Offer:
    """Seed, then say how many questions are ready now, or when the next one will be."""
    seed(db, user_id, catalog)
    now = now or utcnow()
    cards = cards_due(db, user_id, catalog)
    ready = [c for c in cards if c.due <= now]
    later = [c.due for c in cards if c.due > now]
    return Offer(min(len(ready), ROUND_SIZE), None if ready or not later else later[0])


def pick(cards: Iterable[Due], now: datetime) -> list[Due]:
    """A round: at most ROUND_SIZE questions due now, the most overdue first."""
    return [c for c in cards if c.due <= now][:ROUND_SIZE]


def in_words(moment: datetime, now: datetime) -> str:
    """'in 5 minutes', 'in 3 hours', 'tomorrow', 'in 4 days', 'in 3 weeks': for the home page."""
    seconds = max(0, (moment - now).total_seconds())
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if minutes < 1:
        return "in under a minute"
    if hours < 1:
        n = round(minutes)
        return f"in {n} minute{'s' if n != 1 else ''}"
    if days < 1:
        n = round(hours)
        return f"in {n} hour{'s' if n != 1 else ''}"
    if days < 2:
        return "tomorrow"
    if days < 14:
        return f"in {round(days)} days"
    if days < 60:
        return f"in {round(days / 7)} weeks"
    return f"in {round(days / 30)} months"


@dataclass(frozen=True)
class Activity:
    last_7_days: int
    last_30_days: int


def activity(db: Session, user_id: int, now: datetime | None = None) -> Activity:
    """How many reviews the learner did lately: counts only, never what they answered."""
    now = now or utcnow()
    week = now - timedelta(days=7)
    recent = case((col(ReviewLog.reviewed_at) >= week, 1), else_=0)
    row = db.exec(
        select(func.count(), func.coalesce(func.sum(recent), 0)).where(
            ReviewLog.user_id == user_id, col(ReviewLog.reviewed_at) >= now - timedelta(days=30)
        )
    ).one()
    return Activity(last_7_days=int(row[1]), last_30_days=int(row[0]))


def home_offer(
    db: Session, user: User | None, catalog: Catalog, records: dict[str, ModuleRecord]
) -> Offer | None:
    """The home page's panel: nothing for a visitor or a learner who has started no module."""
    if user is None or user.id is None or not any(r.started_at for r in records.values()):
        return None
    return offer(db, user.id, catalog)
