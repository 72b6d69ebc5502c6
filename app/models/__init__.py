"""SQLModel tables, one file per area. Importing this package registers every table's metadata."""

from app.models.content import LessonVersion
from app.models.lab import Annotation, Dataset, DrillAttempt
from app.models.learning import Attempt, LessonProgress
from app.models.people import Grade, LoginFailure, Role, User, UserSession

__all__ = [
    "Annotation",
    "Attempt",
    "Dataset",
    "DrillAttempt",
    "Grade",
    "LessonProgress",
    "LessonVersion",
    "LoginFailure",
    "Role",
    "User",
    "UserSession",
]
