"""The course itself: twelve modules that state curriculum.md's facts as it words them, and a
question for every misconception it lists (issue 12).

The facts are matched on the lessons' text with Markdown emphasis and line breaks removed, so an
author may bold a phrase or rewrap a paragraph, but not reword a fact that must be exact.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache

import pytest

from app.catalog import load_catalog
from app.catalog.schema import Module, QuestionType
from tests.conftest import CONTENT_DIR

CATALOG = load_catalog(CONTENT_DIR)

MODULES = {
    1: "quality-and-improvement",
    2: "model-for-improvement",
    3: "understanding-the-system",
    4: "change-ideas",
    5: "measuring-for-improvement",
    6: "run-charts",
    7: "spc-making-data-count",
    8: "pdsa-in-practice",
    9: "people-influence-negotiation",
    10: "human-factors-safety",
    11: "audit-done-well",
    12: "sustain-spread-evidence",
}

# curriculum.md "Facts to state exactly": each phrase must appear in its module's text.
FACTS: dict[str, list[str]] = {
    "model-for-improvement": [
        "what are we trying to accomplish?",
        "how will we know that a change is an improvement?",
        "what change(s) can we make that will result in improvement?",
        "plan-do-study-act",
        "prediction",
    ],
    "run-charts": [
        "median",
        "6 or more consecutive points all above or all below the median",
        "5 or more consecutive points all going up or all going down",
        "astronomical point",
        "round(log2(n) + 3)",
        "5th percentile of binomial(n - 1, 0.5)",
        "perla",
        "anhøj",
    ],
    "spc-making-data-count": [
        "mean",
        "2.66",
        "mean moving range",
        "a point outside the limits",
        "2 of 3 points beyond two sigma on the same side",
        "nhsrplotthedots uses 7",
        "8 for a shift",
        "6 for a trend",
    ],
    "people-influence-negotiation": [
        "separate the people from the problem",
        "focus on interests, not positions",
        "invent options for mutual gain",
        "insist on objective criteria",
        "best alternative to a negotiated agreement",
        "shared belief that it is safe to take interpersonal risks",
    ],
    "measuring-for-improvement": [
        "outcome",
        "process",
        "balancing measures look for problems the change causes elsewhere",
        "just enough",
    ],
    "audit-done-well": [
        "explicit criteria",
        "re-measurement",
        "a criterion is a measurable element of care",
        "a standard is the level of compliance expected",
    ],
    "pdsa-in-practice": ["plan-do-study-act", "prediction"],
    "quality-and-improvement": [
        "safe, effective, person-centred, timely, efficient",
        "equitable",
        "systematic review of care against explicit criteria",
        "audit compares two points in time against a standard",
        "qi learns from many small tests and data over time",
        "research uses one large test",
    ],
    "human-factors-safety": ["shared belief that it is safe to take interpersonal risks"],
    "sustain-spread-evidence": [
        "foundation doctors in f2 are expected to contribute to at least one qi project",
        "many colleges require yearly qi involvement as evidence at arcp",
    ],
}

# curriculum.md "Misconceptions worth a quiz question", and the questions that address each one.
MISCONCEPTION_LIST = (
    "QI is the same as audit, or one re-audit proves an improvement.",
    "A run chart's centre line is the mean.",
    "Points on the median break a shift.",
    "The highest point is always an astronomical point.",
    "Two points make a trend; green on a RAG rating means the process is assured.",
    "PDSA is done once, at scale, with no prediction.",
    "Balancing measures are optional, or more data is always better.",
    "Resistance to change is irrational, or negotiating means defending a position.",
    "Run chart, SPC and classical thresholds are the same numbers, or MDC's run length is fixed.",
)
QI, MFI, RC = "quality-and-improvement", "model-for-improvement", "run-charts"
SPC, PDSA, MEASURES = "spc-making-data-count", "pdsa-in-practice", "measuring-for-improvement"
MISCONCEPTIONS: dict[str, list[tuple[str, str]]] = {
    MISCONCEPTION_LIST[0]: [
        (QI, "qar-reaudit-proves"),
        (QI, "qar-sort"),
        (MFI, "mfi-q4"),
        ("audit-done-well", "ad-reaudit-proves"),
        ("audit-done-well", "ad-audit-or-qi"),
    ],
    MISCONCEPTION_LIST[1]: [(RC, "rc-build-centre-line"), (RC, "rc-build-median-9")],
    MISCONCEPTION_LIST[2]: [(RC, "rc-rules-shift-on-median"), (RC, "rc-signals-2")],
    MISCONCEPTION_LIST[3]: [(RC, "rc-rules-astronomical")],
    MISCONCEPTION_LIST[4]: [(SPC, "spc-icons-two-points"), (SPC, "spc-icons-green-true-false")],
    MISCONCEPTION_LIST[5]: [
        (PDSA, "pdsa8-skip-prediction"),
        (PDSA, "pdsa8-at-scale"),
        (PDSA, "pdsa8-one-patient"),
    ],
    MISCONCEPTION_LIST[6]: [
        (MEASURES, "mfi5-balancing-optional-1"),
        (MEASURES, "mfi5-more-data-1"),
    ],
    MISCONCEPTION_LIST[7]: [
        ("people-influence-negotiation", "rm-irrational"),
        ("people-influence-negotiation", "pn-misconception"),
    ],
    MISCONCEPTION_LIST[8]: [
        (RC, "rc-interp-thresholds"),
        (SPC, "spc-rules-matching-lengths"),
        (SPC, "spc-rules-true-false-fixed"),
    ],
}

MEASUREMENT_MODULES = ("measuring-for-improvement", "run-charts", "spc-making-data-count")


def plain(text: str) -> str:
    """Lower case, no emphasis, no line breaks, typographic minus and quotes made plain."""
    text = re.sub(r"[*_`]", "", text)
    text = text.replace("\u2212", "-").replace("\u2019", "'").replace("\u00d7", "x")
    return re.sub(r"\s+", " ", text).lower()


@cache
def module_text(slug: str) -> str:
    folder = next(p for p in (CONTENT_DIR / "modules").iterdir() if p.name[3:] == slug)
    return plain("\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))))


def module(slug: str) -> Module:
    found = CATALOG.module(slug)
    assert found is not None, f"the course has no module {slug!r}"
    return found


def test_the_course_has_all_twelve_modules_in_order() -> None:
    folders = sorted(p.name for p in (CONTENT_DIR / "modules").iterdir() if p.is_dir())
    assert folders == [f"{n:02d}-{slug}" for n, slug in MODULES.items()]
    assert [m.slug for m in CATALOG.for_learners.modules] == list(MODULES.values())


def test_strict_content_check_passes_on_the_whole_curriculum() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "content",
            "check",
            str(CONTENT_DIR),
            "--strict",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(result.stdout)
    assert findings == [], "\n".join(f"{f['path']}:{f['line']}: {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("slug", MODULES.values())
def test_each_module_meets_the_standard(slug: str) -> None:
    mod = module(slug)
    assert 3 <= len(mod.lessons) <= 6
    assert 2 <= len(mod.outcomes) <= 4
    assert all(6 in outcome.gpc and outcome.rcp for outcome in mod.outcomes)
    for lesson in mod.lessons:
        assert len(lesson.questions) >= 3, f"{lesson.slug} has {len(lesson.questions)} questions"
        assert 5 <= lesson.minutes <= 10, lesson.slug
    assert "try it on your ward" in module_text(slug)


@pytest.mark.parametrize("slug", FACTS)
def test_each_fact_is_stated_as_the_curriculum_words_it(slug: str) -> None:
    text = module_text(slug)
    missing = [fact for fact in FACTS[slug] if plain(fact) not in text]
    assert not missing, f"{slug} does not state: {missing}"


def test_every_misconception_has_a_question() -> None:
    assert set(MISCONCEPTIONS) == set(MISCONCEPTION_LIST)
    for name, questions in MISCONCEPTIONS.items():
        assert questions, name
        for slug, qid in questions:
            ids = {q.id for lesson in module(slug).lessons for q in lesson.questions}
            assert qid in ids, f"{name}: {slug} has no question {qid}"


@pytest.mark.parametrize("slug", MEASUREMENT_MODULES)
def test_measurement_modules_ask_numeric_or_matching_questions(slug: str) -> None:
    kinds = [q.type for lesson in module(slug).lessons for q in lesson.questions]
    assert sum(k in (QuestionType.numeric, QuestionType.matching) for k in kinds) >= 2


def test_every_lesson_cites_a_module_reference() -> None:
    for mod in CATALOG.modules:
        known = {ref.id for ref in mod.references}
        for lesson in mod.lessons:
            assert lesson.reference_ids, f"{mod.slug}/{lesson.slug} cites nothing"
            assert set(lesson.reference_ids) <= known


def test_charts_in_measurement_lessons_are_drawn_by_the_engine() -> None:
    """Signals are never typed by hand: a question about signals is a `signals` question."""
    for slug in ("run-charts", "spc-making-data-count"):
        kinds = [q.type for lesson in module(slug).lessons for q in lesson.questions]
        assert QuestionType.signals in kinds, slug
