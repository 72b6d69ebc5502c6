"""SQLModel tables, one file per area. Importing this package registers every table's metadata."""

from app.models.content import LessonVersion

__all__ = ["LessonVersion"]
