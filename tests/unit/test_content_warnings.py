"""Content warnings: named by path and line, printed by `content check`, never failing it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.catalog.loader import check, load_catalog
from tests.content_builder import lesson_md, write_module

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
    (warning,) = report.warnings
    assert (warning.path, warning.line) == (folder / "01-one.md", 9)
    assert "all 3 single-choice questions" in warning.reason and "position 2" in warning.reason
    result = content_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{folder}/01-one.md:9: warning: all 3 single-choice" in result.stdout
    assert "1 warning(s)" in result.stdout


def test_varied_or_few_questions_give_no_warning(tmp_path: Path) -> None:
    varied = lesson_md(body=single("q1") + "\n" + single("q2", right_first=True))
    write_module(tmp_path, {"01-one.md": varied, "02-two.md": lesson_md(body=single("q3"))})
    assert check(tmp_path).warnings == []
    few = tmp_path / "few"
    write_module(few, {"01-one.md": lesson_md(body=single("q1") + "\n" + single("q2"))})
    assert check(few).warnings == []


def test_a_link_to_a_missing_module_or_lesson_is_a_warning_with_its_line(tmp_path: Path) -> None:
    body = (
        "See [the other module](/modules/other) and [measures](/modules/measures).\n\n"
        "Also [a relative link](../nowhere/lesson) and [a lesson](/modules/other/missing).\n\n"
        "Fine: [this lesson](one), [other's lesson](/modules/other/first) and [a site](https://example.org/modules/x).\n\n"
    )
    folder = write_module(tmp_path, {"01-one.md": lesson_md(body=body + single("q1"))})
    write_module(tmp_path, {"01-first.md": lesson_md(qid="q9")}, folder="02-other")
    report = check(tmp_path)
    assert report.errors == []
    found = [(w.path.name, w.line, w.reason) for w in report.warnings]
    assert found == [
        (
            "01-one.md",
            8,
            "link '/modules/measures' goes to a module that does not exist: 'measures'",
        ),
        (
            "01-one.md",
            10,
            "link '../nowhere/lesson' goes to a module that does not exist: 'nowhere'",
        ),
        (
            "01-one.md",
            10,
            "link '/modules/other/missing' goes to a lesson that does not exist: 'other/missing'",
        ),
    ]
    # Checking the one module folder alone still knows its neighbours.
    assert len(check(folder).warnings) == 3


def test_the_real_content_has_no_warnings() -> None:
    from tests.conftest import CONTENT_DIR

    assert check(CONTENT_DIR).warnings == []
