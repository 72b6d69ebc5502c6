"""Where the correct option sits, so that learners cannot score by spotting a pattern.

Learners see `single` and `multiple` options shuffled, except pinned ones, which stay where the
author put them. So:
- a lesson whose single-choice questions all have their correct option pinned at one position
  shows every learner the answer in the same place (pinned-answer-position);
- a module whose single-choice questions all have the correct option at one position in the
  files shows that pattern to anyone who sees the author's order: a visitor before the browser
  holds a cookie, the educator's preview, an export (answer-position).
"""

from __future__ import annotations

from app.catalog.checks.source import LessonSource, ModuleSource
from app.catalog.errors import ContentWarning
from app.catalog.parse import ParsedQuestion
from app.catalog.schema import Option, QuestionType

MIN_SINGLE_QUESTIONS = 3  # fewer than this is too few to call a pattern


def answer_position_warnings(module: ModuleSource) -> list[ContentWarning]:
    singles = [
        (lesson.path, q) for lesson in module.lessons for q in _singles(lesson.parsed.questions)
    ]
    if all(_correct(q).pinned for _, q in singles):
        return []  # only pinned answers: pinned_position_warnings judges them, lesson by lesson
    where = _shared_position([q for _, q in singles])
    if where is None:
        return []
    path, first = singles[0]
    return [
        ContentWarning(
            path,
            first.line,
            f"all {len(singles)} single-choice questions in this module have the correct option "
            f"in position {where}: vary where it sits so the pattern cannot be guessed",
            "answer-position",
        )
    ]


def pinned_position_warnings(lesson: LessonSource) -> list[ContentWarning]:
    singles = _singles(lesson.parsed.questions)
    if not all(_correct(q).pinned for q in singles):
        return []  # a shuffled correct option sits somewhere different for each learner
    where = _shared_position(singles)
    if where is None:
        return []
    return [
        ContentWarning(
            lesson.path,
            singles[0].line,
            f"all {len(singles)} single-choice questions in this lesson have the correct option "
            f"pinned in position {where}, where every learner sees it: unpin it or vary it",
            "pinned-answer-position",
        )
    ]


def _singles(questions: list[ParsedQuestion]) -> list[ParsedQuestion]:
    return [q for q in questions if q.question.type is QuestionType.single]


def _correct(q: ParsedQuestion) -> Option:
    return next(o for o in q.question.options if o.correct)


def _shared_position(questions: list[ParsedQuestion]) -> int | None:
    """The 1-based position the correct option holds in all of `questions`, when there are
    enough of them to call it a pattern."""
    positions = {q.question.options.index(_correct(q)) + 1 for q in questions}
    if len(questions) < MIN_SINGLE_QUESTIONS or len(positions) != 1:
        return None
    return positions.pop()
