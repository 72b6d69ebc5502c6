"""Strict shapes for authored content. Unknown keys are errors, so typos never pass silently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, model_validator

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


# ---- what the rest of the app reads (rendered, immutable) ----


@dataclass(frozen=True, slots=True)
class Option:
    key: str  # "a", "b", ... : stable within a content version, used in form values
    html: str
    correct: bool
    feedback_html: str
    pinned: bool = False  # never moved by the per-learner shuffle (e.g. "None of these")


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

    @property
    def several_answers(self) -> bool:
        return self.type is not QuestionType.single

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(o.key for o in self.options if o.correct)


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


Block = HtmlBlock | QuestionBlock | ChartBlock


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
