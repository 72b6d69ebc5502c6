"""The 3-minute review: one FSRS card per learner and question, and a log of every review.

The card is the `fsrs` package's own JSON (`Card.to_json`), so its scheduler state is never
re-modelled here; `due` is copied out of it into an indexed column so "what is due" is a
range scan. Reviews are not lesson attempts: they never touch `attempt` or any score.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, Index, SQLModel, UniqueConstraint

from app.models.content import utcnow


class ReviewCard(SQLModel, table=True):
    """A learner's schedule for one question. Question ids are unique within a module."""

    __tablename__ = "review_card"
    __table_args__ = (
        UniqueConstraint("user_id", "module_slug", "question_id"),
        Index("ix_review_card_user_due", "user_id", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    lesson_slug: str = Field(max_length=80)
    question_id: str = Field(max_length=80)
    card: str = Field(max_length=1000)  # fsrs.Card.to_json()
    due: datetime
    last_reviewed_at: datetime  # the newest answer or review folded into the card
    last_rating: int  # fsrs.Rating of that answer: a right answer after Again rates Hard
    reviews: int = 0  # reviews done in the 3-minute review (seeded answers not counted)
    created_at: datetime = Field(default_factory=utcnow)


class ReviewLog(SQLModel, table=True):
    """One review: what the supervisor's counts and the learner's export read. No answer."""

    __tablename__ = "review_log"
    __table_args__ = (Index("ix_review_log_user_time", "user_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    module_slug: str = Field(max_length=80)
    question_id: str = Field(max_length=80)
    rating: int  # fsrs.Rating: 1 Again, 2 Hard, 3 Good
    reviewed_at: datetime = Field(default_factory=utcnow)
