"""Reading time: a lesson should fit a break on a phone, and its stated minutes should be honest.

The estimate is deliberately simple, so an author can redo it by hand:
words outside question and chart blocks at 200 a minute (reading on a phone), plus 45 seconds
per question (read, think, answer, read the feedback) and 60 seconds per chart (a signals
question's chart counts as a chart too).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.checks.source import LessonSource, ModuleSource
from app.catalog.errors import ContentWarning
from app.catalog.schema import ChartBlock

WORDS_PER_MINUTE = 200
SECONDS_PER_QUESTION = 45
SECONDS_PER_CHART = 60
MAX_LESSON_MINUTES = 10
MINUTES_TOLERANCE = 0.30  # stated minutes may differ from the estimate by this share of it


@dataclass(frozen=True)
class Estimate:
    words: int
    questions: int
    charts: int

    @classmethod
    def of(cls, lesson: LessonSource) -> Estimate:
        questions = [q.question for q in lesson.parsed.questions]
        charts = sum(isinstance(b, ChartBlock) for b in lesson.parsed.blocks)
        charts += sum(q.chart is not None for q in questions)
        return cls(lesson.prose.words, len(questions), charts)

    @property
    def minutes(self) -> float:
        seconds = self.questions * SECONDS_PER_QUESTION + self.charts * SECONDS_PER_CHART
        return self.words / WORDS_PER_MINUTE + seconds / 60

    def __str__(self) -> str:
        counts = ((self.words, "word"), (self.questions, "question"), (self.charts, "chart"))
        parts = ", ".join(f"{n} {name}{'' if n == 1 else 's'}" for n, name in counts)
        return f"{self.minutes:.1f} minutes ({parts})"


def lesson_time_warnings(lesson: LessonSource) -> list[ContentWarning]:
    spec = lesson.parsed.spec
    if spec is None:
        return []
    estimate = Estimate.of(lesson)
    line = lesson.parsed.lines.get("minutes", 1)
    warnings = []
    if estimate.minutes > MAX_LESSON_MINUTES:
        warnings.append(
            ContentWarning(
                lesson.path,
                line,
                f"the lesson is estimated at {estimate}: over {MAX_LESSON_MINUTES} minutes, "
                "so split it or cut it",
                "lesson-too-long",
            )
        )
    if abs(spec.minutes - estimate.minutes) > MINUTES_TOLERANCE * estimate.minutes:
        warnings.append(
            ContentWarning(
                lesson.path,
                line,
                f"minutes: {spec.minutes} is more than {MINUTES_TOLERANCE:.0%} off the estimate "
                f"of {estimate}",
                "minutes-estimate",
            )
        )
    return warnings


def module_minutes_warnings(module: ModuleSource) -> list[ContentWarning]:
    stated = module.parsed.spec.minutes
    total = sum(lesson.parsed.spec.minutes for lesson in module.lessons if lesson.parsed.spec)
    if stated == total:
        return []
    return [
        ContentWarning(
            module.path,
            module.parsed.lines.get(("minutes",), 1),
            f"minutes: {stated}, but the lessons' minutes add up to {total}",
            "module-minutes",
        )
    ]
