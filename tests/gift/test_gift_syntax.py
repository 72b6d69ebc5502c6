"""GIFT text is read into questions and written back without loss; unsupported parts are named."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.gift.syntax import GiftError, parse, write

SAMPLE = (Path(__file__).parent / "sample.gift").read_text()


def test_the_sample_reads_every_supported_type() -> None:
    questions = parse(SAMPLE)
    assert [q.kind for q in questions] == [
        "choice", "choice", "truefalse", "short", "numeric", "numeric", "matching", "truefalse",
    ]  # fmt: skip
    first, several, truth, short, median, span, families, escapes = questions
    assert first.title == "PDSA first step" and not first.several
    assert [(a.text, a.weight) for a in first.answers][:2] == [("Plan", 100), ("Do", 0)]
    assert first.answers[0].feedback == "Yes: plan the test, with a prediction."
    assert first.general == "The cycle is Plan, Do, Study, Act."
    assert several.several and [a.weight for a in several.answers] == [50, 50, -100]
    assert truth.truth is True and truth.feedback_wrong == "It is the median, not the mean."
    assert [a.text for a in short.answers] == ["Model for Improvement", "MFI"]
    assert (median.answers[0].text, median.answers[0].tolerance) == ("6.0", 0.0)
    assert median.answers[1].weight == 0 and "mean" in median.answers[1].feedback
    assert (span.answers[0].text, span.answers[0].high) == ("6.0", 15.0)
    assert [(a.text, a.match) for a in families.answers][1] == (
        "Antibiotics within 1 hour",
        "Process",
    )
    assert escapes.text == "Is 50\\% of 10 equal to 5: true=yes?"
    assert first.line == 3 and families.line == 31  # where each question starts


def test_writing_and_reading_back_gives_the_same_questions() -> None:
    questions = parse(SAMPLE)
    again = parse(write(questions))
    strip = [replace(q, line=0) for q in questions]
    assert [replace(q, line=0) for q in again] == strip


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Write about QI. {}", "essay"),
        ("The PDSA cycle {=has ~lacks} four steps.", "missing word"),
        ("Just a description.", "description"),
        ("What? {=a ~b", "never closed"),
        ("What? {~a ~b}", "no answer is right"),
        ("How many? {#lots}", "not a number"),
        ("Match {=a -> x =b}", "matching"),
    ],
)
def test_an_unsupported_or_broken_question_is_named_by_its_line(text: str, reason: str) -> None:
    with pytest.raises(GiftError) as error:
        parse(f"// a comment\n\n::ok::Fine? {{T}}\n\n{text}\n")
    assert error.value.line == 5
    assert reason in error.value.reason
