"""The Markdown content pipeline: files in content/ become one read-only Catalog.

Nothing here touches the database or HTTP, so tests and `qiskills content check` use it directly.
"""

from app.catalog.errors import ContentError, ContentErrors
from app.catalog.loader import Catalog, load_catalog
from app.catalog.schema import Lesson, Module, Question

__all__ = [
    "Catalog",
    "ContentError",
    "ContentErrors",
    "Lesson",
    "Module",
    "Question",
    "load_catalog",
]
