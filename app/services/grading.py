"""Grading is pure: a question and the submitted form values give a result. No database here.

Every type goes through the same three steps, so the routes need not know the types:
`parse_answer` turns the form's `answer` values into a normalised tuple (or a BadAnswer, a 422
with the input kept), `grade` marks it right or wrong, and `Result.keys` is the text stored in
`attempt.answer`, which `stored_values` reads back:

| type | form values | stored |
|---|---|---|
| single, multiple, signals | option keys | `a,c` |
| true-false | `true` or `false` | `true` |
| numeric | the number as typed ("62,5") | the number normalised: `62.5` |
| short-text | the text as typed | the text, trimmed, at most 200 characters |
| ordering | an item key per position | keys in the learner's order: `b,a,c` |
| matching | `item=category` per item | pairs in the items' order: `a=1,b=3` |

No partial credit: a question is right or wrong, and the result names the parts that were wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from app.catalog.schema import (
    MAX_SHORT_TEXT,
    OPTION_FORMS,
    Option,
    Question,
    QuestionType,
    normalise_text,
)
from app.services.lab_input import CellError, parse_number

MAX_KEPT = 1000  # characters of a refused text answer echoed back in the form
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


class BadAnswer(ValueError):
    """The answer is not one the question's form could have sent (a 422, not a wrong answer)."""


@dataclass(frozen=True)
class Part:
    """One position of an ordering answer or one item of a matching answer."""

    label_html: str  # "Position 2", or the item
    given_html: str  # the step put there, or the category chosen
    right: bool
    feedback_html: str = ""  # the item's own feedback, shown when it is wrong


@dataclass(frozen=True)
class Result:
    question: Question
    chosen: tuple[Option, ...]  # option types; () for the others
    correct: bool
    values: tuple[str, ...] = ()  # the normalised answer (option types: the keys chosen)
    feedback_html: str = ""  # types without options: the feedback for this answer
    parts: tuple[Part, ...] = ()  # ordering and matching: every part, right or wrong

    @property
    def keys(self) -> str:
        """What `attempt.answer` stores (see the table above)."""
        if self.question.type in OPTION_FORMS:
            return ",".join(o.key for o in self.chosen)
        return ",".join(self.values)

    @property
    def missed(self) -> tuple[Option, ...]:
        """Correct options the learner did not choose, in the question's order."""
        return missed_options(self.question, tuple(o.key for o in self.chosen))

    @property
    def wrong_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if not p.right)

    @property
    def shown(self) -> str:
        """A numeric or short-text answer as the feedback repeats it."""
        unit = self.question.unit
        text = self.values[0] if self.values else ""
        return f"{text}{'' if unit == '%' else ' '}{unit}" if unit else text


def parse_answer(question: Question, values: list[str]) -> tuple[str, ...]:
    """Validate the submitted values; anything a real form could not send is a BadAnswer."""
    kind = question.type
    if kind is QuestionType.numeric:
        return (_number(values),)
    if kind is QuestionType.short_text:
        return (_short_text(values),)
    if kind is QuestionType.ordering:
        return _order(question, values)
    if kind is QuestionType.matching:
        return _matches(question, values)
    return _option_keys(question, values)


def kept_input(question: Question, values: list[str]) -> tuple[str, ...]:
    """What a refused form shows again: the text typed, or the choices that exist."""
    if question.type in (QuestionType.numeric, QuestionType.short_text):
        return (values[0][:MAX_KEPT],) if values else ()
    if question.type in (QuestionType.ordering, QuestionType.matching):
        return tuple(values[: len(question.items)])
    known = {o.key for o in question.options}
    return tuple(v for v in values if v in known)


def stored_values(question: Question, stored: str) -> list[str]:
    """`attempt.answer` back as form values (a short-text answer may hold commas)."""
    if question.type in (QuestionType.numeric, QuestionType.short_text):
        return [stored]
    return [v for v in stored.split(",") if v]


def grade(question: Question, values: tuple[str, ...]) -> Result:
    """Right or wrong, with the feedback for this answer. `values` come from parse_answer."""
    kind = question.type
    if kind is QuestionType.numeric:
        return grade_numeric(question, values[0])
    if kind is QuestionType.short_text:
        return grade_short_text(question, values[0])
    if kind is QuestionType.ordering:
        return grade_ordering(question, values)
    if kind is QuestionType.matching:
        return grade_matching(question, values)
    chosen = tuple(o for o in question.options if o.key in values)
    return Result(question, chosen, frozenset(values) == question.correct_keys, tuple(values))


def missed_options(question: Question, keys: tuple[str, ...]) -> tuple[Option, ...]:
    """The correct options not among `keys`: what multiple-choice feedback names as missed."""
    return tuple(o for o in question.options if o.correct and o.key not in keys)


# ---- one grading function per type: pure, each answer's feedback chosen here ----


def grade_numeric(question: Question, number: str) -> Result:
    """Right inside the band; else the feedback of the first named wrong value it falls in."""
    assert question.band is not None
    value = float(number)
    if question.band.holds(value):
        return Result(question, (), True, (number,), question.correct_html)
    named = next((b.feedback_html for b in question.wrong_bands if b.holds(value)), None)
    return Result(question, (), False, (number,), named or question.incorrect_html)


def grade_short_text(question: Question, text: str) -> Result:
    """Right when it matches an accepted answer (letters and digits only, any case) or the
    pattern (the whole answer, spaces collapsed, any case)."""
    said = normalise_text(text)
    right = said in {normalise_text(a) for a in question.accept} or bool(
        question.pattern
        and re.fullmatch(question.pattern, " ".join(text.split()), flags=re.IGNORECASE)
    )
    if right:
        return Result(question, (), True, (text,), question.correct_html)
    named = next(
        (w.feedback_html for w in question.wrong_texts if normalise_text(w.text) == said), None
    )
    return Result(question, (), False, (text,), named or question.incorrect_html)


def grade_ordering(question: Question, keys: tuple[str, ...]) -> Result:
    """Each position is right or wrong; the answer is right only when all are."""
    html = {item.key: item for item in question.items}
    parts = tuple(
        Part(
            f"Position {number}",
            html[key].html,
            key == right.key,
            "" if key == right.key else html[key].feedback_html,
        )
        for number, (key, right) in enumerate(zip(keys, question.items, strict=True), start=1)
    )
    return _whole(question, keys, parts)


def grade_matching(question: Question, pairs: tuple[str, ...]) -> Result:
    """Each item is right or wrong; the answer is right only when all are."""
    chosen = dict(pair.split("=", 1) for pair in pairs)
    names = {c.key: c.html for c in question.categories}
    parts = tuple(
        Part(
            item.html,
            names[chosen[item.key]],
            chosen[item.key] == item.category,
            "" if chosen[item.key] == item.category else item.feedback_html,
        )
        for item in question.items
    )
    return _whole(question, pairs, parts)


def _whole(question: Question, values: tuple[str, ...], parts: tuple[Part, ...]) -> Result:
    right = all(p.right for p in parts)
    feedback = question.correct_html if right else question.incorrect_html
    return Result(question, (), right, values, feedback, parts)


# ---- reading the form ----


def _option_keys(question: Question, values: list[str]) -> tuple[str, ...]:
    keys = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not keys:
        several = question.several_answers
        raise BadAnswer("Select at least one answer" if several else "Select an answer")
    known = {o.key for o in question.options}
    if any(k not in known for k in keys):
        raise BadAnswer("That answer is not one of the options")
    if not question.several_answers and len(keys) > 1:
        raise BadAnswer("Choose only one answer")
    return keys


def _one(values: list[str], missing: str) -> str:
    text = " ".join(_CONTROL.sub(" ", values[0]).split()) if len(values) == 1 else ""
    if len(values) > 1:
        raise BadAnswer("Give one answer")
    if not text:
        raise BadAnswer(missing)
    return text


def _number(values: list[str]) -> str:
    """The number as normalised text: "62,5" and "62.5" are both "62.5" (the lab's reading)."""
    text = _one(values, "Enter a number")
    try:
        value = parse_number(text)
    except CellError:
        raise BadAnswer("Enter a number, such as 62.5 or 62,5") from None
    assert value is not None
    return format(value or 0.0, ".15g")  # -0 is 0


def _short_text(values: list[str]) -> str:
    text = _one(values, "Enter your answer")
    if len(text) > MAX_SHORT_TEXT:
        raise BadAnswer(f"Keep your answer to {MAX_SHORT_TEXT} characters or fewer")
    return text


def _plain(html: str) -> str:
    return Markup(html).striptags()  # nosec B704  # only strips tags to plain text


def _order(question: Question, values: list[str]) -> tuple[str, ...]:
    keys = tuple(v.strip() for v in values)
    known = {item.key: item for item in question.items}
    if len(keys) != len(known) or any(k not in known for k in keys):
        raise BadAnswer("Choose a step for every position")
    twice = [known[k] for k in dict.fromkeys(k for k in keys if keys.count(k) > 1)]
    if twice:
        names = "; ".join(f"“{_plain(i.html)}”" for i in twice)
        raise BadAnswer(f"Use each step once: {names} is in more than one position")
    return keys


def _matches(question: Question, values: list[str]) -> tuple[str, ...]:
    categories = {c.key for c in question.categories}
    chosen: dict[str, str] = {}
    for value in values:
        item, _, category = value.strip().partition("=")
        if not category:
            continue  # "Choose a category" left as it was
        if item in chosen or category not in categories:
            raise BadAnswer("That answer is not one of the categories")
        chosen[item] = category
    if set(chosen) - {i.key for i in question.items}:
        raise BadAnswer("That answer is not one of the items")
    missing = [i for i in question.items if i.key not in chosen]
    if missing:
        names = "; ".join(f"“{_plain(i.html)}”" for i in missing)
        raise BadAnswer(f"Choose a category for every item. Not chosen yet: {names}")
    return tuple(f"{i.key}={chosen[i.key]}" for i in question.items)
