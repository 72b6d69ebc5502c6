"""Dated reflections on a project: any editor adds one; only its author deletes it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.models import ProjectReflection, User
from app.services.projects import history

LIMIT = 4000


@dataclass(frozen=True)
class ReflectionView:
    reflection: ProjectReflection
    author: str


def of_project(db: Session, project_id: int) -> list[ReflectionView]:
    rows = db.exec(
        select(ProjectReflection, User.name)
        .outerjoin(User, col(User.id) == ProjectReflection.author_id)
        .where(ProjectReflection.project_id == project_id)
        .order_by(col(ProjectReflection.created_at).desc(), col(ProjectReflection.id).desc())
    ).all()
    return [ReflectionView(r, name or "Someone") for r, name in rows]


def add(db: Session, project_id: int, user: User, text: str) -> str | None:
    """Store a reflection; returns a problem to show (nothing stored), or None."""
    if not text.strip():
        return "Write your reflection before saving it"
    if len(text) > LIMIT:
        return f"Keep your reflection to {LIMIT:,} characters or fewer"
    db.add(ProjectReflection(project_id=project_id, author_id=user.id, text=text))
    history.record(db, project_id, user, "reflection_added")
    db.commit()
    return None


def delete(db: Session, project_id: int, user: User, reflection_id: int) -> bool:
    """The author's own reflection on THIS project; anything else is False (a 404)."""
    row = db.exec(
        select(ProjectReflection).where(
            ProjectReflection.id == reflection_id,
            ProjectReflection.project_id == project_id,
            ProjectReflection.author_id == user.id,
        )
    ).first()
    if row is None:
        return False
    db.delete(row)
    history.record(db, project_id, user, "reflection_deleted")
    db.commit()
    return True
