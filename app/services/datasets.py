"""Saved lab datasets and their annotations. Every query is scoped to the owner."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.models import Annotation, Dataset, User
from app.models.content import utcnow
from app.services.lab_input import LabInput

MAX_ANNOTATION = 60


def owned(db: Session, user: User, dataset_id: int) -> Dataset | None:
    """The dataset only if this user owns it: anyone else gets None, and so a 404."""
    return db.exec(
        select(Dataset).where(Dataset.id == dataset_id, Dataset.user_id == user.id)
    ).first()


def list_owned(db: Session, user: User) -> list[Dataset]:
    return list(
        db.exec(
            select(Dataset)
            .where(Dataset.user_id == user.id)
            .order_by(col(Dataset.updated_at).desc())
        ).all()
    )


def save(
    db: Session, user: User, data: LabInput, title: str, dataset: Dataset | None = None
) -> Dataset:
    dataset = dataset or Dataset(
        user_id=user.id, title=title, values_text="", chart="run", profile="ihi"
    )
    dataset.title = title
    dataset.chart = data.chart
    dataset.profile = data.profile
    dataset.direction = data.direction
    dataset.target_text = data.target_text
    dataset.values_text = data.values_text
    dataset.labels_text = data.labels_text
    dataset.denominators_text = data.denominators_text
    dataset.freeze_text = data.freeze_text
    dataset.parts_text = data.parts_text
    dataset.exclude_text = data.exclude_text
    dataset.updated_at = utcnow()
    db.add(dataset)
    db.commit()
    db.refresh(dataset)
    return dataset


def annotations(db: Session, dataset: Dataset) -> list[Annotation]:
    return list(
        db.exec(
            select(Annotation)
            .where(Annotation.dataset_id == dataset.id)
            .order_by(col(Annotation.point_index))
        ).all()
    )


def annotate(db: Session, dataset: Dataset, point: int, text: str, n_points: int) -> str | None:
    """Add or replace the note on a point (1-based); returns a problem to show, or None."""
    text = text.strip()
    if not 1 <= point <= n_points:
        return f"Choose a point from 1 to {n_points}"
    if not text:
        return "Enter the note, for example “PDSA 2 started”"
    if len(text) > MAX_ANNOTATION:
        return f"Keep the note to {MAX_ANNOTATION} characters or fewer"
    existing = db.exec(
        select(Annotation).where(
            Annotation.dataset_id == dataset.id, Annotation.point_index == point - 1
        )
    ).first()
    note = existing or Annotation(dataset_id=dataset.id, point_index=point - 1, text=text)
    note.text = text
    db.add(note)
    db.commit()
    return None


def remove_annotation(db: Session, dataset: Dataset, annotation_id: int) -> bool:
    note = db.exec(
        select(Annotation).where(
            Annotation.id == annotation_id, Annotation.dataset_id == dataset.id
        )
    ).first()
    if note is None:
        return False
    db.delete(note)
    db.commit()
    return True


def as_input(dataset: Dataset) -> dict[str, str]:
    """The saved form fields, to feed parse_lab_input exactly as they were typed."""
    return {
        "values_text": dataset.values_text,
        "labels_text": dataset.labels_text,
        "denominators_text": dataset.denominators_text,
        "chart": dataset.chart,
        "profile": dataset.profile,
        "direction": dataset.direction,
        "target_text": dataset.target_text,
        "freeze_text": dataset.freeze_text,
        "parts_text": dataset.parts_text,
        "exclude_text": dataset.exclude_text,
    }
