"""How learners answer each question, for educators: two GROUP BY queries, whatever the count.

- attempts: every stored answer (each "try again" included);
- learners and % right first time: each learner's FIRST attempt at the question;
- the wrong answer chosen most often: over every wrong attempt;
- a flag when nearly everyone gets it right (>= 95% first time) or wrong (<= 20%), once at
  least 20 learners have answered: too easy to teach anything, or a question to look at again.

Only learners count: answers by educators and admins (trying a lesson out) are left out. After a
major changelog entry for a lesson (or its module), only answers from that date on count, since
the question may have changed; minor changes keep the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from markupsafe import Markup, escape
from sqlalchemy import Integer, and_, case, func, not_, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from app.catalog.schema import Module, Question
from app.models import Attempt, Role, User

MIN_LEARNERS = 20  # fewer learners than this: too few to flag a question
EASY = 95  # % right first time at or above: nearly everyone gets it right
HARD = 20  # % right first time at or below: nearly everyone gets it wrong


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    attempts: int = 0
    learners: int = 0  # learners who answered at least once
    first_right: int = 0  # of them, right at their first attempt
    wrong_answer: str | None = None  # stored keys of the most chosen wrong answer, e.g. "a,c"
    wrong_count: int = 0

    @property
    def first_right_percent(self) -> int | None:
        return round(100 * self.first_right / self.learners) if self.learners else None

    @property
    def flag(self) -> str | None:
        """'easy', 'hard' or None (see the module docstring)."""
        percent = self.first_right_percent
        if percent is None or self.learners < MIN_LEARNERS:
            return None
        if percent >= EASY:
            return "easy"
        return "hard" if percent <= HARD else None

    @property
    def wrong_answer_html(self) -> Markup | None:
        """The wrong answer as the options' text (trusted, rendered at load), joined by "; ".
        Keys the current question does not have are shown as stored, escaped."""
        if self.wrong_answer is None:
            return None
        by_key = {o.key: o.html for o in self.question.options}
        parts = [
            Markup(by_key[key]) if key in by_key else escape(key)  # nosec B704  # rendered author Markdown
            for key in self.wrong_answer.split(",")
            if key
        ]
        return Markup("; ").join(parts) if parts else escape(self.wrong_answer)


def _counted(module: Module) -> ColumnElement[bool]:
    """The module's attempts by learners, since each lesson's last major change."""
    since = {
        lesson.slug: max(c.date for c in module.changelog if c.major and c.applies_to(lesson.slug))
        for lesson in module.lessons
        if any(c.major and c.applies_to(lesson.slug) for c in module.changelog)
    }
    learners = select(User.id).where(col(User.role).not_in([Role.educator, Role.admin]))
    where = and_(
        col(Attempt.module_slug) == module.slug,
        col(Attempt.lesson_slug).in_([lesson.slug for lesson in module.lessons]),
        col(Attempt.user_id).in_(learners),
    )
    if not since:
        return where
    dated = [
        and_(
            col(Attempt.lesson_slug) == slug,
            col(Attempt.created_at) >= datetime(d.year, d.month, d.day, tzinfo=UTC),
        )
        for slug, d in since.items()
    ]
    return and_(where, or_(not_(col(Attempt.lesson_slug).in_(list(since))), *dated))


def module_stats(db: Session, module: Module) -> dict[tuple[str, str], QuestionStats]:
    """(lesson slug, question id) -> its statistics, for every question of the module, from
    two queries: one grouped by question, one grouped by question and wrong answer."""
    counted = _counted(module)
    first_ids = (
        select(func.min(Attempt.id))
        .where(counted)
        .group_by(Attempt.user_id, Attempt.lesson_slug, Attempt.question_id)
    )
    first_right = case((and_(col(Attempt.id).in_(first_ids), col(Attempt.correct)), 1), else_=0)
    per_question = (
        select(
            Attempt.lesson_slug,
            Attempt.question_id,
            func.count(),
            func.count(func.distinct(Attempt.user_id)),
            func.sum(first_right).cast(Integer),
        )
        .where(counted)
        .group_by(Attempt.lesson_slug, Attempt.question_id)
    )
    wrong = (
        select(Attempt.lesson_slug, Attempt.question_id, Attempt.answer, func.count())
        .where(counted, not_(col(Attempt.correct)))
        .group_by(Attempt.lesson_slug, Attempt.question_id, Attempt.answer)
    )
    totals = {
        (lesson, q): (n, people, right or 0)
        for lesson, q, n, people, right in db.exec(per_question)
    }
    commonest: dict[tuple[str, str], tuple[int, str]] = {}
    for lesson, q, answer, n in db.exec(wrong):
        best = commonest.get((lesson, q))
        # Most chosen first; on a tie, the first answer in key order, so the page is stable.
        if best is None or (-n, answer) < (-best[0], best[1]):
            commonest[(lesson, q)] = (n, answer)
    out: dict[tuple[str, str], QuestionStats] = {}
    for lesson in module.lessons:
        for question in lesson.questions:
            key = (lesson.slug, question.id)
            n, people, right = totals.get(key, (0, 0, 0))
            wrong_n, answer = commonest.get(key, (0, None))
            out[key] = QuestionStats(question, n, people, right, answer, wrong_n)
    return out
