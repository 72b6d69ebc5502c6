"""GIFT in and out of lesson files through the real command: all of it, or none of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from app.catalog.loader import check
from app.config import PROJECT_ROOT
from app.gift.convert import RIGHT, WRONG
from app.gift.syntax import GiftQuestion, parse
from tests.conftest import CONTENT_DIR

SAMPLE = Path(__file__).parent / "sample.gift"
MODULE = "02-model-for-improvement"


def qiskills(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "content", *args],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=60,
    )  # fmt: skip


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of one real module: imports write into lesson files."""
    shutil.copytree(CONTENT_DIR / "modules" / MODULE, tmp_path / "modules" / MODULE)
    return tmp_path


def said(feedback: str) -> str:
    """Feedback as the author wrote it: the import's stand-ins for none count as none."""
    return "" if feedback in (RIGHT, WRONG) else feedback


def meaning(q: GiftQuestion) -> tuple:
    """What a question says, leaving out what our format names differently (ids, weights of
    wrong answers) or fills in (default feedback)."""
    q = replace(q, answers=tuple(replace(a, feedback=said(a.feedback)) for a in q.answers))
    if q.kind == "truefalse":
        return (q.kind, q.text, q.truth, q.general)
    if q.kind == "numeric":
        return (q.kind, q.text, q.general, tuple(
            (a.text, a.tolerance, a.high, a.weight == 100, a.feedback) for a in q.answers
        ))  # fmt: skip
    if q.kind == "matching":
        return (q.kind, q.text, q.general, tuple((a.text, a.match) for a in q.answers))
    return (q.kind, q.text, q.general, q.several, tuple(
        (a.text, a.weight > 0, a.feedback) for a in q.answers
    ))  # fmt: skip


def test_import_then_export_keeps_every_supported_type(content: Path) -> None:
    lesson = content / "modules" / MODULE / "01-three-questions.md"
    before = len(lesson.read_text())
    result = qiskills("import-gift", str(SAMPLE), "--into", str(lesson))
    assert result.returncode == 0, result.stderr
    # Our short-text answers share one feedback: the loss is said, with its line.
    assert "sample.gift: line 19: the accepted answers' own feedback became one" in result.stderr
    assert len(lesson.read_text()) > before
    assert check(content).errors == []  # the lesson still passes content check
    exported = qiskills("export-gift", str(lesson))
    assert exported.returncode == 0, exported.stderr
    back = {q.text: q for q in parse(exported.stdout)}
    for original in parse(SAMPLE.read_text()):
        again = back[original.text]
        if not original.general:  # the import wrote an explanation stating the answer
            assert again.general
            again = replace(again, general="")
        if original.kind == "short":  # one feedback for every accepted answer (said above)
            first = original.answers[0].feedback
            original = replace(
                original, answers=tuple(replace(a, feedback=first) for a in original.answers)
            )
        assert meaning(again) == meaning(original), original.title


@pytest.mark.parametrize(
    ("bank", "line", "reason"),
    [
        ("::ok::Fine? {T}\n\n::essay::Write about QI. {}\n", 3, "essay"),
        ("::ok::Fine? {T}\n\n::one::Match {=a -> x =b -> x}\n", 0, "categories"),
    ],
)
def test_a_bank_with_any_problem_imports_nothing(
    content: Path, tmp_path: Path, bank: str, line: int, reason: str
) -> None:
    lesson = content / "modules" / MODULE / "01-three-questions.md"
    original = lesson.read_bytes()
    gift = tmp_path / "bank.gift"
    gift.write_text(bank)
    result = qiskills("import-gift", str(gift), "--into", str(lesson))
    assert result.returncode == 1
    assert reason in result.stderr and "Nothing imported" in result.stderr
    if line:
        assert f"bank.gift:{line}:" in result.stderr
    assert lesson.read_bytes() == original
