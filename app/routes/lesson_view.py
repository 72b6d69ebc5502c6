"""What a lesson page shows: shared by the reading route and the answer routes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlmodel import Session

from app.catalog.schema import Lesson, Module, Question
from app.deps import wants_fragment
from app.models import User
from app.services import reflections
from app.services.grading import Result
from app.services.progress import lesson_state


@dataclass
class QuestionView:
    """One question's state on the page: a fresh form, feedback, or an error with input kept."""

    question: Question
    module: Module
    lesson: Lesson
    result: Result | None = None
    error: str | None = None
    selected: tuple[str, ...] = ()
    answered: bool = False
    form_key: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def url(self) -> str:
        return f"/modules/{self.module.slug}/{self.lesson.slug}/questions/{self.question.id}"


def lesson_context(
    request: Request,
    db: Session,
    user: User | None,
    module: Module,
    lesson: Lesson,
    focus: QuestionView | None = None,
    complete_error: list[Question] | None = None,
    reflection_text: str | None = None,
    reflection_error: str | None = None,
) -> dict[str, Any]:
    state = lesson_state(db, user, module, lesson) if user else None
    reflection = reflections.get(db, user, module.slug, lesson.slug) if user else None
    views = []
    for question in lesson.questions:
        if focus is not None and focus.question.id == question.id:
            views.append(focus)
        else:
            answered = bool(state and question.id in state.answered)
            views.append(QuestionView(question, module, lesson, answered=answered))
    prev, nxt = module.neighbours(lesson)
    cited = set(lesson.reference_ids)
    return {
        "module": module,
        "lesson": lesson,
        "index": module.lessons.index(lesson) + 1,
        "prev": prev,
        "next": nxt,
        "references": [r for r in module.references if r.id in cited],
        "views": {v.question.id: v for v in views},
        "state": state,
        "completed": bool(state and state.completed),
        "complete_error": complete_error or [],
        "reflection": reflection_text
        if reflection_text is not None
        else (reflection.text if reflection else ""),
        "reflection_error": reflection_error,
        "fragment": wants_fragment(request),
    }
