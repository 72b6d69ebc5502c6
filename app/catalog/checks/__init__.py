"""Warnings: what an author should look at, each at a path and line, that never stops the content
loading. `qiskills content check` prints them (and fails on them with --strict); the codes are in
app.catalog.errors.WARNING_CODES and docs/authoring.md ("Checking content").

One module per concern: timing (reading time and minutes), coverage (outcomes assessed, sources
cited), links (links, anchors and image alt text) and answers (where the correct option sits).
"""

from __future__ import annotations

from app.catalog.checks.answers import answer_position_warnings, pinned_position_warnings
from app.catalog.checks.coverage import citation_warnings, outcome_warnings
from app.catalog.checks.links import image_warnings, link_warnings
from app.catalog.checks.source import LessonSource, ModuleSource, Site
from app.catalog.checks.timing import lesson_time_warnings, module_minutes_warnings
from app.catalog.errors import ContentWarning

__all__ = ["LessonSource", "ModuleSource", "content_warnings"]


def content_warnings(
    modules: list[ModuleSource], pages: dict[str, set[str]]
) -> list[ContentWarning]:
    site = Site.of(pages, modules)
    warnings: list[ContentWarning] = []
    for module in modules:
        warnings += link_warnings(module.path, module.parsed.links, f"/modules/{module.slug}", site)
        warnings += image_warnings(module.path, module.prose)
        warnings += module_minutes_warnings(module)
        warnings += outcome_warnings(module)
        warnings += answer_position_warnings(module)
        for lesson in module.lessons:
            page = f"/modules/{module.slug}/{lesson.slug}"
            warnings += link_warnings(lesson.path, lesson.parsed.links, page, site)
            warnings += image_warnings(lesson.path, lesson.prose)
            warnings += lesson_time_warnings(lesson)
            warnings += citation_warnings(lesson)
            warnings += pinned_position_warnings(lesson)
    return sorted(warnings)
