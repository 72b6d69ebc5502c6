"""Record the catalog's lesson versions in the database, once each."""

from __future__ import annotations

from sqlmodel import Session, select

from app.catalog import Catalog
from app.models import LessonVersion


def record_versions(session: Session, catalog: Catalog) -> int:
    """Insert a row for every lesson version not yet recorded; return how many were new."""
    known = {
        (row.module_slug, row.lesson_slug, row.version)
        for row in session.exec(select(LessonVersion))
    }
    new = [
        LessonVersion(
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            version=lesson.version,
            title=lesson.title,
            question_ids=" ".join(q.id for q in lesson.questions),
        )
        for module in catalog.modules
        for lesson in module.lessons
        if (module.slug, lesson.slug, lesson.version) not in known
    ]
    session.add_all(new)
    session.commit()
    return len(new)
