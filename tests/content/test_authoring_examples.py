"""Every ```question, ```chart and ```scenario example in docs/authoring.md passes the real
`content check`, and the examples show every question type, so the guide cannot drift from
the loader."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.catalog import load_catalog
from app.catalog.schema import QuestionType
from app.config import PROJECT_ROOT
from tests.content.test_content import qiskills
from tests.content_builder import lesson_md, write_module

GUIDE = PROJECT_ROOT / "docs" / "authoring.md"
BLOCK = re.compile(r"^```question\n(.*?)^```$", re.MULTILINE | re.DOTALL)


CHART = re.compile(r"^```chart\n(.*?)^```$", re.MULTILINE | re.DOTALL)
SCENARIO = re.compile(r"^```scenario\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def examples() -> list[str]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def chart_examples() -> list[str]:
    return CHART.findall(GUIDE.read_text(encoding="utf-8"))


def scenario_examples() -> list[str]:
    return SCENARIO.findall(GUIDE.read_text(encoding="utf-8"))


def write_examples(root: Path) -> None:
    """One lesson per example, so an error's line points into one example."""
    lessons = {
        f"{i:02d}-example-{i}.md": lesson_md(title=f"Example {i}", body=f"```question\n{text}```\n")
        for i, text in enumerate(examples(), start=1)
    }
    first = len(lessons) + 1
    lessons |= {
        f"{i:02d}-chart-{i}.md": lesson_md(
            title=f"Chart {i}",
            body=f"```chart\n{text}```\n",
        )
        for i, text in enumerate(chart_examples(), start=first)
    }
    first = len(lessons) + 1
    lessons |= {
        f"{i:02d}-scenario-{i}.md": lesson_md(
            title=f"Scenario {i}", body=f"```scenario\n{text}```\n"
        )
        for i, text in enumerate(scenario_examples(), start=first)
    }
    write_module(root, lessons)


def test_the_guide_has_an_example_of_every_question_type() -> None:
    shown = {yaml.safe_load(text)["type"] for text in examples()}
    assert shown == {t.value for t in QuestionType}


def test_every_example_passes_content_check(tmp_path: Path) -> None:
    write_examples(tmp_path)
    result = qiskills("content", "check", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error" not in result.stdout and "error(s)" not in result.stdout + result.stderr
    module = load_catalog(tmp_path).modules[0]
    assert chart_examples(), "the guide shows a chart block"
    others = len(chart_examples()) + len(scenario_examples())
    assert [len(lesson.questions) for lesson in module.lessons] == [1] * len(examples()) + [
        0
    ] * others
    charts = [b for lesson in module.lessons for b in lesson.blocks if b.kind == "chart"]
    assert len(charts) == len(chart_examples())
    assert scenario_examples(), "the guide shows a scenario block"
    scenarios = [b for lesson in module.lessons for b in lesson.blocks if b.kind == "scenario"]
    assert len(scenarios) == len(scenario_examples())


def test_a_broken_example_would_fail(tmp_path: Path) -> None:
    """The check above can fail: the same harness with a typo reports it at its line."""
    (matching,) = [text for text in examples() if "type: matching" in text]
    broken = matching.replace("categories:", "categorys:", 1)
    write_module(tmp_path, {"01-broken.md": lesson_md(body=f"```question\n{broken}```\n")})
    result = qiskills("content", "check", str(tmp_path))
    assert result.returncode == 1
    assert "01-broken.md:" in result.stdout + result.stderr
    assert "unknown key 'categorys'" in result.stdout + result.stderr


def test_a_broken_scenario_example_would_fail(tmp_path: Path) -> None:
    (example,) = scenario_examples()
    broken = example.replace("goto: agreed-pilot", "goto: agreed", 1)
    write_module(tmp_path, {"01-broken.md": lesson_md(body=f"```scenario\n{broken}```\n")})
    result = qiskills("content", "check", str(tmp_path))
    assert result.returncode == 1
    assert "goto: no node 'agreed'" in result.stdout + result.stderr
