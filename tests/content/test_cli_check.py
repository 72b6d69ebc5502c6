"""`qiskills content check` run as a user runs it: exact lines, the JSON shape and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.catalog.errors import ERROR_CODES, WARNING_CODES
from tests.content.test_content import qiskills
from tests.content_builder import QUESTION, quiet_lesson_md, quiet_module, write_module

DOCS = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
ALT = "has no alt text: say what it shows in ![...], for people who cannot see it"


@pytest.fixture
def quiet(tmp_path: Path) -> Path:
    quiet_module(tmp_path, {"01-one.md": quiet_lesson_md(), "02-two.md": quiet_lesson_md("q2")})
    return tmp_path


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    """Two warnings: module minutes that do not add up, and an image without alt text."""
    image = quiet_lesson_md(
        "q2", body="![](https://example.org/a.png)\n\n" + QUESTION.format(qid="q2")
    )
    write_module(tmp_path, {"01-one.md": quiet_lesson_md(), "02-two.md": image})
    return tmp_path


def test_quiet_content_passes_with_and_without_strict(quiet: Path) -> None:
    for flags in ([], ["--strict"]):
        result = qiskills("content", "check", *flags, str(quiet))
        assert (result.returncode, result.stdout, result.stderr) == (
            0,
            "ok: 1 module(s), 2 lesson(s), 2 question(s)\n",
            "",
        )
    result = qiskills("content", "check", "--json", "--strict", str(quiet))
    assert (result.returncode, json.loads(result.stdout)) == (0, [])


def test_warnings_print_as_path_line_and_fail_only_with_strict(warned: Path) -> None:
    module = warned / "modules" / "01-test"
    lines = [
        f"{module}/02-two.md:11: warning: image 'https://example.org/a.png' {ALT}",
        f"{module}/module.md:4: warning: minutes: 10, but the lessons' minutes add up to 2",
    ]
    result = qiskills("content", "check", str(warned))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        *lines,
        "ok: 1 module(s), 2 lesson(s), 2 question(s), 2 warning(s)",
    ]
    strict = qiskills("content", "check", "--strict", str(warned))
    assert strict.returncode == 1
    assert strict.stdout.splitlines() == lines
    assert strict.stderr == f"2 warning(s) in {warned}, and --strict fails on them\n"


def test_json_lists_every_finding_and_nothing_else(warned: Path) -> None:
    module = warned / "modules" / "01-test"
    result = qiskills("content", "check", "--json", str(warned))
    assert result.returncode == 0
    assert json.loads(result.stdout) == [
        {
            "path": f"{module}/02-two.md",
            "line": 11,
            "severity": "warning",
            "code": "image-alt",
            "message": f"image 'https://example.org/a.png' {ALT}",
        },
        {
            "path": f"{module}/module.md",
            "line": 4,
            "severity": "warning",
            "code": "module-minutes",
            "message": "minutes: 10, but the lessons' minutes add up to 2",
        },
    ]
    assert result.stderr.startswith("ok: ")  # the summary never mixes with the JSON
    assert qiskills("content", "check", "--json", "--strict", str(warned)).returncode == 1


def test_errors_fail_with_or_without_strict_and_show_in_json(tmp_path: Path) -> None:
    typo = quiet_lesson_md().replace("title: A lesson", "titel: A lesson")
    quiet_module(tmp_path, {"01-one.md": typo})
    path = f"{tmp_path}/modules/01-test/01-one.md"
    for flags in ([], ["--strict"]):
        result = qiskills("content", "check", *flags, str(tmp_path))
        assert result.returncode == 1
        assert result.stdout.splitlines() == [
            f"{path}:2: missing required key 'title' in lesson front matter",
            f"{path}:2: unknown key 'titel' in lesson front matter",
        ]
        assert result.stderr == f"2 error(s) in {tmp_path}\n"
    result = qiskills("content", "check", "--json", str(tmp_path))
    assert result.returncode == 1
    assert [(f["line"], f["severity"], f["code"]) for f in json.loads(result.stdout)] == [
        (2, "error", "missing-key"),
        (2, "error", "unknown-key"),
    ]


def test_the_docs_list_every_code() -> None:
    section = DOCS.read_text().split("## Checking content", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE))
    assert documented == set(ERROR_CODES) | set(WARNING_CODES)
