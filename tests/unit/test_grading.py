"""Grading is pure: which options were chosen, whether it is right, and which were missed."""

from __future__ import annotations

from app.catalog.schema import Option, Question, QuestionType
from app.services.grading import grade, missed_options

QUESTION = Question(
    "q",
    QuestionType.multiple,
    "Which?",
    (
        Option("a", "A", True, ""),
        Option("b", "B", False, ""),
        Option("c", "C", True, ""),
        Option("d", "D", True, ""),
    ),
    "",
)


def test_missed_names_the_correct_options_not_chosen() -> None:
    result = grade(QUESTION, ("a", "b"))
    assert not result.correct
    assert [o.key for o in result.missed] == ["c", "d"]
    assert [o.key for o in missed_options(QUESTION, ("c",))] == ["a", "d"]


def test_nothing_is_missed_when_every_correct_option_is_chosen() -> None:
    result = grade(QUESTION, ("a", "c", "d"))
    assert result.correct and result.missed == ()
    assert grade(QUESTION, ("a", "b", "c", "d")).missed == ()  # wrong, but nothing missed
