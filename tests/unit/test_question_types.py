"""The newer question types: strict YAML with errors at their line, and pure grading."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.catalog.loader import scan
from app.catalog.schema import Question, QuestionType, normalise_text
from app.services.grading import (
    BadAnswer,
    grade,
    grade_matching,
    grade_numeric,
    grade_ordering,
    grade_short_text,
    kept_input,
    parse_answer,
    stored_values,
)
from app.services.option_order import items_for
from tests.content_builder import lesson_md, write_module
from tests.question_types_content import RIGHT, WRONG, write_content

FEEDBACK = "feedback:\n  correct: Yes.\n  incorrect: No.\nexplanation: Because.\n"


def errors_in(tmp_path: Path, yaml: str) -> list[tuple[int, str]]:
    """Errors of one question block; its YAML starts on line 9 of the lesson file."""
    write_module(tmp_path, {"01-first.md": lesson_md(body=f"```question\n{yaml}```\n")})
    _, errors = scan(tmp_path)
    return [(e.line, e.reason) for e in sorted(errors)]


@pytest.fixture(scope="module")
def questions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Question]:
    catalog = load_catalog(write_content(tmp_path_factory.mktemp("content")))
    return {q.id: q for q in catalog.modules[0].lessons[0].questions}


# ---- loading: each mistake named at its line ----


@pytest.mark.parametrize(
    ("yaml", "line", "reason"),
    [
        (  # a key another type takes is unknown here
            "id: q\ntype: true-false\nprompt: P\nanswer: true\nitems: [a, b]\n" + FEEDBACK,
            13,
            "unknown key 'items' in true-false question",
        ),
        (
            "id: q\ntype: true-false\nprompt: P\nanswer: maybe\n" + FEEDBACK,
            12,
            "true-false question: answer: Input should be a valid boolean",
        ),
        (
            "id: q\ntype: true-false\nprompt: P\nanswer: true\nexplanation: E\n",
            9,
            "missing required key 'feedback' in true-false question",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\n" + FEEDBACK,
            9,
            "numeric question: a 'numeric' question needs `answer`",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\nanswer: 3\nrange: [1, 4]\n" + FEEDBACK,
            13,
            "not both",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\nrange: [4, 1]\n" + FEEDBACK,
            12,
            "range: the low end comes first",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\nrange: [1, 4]\ntolerance: 1\n" + FEEDBACK,
            13,
            "`tolerance` goes with `answer`",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\nanswer: '62,5'\n" + FEEDBACK,
            12,
            "numeric question: answer: Input should be a valid number",
        ),
        (
            "id: q\ntype: numeric\nprompt: P\nanswer: 10\ntolerance: 1\nwrong:\n"
            "  - value: 12\n    feedback: F\n  - value: 10.5\n    feedback: F\n" + FEEDBACK,
            17,
            "the wrong value 10.5 would be marked right",
        ),
        (
            "id: q\ntype: short-text\nprompt: P\naccept: [Study]\npattern: 'stud(y'\n" + FEEDBACK,
            13,
            "pattern is not a valid regular expression",
        ),
        (
            "id: q\ntype: short-text\nprompt: P\naccept:\n  - Study\n  - '?!'\n" + FEEDBACK,
            14,
            "an accepted answer needs a letter or a digit",
        ),
        (
            "id: q\ntype: short-text\nprompt: P\naccept: [Study]\nwrong:\n"
            "  - answer: STUDY.\n    feedback: F\n" + FEEDBACK,
            14,
            "the wrong answer 'STUDY.' is also accepted",
        ),
        (
            "id: q\ntype: ordering\nprompt: P\nitems:\n  - Plan\n  - Do\n  - Plan\n" + FEEDBACK,
            15,
            "duplicate item 'Plan'",
        ),
        (
            "id: q\ntype: ordering\nprompt: P\nitems: [Plan, Do]\n" + FEEDBACK,
            12,
            "items: List should have at least 3 items",
        ),
        (
            "id: q\ntype: ordering\nprompt: P\nitems:\n  - Plan\n  - Do\n  - text: Act\n"
            "    feedbak: F\n" + FEEDBACK,
            16,
            "unknown key 'feedbak' in ordering question",
        ),
        (
            "id: q\ntype: matching\nprompt: P\ncategories: [Outcome, Process]\nitems:\n"
            "  - text: Falls\n    category: Outcome\n  - text: Audits\n    category: Proces\n"
            + FEEDBACK,
            17,
            "'Proces' is not one of the categories: Outcome, Process",
        ),
        (
            "id: q\ntype: matching\nprompt: P\ncategories: [Outcome, Outcome]\nitems:\n"
            "  - text: Falls\n    category: Outcome\n  - text: Audits\n    category: Outcome\n"
            + FEEDBACK,
            12,
            "duplicate category 'Outcome'",
        ),
        (
            "id: q\ntype: essay\nprompt: P\n" + FEEDBACK,
            10,
            "type: Input should be 'single', 'multiple', 'signals', 'true-false', 'numeric'",
        ),
    ],
)
def test_each_mistake_is_named_at_its_line(
    tmp_path: Path, yaml: str, line: int, reason: str
) -> None:
    errors = errors_in(tmp_path, yaml)
    assert any(found == line and reason in text for found, text in errors), errors


def test_every_type_loads_with_its_parts(questions: dict[str, Question]) -> None:
    tf = questions["tf"]
    assert tf.type is QuestionType.true_false and not tf.several_answers
    assert [(o.key, o.correct) for o in tf.options] == [("true", True), ("false", False)]
    median = questions["median"]
    assert (median.band.low, median.band.high, median.unit) == (62.45, 62.55, "%")
    assert median.wrong_bands[0].holds(62.0) and "the mean" in median.wrong_bands[0].feedback_html
    assert questions["pdsa-s"].accept == ("Study",)
    order = questions["pdsa-order"]
    assert [i.html for i in order.items] == ["Plan", "Do", "Study", "Act"]
    assert "before acting" in order.items[2].feedback_html
    measures = questions["measures"]
    assert [c.html for c in measures.categories] == ["Outcome", "Process", "Balancing"]
    assert [i.category for i in measures.items] == ["1", "2", "3"]
    assert {q.form for q in questions.values()} == {
        "options",
        "numeric",
        "short-text",
        "ordering",
        "matching",
    }


# ---- grading: pure, right or wrong, the wrong parts named ----


@pytest.mark.parametrize("qid", list(RIGHT))
def test_right_and_wrong_round_trip_through_storage(
    questions: dict[str, Question], qid: str
) -> None:
    question = questions[qid]
    for values, correct in ((RIGHT[qid], True), (WRONG[qid], False)):
        result = grade(question, parse_answer(question, values))
        assert result.correct is correct
        again = grade(question, parse_answer(question, stored_values(question, result.keys)))
        assert (again.keys, again.correct, again.feedback_html) == (
            result.keys,
            result.correct,
            result.feedback_html,
        )


@pytest.mark.parametrize(
    ("typed", "stored", "right"),
    [
        ("62.5", "62.5", True),
        ("62,5", "62.5", True),
        (" 62.50 ", "62.5", True),
        ("62.54", "62.54", True),
        ("62.6", "62.6", False),
        ("62.5%", "62.5", True),
        ("\u221262.5", "-62.5", False),
    ],
)
def test_numbers_are_read_as_the_lab_reads_them(
    questions: dict[str, Question], typed: str, stored: str, right: bool
) -> None:
    question = questions["median"]
    (value,) = parse_answer(question, [typed])
    assert value == stored
    assert grade_numeric(question, value).correct is right


def test_a_named_wrong_value_has_its_own_feedback(questions: dict[str, Question]) -> None:
    question = questions["median"]
    assert "the mean" in grade_numeric(question, "62.04").feedback_html
    assert grade_numeric(question, "70").feedback_html == question.incorrect_html


@pytest.mark.parametrize("typed", ["abc", "6O", "1/2", "inf", "nan", "1e400"])
def test_what_is_not_a_number_is_refused(questions: dict[str, Question], typed: str) -> None:
    with pytest.raises(BadAnswer, match="Enter a number"):
        parse_answer(questions["median"], [typed])


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("Study", True),
        ("  STUDY. ", True),
        ("s-t-u-d-y", True),
        ("studies", True),  # the pattern
        ("Studying", True),
        ("a study", False),  # the pattern matches the whole answer
        ("Check", False),
        ("", None),
    ],
)
def test_short_text_ignores_case_spacing_and_punctuation(
    questions: dict[str, Question], typed: str, right: bool | None
) -> None:
    question = questions["pdsa-s"]
    if right is None:
        with pytest.raises(BadAnswer, match="Enter your answer"):
            parse_answer(question, [typed])
        return
    (text,) = parse_answer(question, [typed])
    assert grade_short_text(question, text).correct is right


def test_short_text_named_wrong_answers_and_its_limits(questions: dict[str, Question]) -> None:
    question = questions["pdsa-s"]
    assert "Deming" in grade_short_text(question, "check!").feedback_html
    assert grade_short_text(question, "Act").feedback_html == question.incorrect_html
    assert parse_answer(question, ["a\x00b\nc"]) == ("a b c",)  # no control characters stored
    with pytest.raises(BadAnswer, match="200 characters"):
        parse_answer(question, ["x" * 201])
    assert kept_input(question, ["x" * 5000]) == ("x" * 1000,)
    assert normalise_text("Run-chart, Ünïcode 2") == "runchartünïcode2"


def test_ordering_names_every_wrong_position(questions: dict[str, Question]) -> None:
    question = questions["pdsa-order"]
    result = grade_ordering(question, ("a", "c", "b", "d"))
    assert not result.correct
    assert [(p.label_html, p.given_html, p.right) for p in result.parts] == [
        ("Position 1", "Plan", True),
        ("Position 2", "Study", False),
        ("Position 3", "Do", False),
        ("Position 4", "Act", True),
    ]
    assert "before acting" in result.parts[1].feedback_html  # Study's own feedback
    assert [p.label_html for p in result.wrong_parts] == ["Position 2", "Position 3"]
    assert grade_ordering(question, ("a", "b", "c", "d")).correct


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a", "b", "c"], "Choose a step for every position"),
        (["a", "b", "c", "z"], "Choose a step for every position"),
        (["a", "b", "b", "b"], "“Do” is in more than one position"),
    ],
)
def test_ordering_refuses_what_its_form_cannot_send(
    questions: dict[str, Question], values: list[str], message: str
) -> None:
    with pytest.raises(BadAnswer, match=message):
        parse_answer(questions["pdsa-order"], values)


def test_matching_names_every_wrong_item(questions: dict[str, Question]) -> None:
    question = questions["measures"]
    # Any order in, the items' order out.
    values = parse_answer(question, ["c=3", "a=2", "b=2"])
    assert values == ("a=2", "b=2", "c=3")
    result = grade_matching(question, values)
    assert not result.correct
    assert [(p.given_html, p.right) for p in result.parts] == [
        ("Process", False),
        ("Process", True),
        ("Balancing", True),
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["a=1", "b=2"], "Not chosen yet: “Staff time spent on assessments”"),
        (["a=1", "b=2", "c=9"], "not one of the categories"),
        (["a=1", "a=2", "c=3"], "not one of the categories"),
        (["a=1", "b=2", "c=3", "z=1"], "not one of the items"),
    ],
)
def test_matching_refuses_what_its_form_cannot_send(
    questions: dict[str, Question], values: list[str], message: str
) -> None:
    with pytest.raises(BadAnswer, match=message):
        parse_answer(questions["measures"], values)


def test_true_false_is_two_options(questions: dict[str, Question]) -> None:
    question = questions["tf"]
    assert grade(question, ("true",)).correct
    wrong = grade(question, ("false",))
    assert not wrong.correct and wrong.chosen[0].feedback_html == question.incorrect_html
    with pytest.raises(BadAnswer):
        parse_answer(question, ["true", "false"])


def test_ordering_starts_shuffled_never_in_order_and_stable(
    questions: dict[str, Question],
) -> None:
    question = questions["pdsa-order"]
    right = question.items
    seen = set()
    for learner in range(40):
        shown = items_for(question, "m", "l", secret="s", learner=f"user:{learner}")
        assert shown != right and sorted(shown, key=lambda i: i.key) == list(right)
        assert shown == items_for(question, "m", "l", secret="s", learner=f"user:{learner}")
        seen.add(tuple(i.key for i in shown))
    assert len(seen) > 5  # learners see different orders
    other = questions["measures"]
    assert items_for(other, "m", "l", secret="s", learner="user:1") == other.items
