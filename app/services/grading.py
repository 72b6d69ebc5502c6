"""Grading is pure: a question and the chosen option keys give a result. No database here."""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.schema import Option, Question, QuestionType


class BadAnswer(ValueError):
    """The answer is not one the question's form could have sent (a 422, not a wrong answer)."""


@dataclass(frozen=True)
class Result:
    question: Question
    chosen: tuple[Option, ...]
    correct: bool

    @property
    def keys(self) -> str:
        return ",".join(o.key for o in self.chosen)

    @property
    def missed(self) -> tuple[Option, ...]:
        """Correct options the learner did not choose, in the question's order."""
        return missed_options(self.question, tuple(o.key for o in self.chosen))


def parse_answer(question: Question, values: list[str]) -> tuple[str, ...]:
    """Validate the submitted option keys; anything a real form could not send is a BadAnswer."""
    keys = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not keys:
        single = question.type is QuestionType.single
        raise BadAnswer("Select an answer" if single else "Select at least one answer")
    known = {o.key for o in question.options}
    if any(k not in known for k in keys):
        raise BadAnswer("That answer is not one of the options")
    if question.type is QuestionType.single and len(keys) > 1:
        raise BadAnswer("Choose only one answer")
    return keys


def missed_options(question: Question, keys: tuple[str, ...]) -> tuple[Option, ...]:
    """The correct options not among `keys`: what multiple-choice feedback names as missed."""
    return tuple(o for o in question.options if o.correct and o.key not in keys)


def grade(question: Question, keys: tuple[str, ...]) -> Result:
    chosen = tuple(o for o in question.options if o.key in keys)
    return Result(question, chosen, frozenset(keys) == question.correct_keys)
