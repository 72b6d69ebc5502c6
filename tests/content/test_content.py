"""The real content/ passes the checker; the CLI and start-up report every error with its line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.catalog import ContentErrors
from app.config import Settings
from app.main import create_app
from tests.conftest import CONTENT_DIR
from tests.content_builder import QUESTION, lesson_md, write_module


def qiskills(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_real_content_passes_content_check() -> None:
    """No errors; warnings (listed in tests/unit/test_content_warnings.py) do not fail it."""
    result = qiskills("content", "check", str(CONTENT_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    *findings, summary = result.stdout.splitlines()
    assert summary.startswith("ok: ")
    assert all(": warning: " in line for line in findings), findings


def test_real_content_meets_the_curriculum_minimums() -> None:
    from app.catalog import load_catalog

    catalog = load_catalog(CONTENT_DIR)
    titles = {m.slug: m.title for m in catalog.modules}
    assert {"model-for-improvement", "run-charts"} <= set(titles)
    for module in catalog.modules:
        assert len(module.lessons) >= 3
        assert 2 <= len(module.outcomes) <= 4
        assert all(6 in outcome.gpc for outcome in module.outcomes)
        for lesson in module.lessons:
            assert 5 <= lesson.minutes <= 10
            assert len(lesson.questions) >= 3
            assert lesson.reference_ids, f"{lesson.slug} cites no sources"


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    bad_yaml = "```question\nid: q9\nprompt: [unclosed\n```\n"
    write_module(
        tmp_path,
        {
            "01-first.md": lesson_md().replace("title: A lesson\n", ""),
            "02-second.md": lesson_md(body=QUESTION.format(qid="q2") + "\n" + bad_yaml),
            "03-third.md": lesson_md(qid="q2"),
        },
    )
    return tmp_path


def test_content_check_names_all_three_errors_with_lines(broken_content: Path) -> None:
    result = qiskills("content", "check", str(broken_content))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    module = broken_content / "modules" / "01-test"
    assert (
        lines[0] == f"{module}/01-first.md:2: missing required key 'title' in lesson front matter"
    )
    assert lines[1].startswith(f"{module}/02-second.md:24: bad YAML: while parsing a flow")
    assert lines[2] == (
        f"{module}/03-third.md:9: duplicate question id 'q2' (first used at 02-second.md:9)"
    )
    assert len(lines) == 3


def test_start_up_refuses_broken_content(broken_content: Path, tmp_path: Path) -> None:
    settings = Settings(content_dir=broken_content, database_url=f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(ContentErrors) as caught:
        create_app(settings)
    assert len(caught.value.errors) == 3
    result = qiskills("serve", env={"QI_CONTENT_DIR": str(broken_content)})
    assert result.returncode == 1
    assert "Refusing to start: the content has 3 error(s)" in result.stderr
    assert "03-third.md:9: duplicate question id 'q2'" in result.stderr
