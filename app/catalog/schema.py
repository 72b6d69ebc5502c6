"""Strict shapes for authored content. Unknown keys are errors, so typos never pass silently."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from app.scenarios.model import PRINCIPLES, ScenarioBlock

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

RCP_SKILLS: dict[str, str] = {
    "systems-thinking": "Systems thinking",
    "involving-stakeholders": "Involving stakeholders",
    "diagnosis-discovery": "Diagnosis and discovery",
    "leadership-teamworking": "Leadership and teamworking",
    "project-management": "Project management",
    "rapid-cycle-testing": "Rapid-cycle testing",
    "measurement-over-time": "Measurement over time",
    "scale-up-spread-sustainability": "Scale-up, spread and sustainability",
}
RcpSkill = Literal[tuple(RCP_SKILLS)]  # type: ignore[valid-type]

GPC_DOMAINS: dict[int, str] = {
    1: "Professional values and behaviours",
    2: "Professional skills",
    3: "Professional knowledge",
    4: "Capabilities in health promotion and illness prevention",
    5: "Capabilities in leadership and team working",
    6: "Capabilities in patient safety and quality improvement",
    7: "Capabilities in safeguarding vulnerable groups",
    8: "Capabilities in education and training",
    9: "Capabilities in research and scholarship",
}
GpcDomain = Annotated[int, Field(ge=1, le=9)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- what authors write (validated front matter and blocks) ----


class OutcomeSpec(Strict):
    id: Slug
    text: Text
    gpc: list[GpcDomain] = Field(min_length=1)
    rcp: list[RcpSkill] = Field(default_factory=list)


class ReferenceSpec(Strict):
    id: Slug
    citation: Text
    url: HttpUrl | None = None


# `status: draft` keeps a module or lesson from trainees: only educators and admins see it.
Status = Literal["draft", "published"]


class ChangeSpec(Strict):
    """One changelog entry. `major` asks learners who completed the lesson(s) before `date` to
    look again; `minor` carries their progress over silently. No `lesson`: the whole module."""

    date: dt.date
    lesson: Slug | None = None
    change: Literal["minor", "major"]
    note: Text


class ModuleSpec(Strict):
    title: Text
    summary: Text
    minutes: int = Field(ge=1, le=600)
    pass_mark: int = Field(default=75, ge=0, le=100)
    status: Status = "published"
    outcomes: list[OutcomeSpec] = Field(min_length=1)
    references: list[ReferenceSpec] = Field(min_length=1)
    changelog: list[ChangeSpec] = Field(default_factory=list)


class LessonSpec(Strict):
    title: Text
    minutes: int = Field(ge=1, le=30)
    status: Status = "published"
    outcomes: list[Slug] = Field(min_length=1)
    references: list[Slug] = Field(default_factory=list)


class OptionSpec(Strict):
    text: Text
    correct: bool
    feedback: Text
    pin: bool = False  # keep this option where the author put it when options are shuffled


class QuestionType(StrEnum):
    single = "single"
    multiple = "multiple"
    signals = (
        "signals"  # "which rules fire on this chart?": options and answer come from the engine
    )
    true_false = "true-false"  # a statement, true or false: two fixed options
    numeric = "numeric"  # a number: exact, within a tolerance, or in a range
    short_text = "short-text"  # a few words, matched ignoring case, spacing and punctuation
    ordering = "ordering"  # steps put in order
    matching = "matching"  # items matched to categories


class AnnotationSpec(Strict):
    at: int = Field(ge=1)  # 1-based point number
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class ChartSpec(Strict):
    """A chart drawn in a lesson. Point numbers (freeze, parts, exclude, at) count from 1."""

    title: Text
    chart: Literal["run", "i", "mr", "p", "u", "c"] = "run"
    profile: str = "ihi"
    values: list[float | None] = Field(min_length=2, max_length=5000)
    labels: list[str] | None = None
    denominators: list[float | None] | None = None
    freeze: int | None = Field(default=None, ge=2)
    parts: list[Annotated[int, Field(ge=2)]] = Field(default_factory=list)
    exclude: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    direction: Literal["higher_is_better", "lower_is_better", "neither"] = "neither"
    target: float | None = None
    annotations: list[AnnotationSpec] = Field(default_factory=list)


class QuestionSpec(Strict):
    id: Slug
    type: QuestionType
    prompt: Text
    options: list[OptionSpec] | None = Field(default=None, min_length=2, max_length=8)
    chart: ChartSpec | None = None
    explanation: Text

    @model_validator(mode="after")
    def _correct_options_fit_the_type(self) -> QuestionSpec:
        if self.type is QuestionType.signals:
            if self.chart is None:
                raise ValueError("a 'signals' question needs a chart")
            if self.options is not None:
                raise ValueError(
                    "a 'signals' question takes no options: the engine writes them from the chart"
                )
            return self
        if self.chart is not None:
            raise ValueError(f"only a 'signals' question takes a chart, not '{self.type}'")
        if self.options is None:
            raise ValueError("missing required key 'options' in question")
        n_correct = sum(o.correct for o in self.options)
        if n_correct == 0:
            raise ValueError("a question needs at least one correct option")
        if self.type is QuestionType.single and n_correct > 1:
            raise ValueError(
                f"a 'single' question must have exactly one correct option, not {n_correct}"
            )
        return self


MAX_SHORT_TEXT = 200  # characters of a short-text answer: stored as typed, trimmed
Number = Annotated[float, Field(allow_inf_nan=False)]


def normalise_text(text: str) -> str:
    """Short-text matching ignores case, spacing and punctuation: only letters and digits count."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _item_text(value: object) -> object:
    """`- Plan` is short for `- text: Plan`."""
    return {"text": value} if isinstance(value, str) else value


class FeedbackSpec(Strict):
    correct: Text  # shown when the answer is right
    incorrect: Text  # shown when it is wrong (unless a named wrong answer has its own)


class _TypedSpec(Strict):
    """What every question type other than single/multiple/signals shares."""

    id: Slug
    prompt: Text
    feedback: FeedbackSpec
    explanation: Text

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Checks that need several keys at once, each with the place in the YAML it names."""
        return []


class TrueFalseSpec(_TypedSpec):
    type: Literal[QuestionType.true_false]
    answer: StrictBool  # is the statement (the prompt) true?


class WrongValueSpec(Strict):
    value: Number
    tolerance: Number = Field(default=0, ge=0)
    feedback: Text


class NumericSpec(_TypedSpec):
    type: Literal[QuestionType.numeric]
    answer: Number | None = None
    tolerance: Number = Field(default=0, ge=0)
    range: tuple[Number, Number] | None = None
    unit: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""
    wrong: list[WrongValueSpec] = Field(default_factory=list, max_length=10)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        if (self.answer is None) == (self.range is None):
            where: tuple[str | int, ...] = ("range",) if self.range else ()
            return [
                (
                    where,
                    "a 'numeric' question needs `answer` (with an optional `tolerance`) "
                    "or `range: [low, high]`, not both",
                )
            ]
        if self.range is not None and "tolerance" in self.model_fields_set:
            return [(("tolerance",), "`tolerance` goes with `answer`; a `range` is its own band")]
        if self.range is not None and self.range[0] > self.range[1]:
            return [(("range",), "range: the low end comes first")]
        low, high = self.band()
        return [
            (("wrong", i, "value"), f"the wrong value {w.value:g} would be marked right")
            for i, w in enumerate(self.wrong)
            if w.value + w.tolerance >= low and w.value - w.tolerance <= high
        ]

    def band(self) -> tuple[float, float]:
        if self.range is not None:
            return self.range
        assert self.answer is not None
        return self.answer - self.tolerance, self.answer + self.tolerance


class WrongTextSpec(Strict):
    answer: Text
    feedback: Text


class ShortTextSpec(_TypedSpec):
    type: Literal[QuestionType.short_text]
    accept: list[Annotated[Text, StringConstraints(max_length=MAX_SHORT_TEXT)]] = Field(
        min_length=1, max_length=20
    )
    pattern: Text | None = None  # a regular expression the whole answer may match instead
    wrong: list[WrongTextSpec] = Field(default_factory=list, max_length=10)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        found: list[tuple[tuple[str | int, ...], str]] = [
            (("accept", i), "an accepted answer needs a letter or a digit")
            for i, text in enumerate(self.accept)
            if not normalise_text(text)
        ]
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                found.append((("pattern",), f"pattern is not a valid regular expression: {exc}"))
        accepted = {normalise_text(t) for t in self.accept}
        found += [
            (("wrong", i, "answer"), f"the wrong answer '{w.answer}' is also accepted")
            for i, w in enumerate(self.wrong)
            if normalise_text(w.answer) in accepted
        ]
        return found


class ItemSpec(Strict):
    text: Text
    feedback: Text | None = None  # shown when this item is put in the wrong place


class OrderingSpec(_TypedSpec):
    type: Literal[QuestionType.ordering]
    items: list[Annotated[ItemSpec, BeforeValidator(_item_text)]] = Field(
        min_length=3, max_length=10
    )  # in the right order; learners see them shuffled

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        return _duplicates("items", [i.text for i in self.items], "item")


class MatchItemSpec(ItemSpec):
    category: Text


class MatchingSpec(_TypedSpec):
    type: Literal[QuestionType.matching]
    categories: list[Text] = Field(min_length=2, max_length=8)
    items: list[MatchItemSpec] = Field(min_length=2, max_length=12)

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        found = _duplicates("categories", self.categories, "category")
        found += _duplicates("items", [i.text for i in self.items], "item")
        known = ", ".join(self.categories)
        found += [
            (("items", i, "category"), f"'{item.category}' is not one of the categories: {known}")
            for i, item in enumerate(self.items)
            if item.category not in self.categories
        ]
        return found


def _duplicates(key: str, texts: list[str], what: str) -> list[tuple[tuple[str | int, ...], str]]:
    seen: set[str] = set()
    found: list[tuple[tuple[str | int, ...], str]] = []
    for i, text in enumerate(texts):
        if text in seen:
            found.append(((key, i), f"duplicate {what} '{text}'"))
        seen.add(text)
    return found


TYPED_SPECS: dict[str, type[_TypedSpec]] = {
    QuestionType.true_false: TrueFalseSpec,
    QuestionType.numeric: NumericSpec,
    QuestionType.short_text: ShortTextSpec,
    QuestionType.ordering: OrderingSpec,
    QuestionType.matching: MatchingSpec,
}


# ---- what the rest of the app reads (rendered, immutable) ----


@dataclass(frozen=True, slots=True)
class Option:
    key: str  # "a", "b", ... : stable within a content version, used in form values
    html: str
    correct: bool
    feedback_html: str
    pinned: bool = False  # never moved by the per-learner shuffle (e.g. "None of these")


@dataclass(frozen=True, slots=True)
class Item:
    """A step of an ordering question or an item of a matching one."""

    key: str  # "a", "b", ... in the author's (for ordering: the right) order
    html: str
    feedback_html: str = ""  # shown when the item is put in the wrong place
    category: str = ""  # matching: the key of its right category
    pinned: bool = False  # never: every step is shuffled (see option_order)


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # "1", "2", ...
    html: str


@dataclass(frozen=True, slots=True)
class NumberBand:
    """Numbers from `low` to `high`: a numeric question's answer, or a named wrong value."""

    low: float
    high: float
    feedback_html: str = ""

    def holds(self, value: float) -> bool:
        slack = 1e-9 * max(1.0, abs(self.low), abs(self.high))  # 0.1 + 0.2 is 0.3
        return self.low - slack <= value <= self.high + slack


@dataclass(frozen=True, slots=True)
class NamedText:
    """A short-text answer an author expects and answers with its own feedback."""

    text: str  # as written; compared after normalise_text
    feedback_html: str


@dataclass(frozen=True, slots=True)
class ChartView:
    """A chart drawn once at load: trusted SVG, a text summary and the data as table rows."""

    title: str
    svg: str
    summary: str
    rows: tuple[Any, ...]  # app.measurement.TableRow
    has_limits: bool
    centre_name: str
    rules: tuple[str, ...]  # every rule that fired, in order, without repeats
    icons: tuple[tuple[str, str], ...] = ()  # Making Data Count icons: (trusted SVG, label)
    shows_signals: bool = True  # False for a question's chart before it is answered


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: QuestionType
    prompt_html: str
    options: tuple[Option, ...]
    explanation_html: str
    chart: ChartView | None = None  # a signals question's chart as asked: no signals marked
    chart_answer: ChartView | None = None  # the same chart with its signals, for the feedback
    # The types after signals (true-false's two options are in `options`):
    correct_html: str = ""  # feedback for a right answer
    incorrect_html: str = ""  # for a wrong one, unless a named wrong answer has its own
    band: NumberBand | None = None  # numeric: the right answers
    unit: str = ""  # numeric: shown beside the input and the answer
    wrong_bands: tuple[NumberBand, ...] = ()  # numeric: named wrong values
    accept: tuple[str, ...] = ()  # short-text: accepted answers as written
    pattern: str | None = None  # short-text: a regular expression the answer may match instead
    wrong_texts: tuple[NamedText, ...] = ()  # short-text: named wrong answers
    items: tuple[Item, ...] = ()  # ordering (in the right order) and matching
    categories: tuple[Category, ...] = ()  # matching

    @property
    def several_answers(self) -> bool:
        return self.type in (QuestionType.multiple, QuestionType.signals)

    @property
    def form(self) -> str:
        """Which form partial asks it: options (radios or checkboxes), or its own."""
        if self.type in OPTION_FORMS:
            return "options"
        return self.type.value

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(o.key for o in self.options if o.correct)


OPTION_FORMS = frozenset(
    {QuestionType.single, QuestionType.multiple, QuestionType.signals, QuestionType.true_false}
)


@dataclass(frozen=True, slots=True)
class HtmlBlock:
    html: str
    kind: Literal["html"] = "html"


@dataclass(frozen=True, slots=True)
class QuestionBlock:
    question: Question
    kind: Literal["question"] = "question"


@dataclass(frozen=True, slots=True)
class ChartBlock:
    chart: ChartView
    kind: Literal["chart"] = "chart"


Block = HtmlBlock | QuestionBlock | ChartBlock | ScenarioBlock


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    text: str
    gpc: tuple[int, ...]
    rcp: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    id: str
    citation: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Change:
    """A changelog entry as the app reads it; `lesson` None means every lesson of the module."""

    date: dt.date
    lesson: str | None
    major: bool
    note: str

    def applies_to(self, lesson_slug: str) -> bool:
        return self.lesson is None or self.lesson == lesson_slug


@dataclass(frozen=True, slots=True)
class Lesson:
    slug: str
    module_slug: str
    position: int
    title: str
    minutes: int
    outcome_ids: tuple[str, ...]
    reference_ids: tuple[str, ...]
    blocks: tuple[Block, ...]
    version: str  # sha256 of the lesson's source bytes
    draft: bool = False  # `status: draft`: shown to educators and admins only

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(b.question for b in self.blocks if isinstance(b, QuestionBlock))


@dataclass(frozen=True, slots=True)
class Module:
    slug: str
    position: int
    title: str
    summary: str
    minutes: int
    pass_mark: int
    outcomes: tuple[Outcome, ...]
    references: tuple[Reference, ...]
    intro_html: str
    version: str  # sha256 of module.md
    lessons: tuple[Lesson, ...] = field(default=())
    draft: bool = False  # `status: draft`: the module and all its lessons are for educators only
    changelog: tuple[Change, ...] = ()  # in the order written

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        i = self.lessons.index(lesson)
        prev = self.lessons[i - 1] if i > 0 else None
        nxt = self.lessons[i + 1] if i + 1 < len(self.lessons) else None
        return prev, nxt


# ---- scenarios (```scenario blocks; see app/scenarios and docs/authoring.md) ----

VarName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=40)]
StateValue = StrictInt | StrictBool
Principle = Literal[tuple(PRINCIPLES)]  # type: ignore[valid-type]


class ScenarioChoiceSpec(Strict):
    text: Text
    goto: Slug
    principle: Principle
    feedback: Text
    effects: dict[VarName, StateValue] = Field(default_factory=dict, alias="set")
    condition: str | None = Field(default=None, alias="if")


class ScenarioNodeSpec(Strict):
    id: Slug
    speaker: str = ""
    role: str = ""
    text: str = ""
    choices: list[ScenarioChoiceSpec] = Field(default_factory=list, max_length=5)
    ending: StrictBool = False
    title: str = ""
    debrief: str = ""
    condition: str | None = Field(default=None, alias="if")


class ScenarioSpec(Strict):
    id: Slug
    title: Text
    intro: str = ""
    start: Slug
    state: dict[VarName, StateValue] = Field(default_factory=dict)
    nodes: list[ScenarioNodeSpec] = Field(min_length=2)
    strongest: list[Slug] = Field(min_length=2)
