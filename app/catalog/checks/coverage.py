"""Every outcome is assessed by a question, and every lesson says where its claims come from."""

from __future__ import annotations

from app.catalog.checks.source import LessonSource, ModuleSource
from app.catalog.errors import ContentWarning


def outcome_warnings(module: ModuleSource) -> list[ContentWarning]:
    """An outcome is assessed when a lesson with at least one question lists it in `outcomes`
    (questions carry no outcome of their own: they assess their lesson's)."""
    assessed = {
        ident
        for lesson in module.lessons
        if lesson.parsed.spec is not None and lesson.parsed.questions
        for ident in lesson.parsed.spec.outcomes
    }
    lines = module.parsed.lines
    return [
        ContentWarning(
            module.path,
            lines.get(("outcomes", i, "id"), lines.get(("outcomes",), 1)),
            f"outcome '{outcome.id}' is assessed by no question: "
            "no lesson that lists it has a question",
            "outcome-unassessed",
        )
        for i, outcome in enumerate(module.parsed.spec.outcomes)
        if outcome.id not in assessed
    ]


def citation_warnings(lesson: LessonSource) -> list[ContentWarning]:
    """Module references are required by the schema (an error); a lesson that lists none in
    `references` and cites nothing in its text, e.g. "(Langley et al., 2009)", is a warning."""
    spec = lesson.parsed.spec
    if spec is None or spec.references or lesson.prose.cites:
        return []
    return [
        ContentWarning(
            lesson.path,
            lesson.parsed.lines.get("references", 1),
            "the lesson cites no source: list the module references it draws on in "
            "`references` and cite them in the text, e.g. (Langley et al., 2009)",
            "lesson-cites-none",
        )
    ]
