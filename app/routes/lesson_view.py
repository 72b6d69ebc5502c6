"""What a lesson page shows: shared by the reading route and the answer routes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from sqlmodel import Session

from app.catalog.schema import Item, Lesson, Module, Option, Question
from app.deps import wants_fragment
from app.models import User
from app.services.grading import BadAnswer, Result, grade, parse_answer, stored_values
from app.services.option_order import items_for, learner_seed, options_for
from app.services.progress import lesson_state, resume_point


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
    options: tuple[Option, ...] = ()  # in this learner's order; see question_view
    items: tuple[Item, ...] = ()  # ordering: the steps as first shown; matching: as written
    saved: bool = False  # the answer was committed to the learner's record just now
    form_key: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def url(self) -> str:
        return f"/modules/{self.module.slug}/{self.lesson.slug}/questions/{self.question.id}"

    @property
    def chosen(self) -> tuple[Option, ...]:
        """The chosen options in the order this learner saw them."""
        keys = {o.key for o in self.result.chosen} if self.result else set()
        return tuple(o for o in self.options if o.key in keys)

    @property
    def missed(self) -> tuple[Option, ...]:
        keys = {o.key for o in self.result.missed} if self.result else set()
        return tuple(o for o in self.options if o.key in keys)

    @property
    def order(self) -> tuple[str, ...]:
        """Ordering: the item key each position's select shows (the input kept after a 422)."""
        if len(self.selected) == len(self.items):
            return self.selected
        return tuple(item.key for item in self.items)

    @property
    def text(self) -> str:
        """Numeric and short-text: what the input shows (the text kept after a 422)."""
        return self.selected[0] if self.selected else ""


def question_view(
    request: Request,
    user: User | None,
    question: Question,
    module: Module,
    lesson: Lesson,
    **state: Any,
) -> QuestionView:
    """A QuestionView with the options in this learner's stable order (see option_order)."""
    learner = learner_seed(user.id if user else None, getattr(request.state, "csrf_cookie", None))
    secret = request.app.state.settings.secret_key
    options = options_for(question, module.slug, lesson.slug, secret=secret, learner=learner)
    items = items_for(question, module.slug, lesson.slug, secret=secret, learner=learner)
    return QuestionView(question, module, lesson, options=options, items=items, **state)


def stored_result(question: Question, stored: str) -> Result | None:
    """The feedback for a stored answer (`attempt.answer`), or None if the question has changed
    since so that the answer no longer fits it."""
    try:
        return grade(question, parse_answer(question, stored_values(question, stored)))
    except BadAnswer:
        return None


def lesson_context(
    request: Request,
    db: Session,
    user: User | None,
    module: Module,
    lesson: Lesson,
    focus: QuestionView | None = None,
    retry: str | None = None,
    complete_error: list[Question] | None = None,
    reflection_text: str | None = None,
    reflection_error: str | None = None,
) -> dict[str, Any]:
    state = lesson_state(db, user, module, lesson) if user else None
    views = []
    # One random part per page, then the question's number: unique per form as a random key
    # per question would be, and cheaper to send.
    nonce = secrets.token_hex(8)
    for number, question in enumerate(lesson.questions):
        if focus is not None and focus.question.id == question.id:
            views.append(focus)
        else:
            answered = bool(state and question.id in state.answered)
            latest = state.latest.get(question.id) if state and retry != question.id else None
            result = stored_result(question, latest) if latest else None
            views.append(
                question_view(
                    request,
                    user,
                    question,
                    module,
                    lesson,
                    answered=answered,
                    result=result,
                    form_key=f"{nonce}{number:04x}",
                )
            )
    prev, nxt = module.neighbours(lesson)
    left = state.lessons_left(module) if state else []
    later = [other for other in left if module.lessons.index(other) > module.lessons.index(lesson)]
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
        "changes": state.changes_unseen(module, lesson) if state else (),
        "resume": resume_point(lesson, state),
        "lessons_left": left,
        "next_unfinished": (later or [o for o in left if o is not lesson] or [None])[0],
        "score_so_far": state.score_so_far(module) if state else None,
        "complete_error": complete_error or [],
        "reflection": reflection_text
        if reflection_text is not None
        else ((state.reflection if state else None) or ""),
        "reflection_error": reflection_error,
        "fragment": wants_fragment(request),
    }
