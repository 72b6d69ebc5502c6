"""A learner's reflections: one note per lesson, theirs alone (and their supervisors')."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Reflection, User
from app.models.content import utcnow

MAX_LENGTH = 4000


def get(db: Session, user: User, module_slug: str, lesson_slug: str) -> Reflection | None:
    return db.exec(
        select(Reflection).where(
            Reflection.user_id == user.id,
            Reflection.module_slug == module_slug,
            Reflection.lesson_slug == lesson_slug,
        )
    ).first()


def save(db: Session, user: User, module_slug: str, lesson_slug: str, text: str) -> str | None:
    """Save or replace the note; returns a problem to show, or None. Empty text deletes it."""
    if len(text) > MAX_LENGTH:
        return f"Keep your reflection to {MAX_LENGTH:,} characters or fewer"
    row = get(db, user, module_slug, lesson_slug)
    if not text.strip():
        if row is not None:
            db.delete(row)
            db.commit()
        return None
    row = row or Reflection(
        user_id=user.id, module_slug=module_slug, lesson_slug=lesson_slug, text=""
    )
    row.text = text
    row.updated_at = utcnow()
    db.add(row)
    db.commit()
    return None


def of_user(db: Session, user: User) -> list[Reflection]:
    return list(
        db.exec(
            select(Reflection).where(Reflection.user_id == user.id).order_by(Reflection.updated_at)
        ).all()
    )
