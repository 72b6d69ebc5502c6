"""Content warnings: named by path, line and code, printed by `content check`, never stopping the
content loading. Each test builds a quiet tree (tests/content_builder.py: no warnings at all) and
adds the one thing it is about."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.catalog.errors import ERROR_CODES, WARNING_CODES, ContentError, ContentWarning
from app.catalog.loader import check, load_catalog
from tests.content_builder import (
    MODULE_MD,
    QUESTION,
    lesson_md,
    quiet_lesson_md,
    quiet_module,
    write_module,
)

SINGLE = """\
```question
id: {qid}
type: single
prompt: Which?
options:
  - text: Wrong
    correct: false
    feedback: No.
  - text: {right_text}
    correct: true
    feedback: Yes.
  - text: None of these
    correct: false
    feedback: No.
    pin: true
explanation: Because.
```
"""


WRONG = "  - text: Wrong\n    correct: false\n    feedback: No.\n"
RIGHT = "  - text: Right\n    correct: true\n    feedback: Yes.\n"


def single(qid: str, right_first: bool = False) -> str:
    text = SINGLE.format(qid=qid, right_text="Right")
    return text.replace(WRONG + RIGHT, RIGHT + WRONG) if right_first else text


def found(path: Path, *codes: str) -> list[tuple[str, int, str, str]]:
    """The warnings of `codes` as (file name, line, code, reason), after asserting no errors."""
    report = check(path)
    assert report.errors == [], report.errors
    return [(w.path.name, w.line, w.code, w.reason) for w in report.warnings if w.code in codes]


def content_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "content", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_pin_is_part_of_the_schema(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-one.md": lesson_md(body=single("q1"))})
    (module,) = load_catalog(tmp_path).modules
    (question,) = module.lessons[0].questions
    assert [o.pinned for o in question.options] == [False, False, True]


def test_correct_answers_all_in_one_position_is_a_warning_not_an_error(tmp_path: Path) -> None:
    folder = write_module(
        tmp_path,
        {
            "01-one.md": lesson_md(body=single("q1") + "\n" + single("q2")),
            "02-two.md": lesson_md(body=single("q3")),
        },
    )
    report = check(tmp_path)
    assert report.errors == [] and len(report.modules) == 1
    (warning,) = [w for w in report.warnings if w.code == "answer-position"]
    assert (warning.path, warning.line) == (folder / "01-one.md", 9)
    assert "all 3 single-choice questions" in warning.reason and "position 2" in warning.reason
    result = content_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{folder}/01-one.md:9: warning: all 3 single-choice" in result.stdout
    assert "warning(s)" in result.stdout.splitlines()[-1]


def test_varied_or_few_questions_give_no_warning(tmp_path: Path) -> None:
    varied = lesson_md(body=single("q1") + "\n" + single("q2", right_first=True))
    write_module(tmp_path, {"01-one.md": varied, "02-two.md": lesson_md(body=single("q3"))})
    assert found(tmp_path, "answer-position") == []
    few = tmp_path / "few"
    write_module(few, {"01-one.md": lesson_md(body=single("q1") + "\n" + single("q2"))})
    assert found(few, "answer-position") == []


def test_a_link_to_a_missing_module_or_lesson_is_a_warning_with_its_line(tmp_path: Path) -> None:
    body = (
        "See [the other module](/modules/other) and [measures](/modules/measures).\n\n"
        "Also [a relative link](../nowhere/lesson) and [a lesson](/modules/other/missing).\n\n"
        "Fine: [this lesson](one), [other's lesson](/modules/other/first) and [a site](https://example.org/modules/x).\n\n"
    )
    folder = write_module(tmp_path, {"01-one.md": lesson_md(body=body + single("q1"))})
    write_module(tmp_path, {"01-first.md": lesson_md(qid="q9")}, folder="02-other")
    assert found(tmp_path, "missing-module", "broken-link") == [
        (
            "01-one.md",
            8,
            "missing-module",
            "link '/modules/measures' goes to a module that does not exist: 'measures'",
        ),
        (
            "01-one.md",
            10,
            "missing-module",
            "link '../nowhere/lesson' goes to a module that does not exist: 'nowhere'",
        ),
        (
            "01-one.md",
            10,
            "broken-link",
            "link '/modules/other/missing' goes to a lesson that does not exist: 'other/missing'",
        ),
    ]
    # Checking the one module folder alone still knows its neighbours.
    assert len(found(folder, "missing-module", "broken-link")) == 3


# Warnings the real content raised when these checks were written (content/ is rewritten by
# another issue): the run-charts lessons run long. Any other warning is new and fails here.
def test_the_real_content_has_no_errors_and_no_warnings() -> None:
    """The whole course passes `content check --strict` (issue 12)."""
    from tests.conftest import CONTENT_DIR

    report = check(CONTENT_DIR)
    assert report.errors == []
    assert [(w.path.name, w.line, w.code) for w in report.warnings] == []


# ---- a quiet tree, then one thing at a time ----

QUIET_WORDS = 43  # tests/content_builder.py QUIET_PROSE

CHART = """\
```chart
title: Falls
values: [5, 6, 4, 7, 5, 6, 5, 4, 6, 5]
```
"""


def test_a_quiet_tree_raises_no_warning(tmp_path: Path) -> None:
    quiet_module(tmp_path, {"01-one.md": quiet_lesson_md(), "02-two.md": quiet_lesson_md("q2")})
    report = check(tmp_path)
    assert (report.errors, report.warnings) == ([], [])


def test_a_lesson_estimated_over_ten_minutes_warns_at_its_minutes_line(tmp_path: Path) -> None:
    long = quiet_lesson_md(body="word " * 1957 + "\n\n" + QUESTION.format(qid="q1"), minutes=10)
    quiet_module(tmp_path, {"01-one.md": long})
    # (1957 + 43) words / 200 a minute = 10 minutes, + 45 s for the question.
    assert found(tmp_path, "lesson-too-long", "minutes-estimate") == [
        (
            "01-one.md",
            3,
            "lesson-too-long",
            "the lesson is estimated at 10.8 minutes (2000 words, 1 question, 0 charts): "
            "over 10 minutes, so split it or cut it",
        )
    ]
    shorter = quiet_lesson_md(body="word " * 1700 + "\n\n" + QUESTION.format(qid="q1"), minutes=9)
    quiet_module(tmp_path / "ok", {"01-one.md": shorter})
    assert found(tmp_path / "ok", "lesson-too-long", "minutes-estimate") == []


def test_stated_minutes_more_than_30_percent_off_the_estimate_warn(tmp_path: Path) -> None:
    quiet_module(tmp_path, {"01-one.md": quiet_lesson_md(minutes=2)})
    assert found(tmp_path, "minutes-estimate") == [
        (
            "01-one.md",
            3,
            "minutes-estimate",
            f"minutes: 2 is more than 30% off the estimate of 1.0 minutes "
            f"({QUIET_WORDS} words, 1 question, 0 charts)",
        )
    ]


def test_questions_and_charts_count_towards_the_estimate(tmp_path: Path) -> None:
    # Words alone would make each of these about 0.2 minutes, far from what they state.
    three = "\n".join(QUESTION.format(qid=f"q{i}") for i in range(3))
    quiet_module(tmp_path / "a", {"01-one.md": quiet_lesson_md(body=three, minutes=3)})
    assert found(tmp_path / "a", "minutes-estimate") == []
    charted = quiet_lesson_md(body=CHART + "\n" + QUESTION.format(qid="q1"), minutes=2)
    quiet_module(tmp_path / "b", {"01-one.md": charted})
    assert found(tmp_path / "b", "minutes-estimate") == []


def test_module_minutes_must_add_up_to_its_lessons(tmp_path: Path) -> None:
    lessons = {"01-one.md": quiet_lesson_md(), "02-two.md": quiet_lesson_md("q2", minutes=1)}
    write_module(tmp_path, lessons)  # module.md says 10
    assert found(tmp_path, "module-minutes") == [
        ("module.md", 4, "module-minutes", "minutes: 10, but the lessons' minutes add up to 2")
    ]


def test_a_module_without_references_is_an_error_not_a_warning(tmp_path: Path) -> None:
    no_refs = MODULE_MD.split("references:\n")[0] + "---\nAn introduction.\n"
    write_module(tmp_path / "a", {"module.md": no_refs, "01-one.md": quiet_lesson_md()})
    empty = MODULE_MD.split("references:\n")[0] + "references: []\n---\nAn introduction.\n"
    write_module(tmp_path / "b", {"module.md": empty, "01-one.md": quiet_lesson_md()})
    a, b = check(tmp_path / "a").errors, check(tmp_path / "b").errors
    assert [(e.path.name, e.line, e.code) for e in a] == [("module.md", 2, "missing-key")]
    assert "missing required key 'references'" in a[0].reason
    assert [(e.path.name, e.line, e.code) for e in b] == [("module.md", 10, "schema")]


def test_a_lesson_that_cites_nothing_warns(tmp_path: Path) -> None:
    lesson = quiet_lesson_md()
    uncited = lesson.replace(" (Langley et al., 2009)", "")
    unlisted = lesson.replace("references: [langley2009]", "references: []")
    quiet_module(tmp_path / "a", {"01-one.md": uncited.replace("[langley2009]", "[]")})
    reason = (
        "the lesson cites no source: list the module references it draws on in `references` "
        "and cite them in the text, e.g. (Langley et al., 2009)"
    )
    assert found(tmp_path / "a", "lesson-cites-none") == [
        ("01-one.md", 5, "lesson-cites-none", reason)
    ]
    write_module(tmp_path / "b", {"01-one.md": lesson_md()})  # no references key at all
    assert found(tmp_path / "b", "lesson-cites-none") == [
        ("01-one.md", 1, "lesson-cites-none", reason)
    ]
    # Either a reference in front matter or a citation in the text is enough.
    quiet_module(tmp_path / "c", {"01-one.md": uncited, "02-two.md": quiet_lesson_md("q2")})
    quiet_module(tmp_path / "d", {"01-one.md": unlisted})
    assert found(tmp_path / "c", "lesson-cites-none") == []
    assert found(tmp_path / "d", "lesson-cites-none") == []


def test_an_outcome_no_question_assesses_warns_at_its_id(tmp_path: Path) -> None:
    second = "  - id: measures\n    text: Choose a measure.\n    gpc: [6]\n"
    module_md = MODULE_MD.replace("references:\n", second + "references:\n")
    reading = quiet_lesson_md(body="Just reading.\n").replace("[aims]", "[aims, measures]")
    files = {"module.md": module_md, "01-one.md": quiet_lesson_md(), "02-two.md": reading}
    write_module(tmp_path / "a", files)
    assert found(tmp_path / "a", "outcome-unassessed") == [
        (
            "module.md",
            10,
            "outcome-unassessed",
            "outcome 'measures' is assessed by no question: no lesson that lists it has a question",
        )
    ]
    asked = quiet_lesson_md("q2").replace("[aims]", "[measures]")
    write_module(tmp_path / "b", {**files, "02-two.md": asked})
    assert found(tmp_path / "b", "outcome-unassessed") == []


def test_an_image_without_alt_text_warns_at_its_line(tmp_path: Path) -> None:
    body = (
        "![](x.png)\n\nA chart: ![Weekly falls](https://example.org/falls.png) and\n"
        "![ ](https://example.org/blank.png)\n\n" + QUESTION.format(qid="q1")
    )
    intro = MODULE_MD + "\n![](https://example.org/intro.png)\n"
    quiet_module(tmp_path, {"module.md": intro, "01-one.md": quiet_lesson_md(body=body)})
    why = "has no alt text: say what it shows in ![...], for people who cannot see it"
    assert found(tmp_path, "image-alt") == [
        ("01-one.md", 11, "image-alt", f"image 'x.png' {why}"),
        ("01-one.md", 14, "image-alt", f"image 'https://example.org/blank.png' {why}"),
        ("module.md", 16, "image-alt", f"image 'https://example.org/intro.png' {why}"),
    ]


def test_a_link_to_an_anchor_that_does_not_exist_warns(tmp_path: Path) -> None:
    links = (
        "[q2](/modules/test/two#q-q2), [done](#lesson-done), [top](/modules/test/one#main-content),"
        "\n[nope](#q-nope), [summary](two#summary) and [elsewhere](/modules/other/first#x).\n\n"
    )
    one = quiet_lesson_md(body=links + QUESTION.format(qid="q1"))
    folder = quiet_module(tmp_path, {"01-one.md": one, "02-two.md": quiet_lesson_md("q2")})
    quiet_module(tmp_path, {"01-first.md": quiet_lesson_md("q1")}, folder="02-other")
    anchor = "goes to an anchor that does not exist"
    assert found(tmp_path, "broken-link", "missing-module") == [
        (
            "01-one.md",
            12,
            "broken-link",
            f"link '#q-nope' {anchor}: 'test/one#q-nope' (link to a question as #q-<id>)",
        ),
        (
            "01-one.md",
            12,
            "broken-link",
            f"link '/modules/other/first#x' {anchor}: 'other/first#x' "
            "(link to a question as #q-<id>)",
        ),
        (
            "01-one.md",
            12,
            "broken-link",
            f"link 'two#summary' {anchor}: 'test/two#summary' (link to a question as #q-<id>)",
        ),
    ]
    # Checked alone, the module cannot see the other module's anchors, so it trusts them.
    alone = [reason for *_, reason in found(folder, "broken-link")]
    assert len(alone) == 2 and not [r for r in alone if "other/first" in r]


PINNED = """\
```question
id: {qid}
type: single
prompt: Which?
options:
  - text: Wrong
    correct: false
    feedback: No.
  - text: Also wrong
    correct: false
    feedback: No.
  - text: None of these
    correct: {correct}
    feedback: Yes.
    pin: {pin}
explanation: Because.
```
"""


def pinned(qid: str, correct: bool = True, pin: bool = True) -> str:
    text = PINNED.format(qid=qid, correct=str(correct).lower(), pin=str(pin).lower())
    return (
        text
        if correct
        else text.replace("text: Wrong\n    correct: false", "text: Wrong\n    correct: true")
    )


def test_pinned_correct_options_in_one_position_in_a_lesson_warn(tmp_path: Path) -> None:
    body = "\n".join(pinned(f"q{i}") for i in range(1, 4))
    quiet_module(tmp_path / "a", {"01-one.md": quiet_lesson_md(body=body, minutes=3)})
    # Only the pinned warning: the module-wide check leaves pinned answers to this one.
    assert found(tmp_path / "a", "pinned-answer-position", "answer-position") == [
        (
            "01-one.md",
            12,
            "pinned-answer-position",
            "all 3 single-choice questions in this lesson have the correct option pinned in "
            "position 3, where every learner sees it: unpin it or vary it",
        )
    ]


@pytest.mark.parametrize(
    "third",
    [pinned("q3", pin=False), pinned("q3", correct=False), ""],
    ids=["one-unpinned", "one-elsewhere", "only-two"],
)
def test_pinned_answers_that_vary_or_are_few_do_not_warn(tmp_path: Path, third: str) -> None:
    body = "\n".join([pinned("q1"), pinned("q2"), third])
    quiet_module(tmp_path, {"01-one.md": quiet_lesson_md(body=body, minutes=3)})
    assert found(tmp_path, "pinned-answer-position") == []


def test_every_finding_has_a_known_code() -> None:
    with pytest.raises(ValueError, match="unknown warning code"):
        ContentWarning(Path("x.md"), 1, "no code given")
    with pytest.raises(ValueError, match="unknown error code"):
        ContentError(Path("x.md"), 1, "a typo", "yml")
    assert ContentError(Path("x.md"), 1, "anything").code == "invalid"
    assert not set(ERROR_CODES) & set(WARNING_CODES)
