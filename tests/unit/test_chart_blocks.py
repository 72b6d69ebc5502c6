"""Chart blocks and 'signals' questions: drawn by the engine at load; mistakes name their line."""

from __future__ import annotations

from pathlib import Path

from app.catalog import load_catalog
from app.catalog.charts import NO_SIGNAL
from app.catalog.loader import scan
from app.catalog.schema import ChartBlock
from app.services.grading import grade, parse_answer
from tests.content_builder import lesson_md, write_module

SHIFT = [5, 6, 4, 7, 5, 6, 5, 4, 6, 5, 9, 9, 10, 9, 11, 10, 9, 10]
NOISE = [6, 6, 3, 5, 7, 6, 6, 5, 6, 5, 7, 4, 7, 4, 5, 4]


def chart_block(values: list, extra: str = "") -> str:
    return f"```chart\ntitle: Falls\nprofile: ihi\nvalues: {values}\n{extra}```\n"


def signals_question(values: list, qid: str = "s1") -> str:
    return (
        f"```question\nid: {qid}\ntype: signals\nprompt: Which rules fire?\n"
        f"chart:\n  title: Falls\n  values: {values}\nexplanation: See Perla et al. (2011).\n```\n"
    )


def test_a_chart_block_is_drawn_once_at_load(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        {
            "01-a.md": lesson_md(
                body=chart_block(SHIFT, "annotations:\n  - at: 11\n    text: PDSA 1\n")
                + "\n"
                + signals_question(NOISE)
            )
        },
    )
    lesson = load_catalog(tmp_path).modules[0].lessons[0]
    (block,) = [b for b in lesson.blocks if isinstance(b, ChartBlock)]
    assert block.chart.svg.startswith("<svg") and 'role="img"' in block.chart.svg
    assert "shift" in block.chart.rules
    assert "shift" in block.chart.summary.lower()
    assert len(block.chart.rows) == len(SHIFT)


def test_signals_question_options_and_answer_come_from_the_engine(tmp_path: Path) -> None:
    body = signals_question(SHIFT, "s1") + "\n" + signals_question(NOISE, "s2")
    write_module(tmp_path, {"01-a.md": lesson_md(body=body)})
    shift_q, noise_q = load_catalog(tmp_path).modules[0].lessons[0].questions
    texts = [o.html for o in shift_q.options]
    assert texts[:4] == ["Shift", "Trend", "Too few runs", "Too many runs"]
    assert texts[-1] == NO_SIGNAL
    correct = {o.html for o in shift_q.options if o.correct}
    assert "Shift" in correct and NO_SIGNAL not in correct
    assert {o.html for o in noise_q.options if o.correct} == {NO_SIGNAL}
    chosen = parse_answer(shift_q, sorted(shift_q.correct_keys))
    assert grade(shift_q, chosen).correct
    assert not grade(noise_q, parse_answer(noise_q, ["a"])).correct


def test_a_signals_question_with_options_is_an_error(tmp_path: Path) -> None:
    body = signals_question(SHIFT).replace(
        "explanation:",
        "options:\n  - text: x\n    correct: true\n    feedback: y\n"
        "  - text: z\n    correct: false\n    feedback: w\nexplanation:",
    )
    write_module(tmp_path, {"01-a.md": lesson_md(body=body)})
    _, errors = scan(tmp_path)
    reason = "a 'signals' question takes no options: the engine writes them from the chart"
    assert [(e.line, e.reason) for e in errors] == [(9, f"question: {reason}")]


def test_chart_errors_name_the_block(tmp_path: Path) -> None:
    bad = chart_block([1, 2, 3], "denominators: [1, 2]\nchart: p\n")
    unknown = chart_block(SHIFT).replace("profile: ihi", "profile: astrology")
    write_module(tmp_path, {"01-a.md": lesson_md(body=bad + "\n" + unknown)})
    _, errors = scan(tmp_path)
    assert [e.line for e in errors] == [9, 17]
    assert all(e.reason.startswith("chart: ") for e in errors)
    assert "astrology" in errors[1].reason


def test_annotation_beyond_the_last_point_is_an_error(tmp_path: Path) -> None:
    block = chart_block(SHIFT, "annotations:\n  - at: 40\n    text: Too late\n")
    write_module(tmp_path, {"01-a.md": lesson_md(body=block)})
    _, errors = scan(tmp_path)
    assert len(errors) == 1 and "annotation at point 40" in errors[0].reason


def test_a_signals_question_does_not_give_its_answer_away(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-a.md": lesson_md(body=signals_question(SHIFT))})
    (question,) = load_catalog(tmp_path).modules[0].lessons[0].questions
    asked, answered = question.chart, question.chart_answer
    assert asked is not None and answered is not None
    assert "shift" not in asked.summary.lower() and "shift" not in asked.svg.lower()
    assert not asked.shows_signals and asked.rules == ()
    assert all(row.signals == () for row in asked.rows)
    assert "shift" in answered.summary.lower() and "shift" in answered.rules
