"""One review round: the (at most five) questions due when it started, and answering them.

The round lives in the URL as a signed token (`?s=`): its start time and card ids, signed with
the app's secret and the learner's id, so it survives a reload or a second tab without a
cookie or JavaScript, and nobody can put another person's card in it. What has been answered
is read from the cards themselves: a card reviewed since the round started is done.

Answering is one transaction: the FSRS review is written with `UPDATE ... WHERE reviews =
:expected`, then its log row, then a commit. In a round a question gets at most two reviews:
its first answer (Good or Again) and, after Again, the first right "try again" (Hard). Any
other answer (a double submit, a second wrong try, a right answer checked again) is graded and
shown but changes no schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import fsrs
from sqlalchemy import update
from sqlmodel import Session, col, select

from app.catalog import Catalog
from app.catalog.schema import Lesson, Module, Question
from app.models import ReviewCard, ReviewLog
from app.models.content import utcnow
from app.security.tokens import same, sign
from app.services.review import (
    ROUND_SIZE,
    SCHEDULER,
    Place,
    cards_due,
    pick,
    places,
    seed,
    utc,
)

ROUND_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True)
class Round:
    started: int  # epoch milliseconds
    card_ids: tuple[int, ...]

    def token(self, secret: str, user_id: int) -> str:
        ids = ".".join(str(i) for i in self.card_ids)
        return f"{self.started}-{ids}-{_signature(secret, user_id, self.started, ids)}"

    @property
    def started_at(self) -> datetime:
        return datetime.fromtimestamp(self.started / 1000, tz=UTC)


def _ms(moment: datetime) -> int:
    return int(utc(moment).timestamp() * 1000)


def _signature(secret: str, user_id: int, started: int, ids: str) -> str:
    return sign(secret, f"review-round:{user_id}:{started}:{ids}")[:32]


def read_token(secret: str, user_id: int, token: str, now: datetime | None = None) -> Round | None:
    """The round a token names, or None when it is not this learner's, forged or too old."""
    started, _, rest = token.partition("-")
    ids, _, signature = rest.partition("-")
    if not started.isascii() or not started.isdigit() or len(started) > 15:
        return None
    parts = ids.split(".")
    if not 0 < len(parts) <= ROUND_SIZE or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    if not same(signature, _signature(secret, user_id, int(started), ids)):
        return None
    round_ = Round(int(started), tuple(int(p) for p in parts))
    now = now or utcnow()
    if not round_.started_at <= now + timedelta(minutes=1) < round_.started_at + ROUND_LIFETIME:
        return None
    return round_


def start(db: Session, user_id: int, catalog: Catalog, now: datetime | None = None) -> Round | None:
    """A new round of the questions due now, or None when nothing is due."""
    seed(db, user_id, catalog)
    now = now or utcnow()
    chosen = pick(cards_due(db, user_id, catalog), now)
    return Round(_ms(now), tuple(c.id for c in chosen)) if chosen else None


@dataclass(frozen=True)
class Step:
    """One question of a round and how it stands."""

    card_id: int
    place: Place
    done: bool  # reviewed since the round started
    last_rating: int  # the latest rating (meaningful when done)
    due: datetime

    @property
    def module(self) -> Module:
        return self.place[0]

    @property
    def lesson(self) -> Lesson:
        return self.place[1]

    @property
    def question(self) -> Question:
        return self.place[2]


def steps(db: Session, user_id: int, round_: Round, catalog: Catalog) -> list[Step]:
    """The round's questions in order, with what is done: one query. A question edited away
    since the round started is left out."""
    known = places(catalog)
    rows = db.exec(
        select(ReviewCard).where(
            ReviewCard.user_id == user_id, col(ReviewCard.id).in_(round_.card_ids)
        )
    ).all()
    by_id = {row.id: row for row in rows}
    out = []
    for card_id in round_.card_ids:
        row = by_id.get(card_id)
        place = known.get((row.module_slug, row.question_id)) if row else None
        if row is None or place is None:
            continue
        done = _ms(row.last_reviewed_at) >= round_.started
        out.append(Step(card_id, place, done, row.last_rating, utc(row.due)))
    return out


@dataclass(frozen=True)
class Reviewed:
    rating: fsrs.Rating | None  # None: this answer changed no schedule (see the module doc)
    due: datetime  # when the question comes back


def answer(
    db: Session, user_id: int, round_: Round, step: Step, correct: bool, now: datetime | None = None
) -> Reviewed:
    """Rate the answer, review the card with FSRS, store card and log in ONE transaction."""
    now = utc(now or utcnow())
    row = db.exec(
        select(ReviewCard).where(ReviewCard.id == step.card_id, ReviewCard.user_id == user_id)
    ).one()
    done = _ms(row.last_reviewed_at) >= round_.started
    if not done:
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
    elif row.last_rating == fsrs.Rating.Again and correct:
        rating = fsrs.Rating.Hard
    else:
        db.rollback()
        return Reviewed(None, utc(row.due))
    card, _ = SCHEDULER.review_card(fsrs.Card.from_json(row.card), rating, review_datetime=now)
    changed = db.exec(
        update(ReviewCard)
        .where(
            col(ReviewCard.id) == row.id,
            col(ReviewCard.user_id) == user_id,
            col(ReviewCard.reviews) == row.reviews,
        )
        .values(
            card=card.to_json(),
            due=card.due,
            last_reviewed_at=now,
            last_rating=int(rating),
            reviews=row.reviews + 1,
        )
    ).rowcount
    if changed != 1:  # a double submit got there first: its review stands
        db.rollback()
        return Reviewed(None, utc(row.due))
    db.add(
        ReviewLog(
            user_id=user_id,
            module_slug=row.module_slug,
            question_id=row.question_id,
            rating=int(rating),
            reviewed_at=now,
        )
    )
    db.commit()
    return Reviewed(rating, card.due)
