"""Scenario validation: each mistake is an error at `path:line` on the offending key."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.catalog import load_catalog
from app.catalog.loader import scan
from app.scenarios.model import ScenarioBlock
from tests.content_builder import QUESTION, lesson_md, write_module
from tests.scenario_content import SCENARIO, scenario_block

FIRST = 9  # lesson_md: front matter 1-5, text 6, blank 7, fence 8: the YAML starts on line 9


def line_of(text: str, marker: str, nth: int = 1) -> int:
    """The file line of the nth line of `text` containing `marker`."""
    hits = [i for i, line in enumerate(text.splitlines()) if marker in line]
    return FIRST + hits[nth - 1]


def findings(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    write_module(tmp_path, {"01-first.md": lesson_md(body=scenario_block(text))})
    _, errors = scan(tmp_path)
    return [(e.line, e.reason, e.code) for e in sorted(errors)]


def test_the_example_loads_as_a_block_with_rendered_markdown(tmp_path: Path) -> None:
    write_module(tmp_path, {"01-first.md": lesson_md(body=scenario_block())})
    lesson = load_catalog(tmp_path).modules[0].lessons[0]
    (block,) = [b for b in lesson.blocks if isinstance(b, ScenarioBlock)]
    s = block.scenario
    assert s.id == "ward-round" and s.start == "opening"
    assert s.state == (("trust", 0), ("data_shared", False))
    assert s.strongest == ("opening", "worries", "pilot")
    assert s.strongest_choices == (0, 0)
    assert s.node("opening").text_html.startswith("<p>")
    assert s.node("opening").role == "Consultant, acute medicine"
    assert s.node("pilot").debrief_html == "<p>You focused on interests first.</p>\n"


def _one(tmp_path: Path, text: str) -> tuple[int, str, str]:
    found = findings(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


def test_missing_target(tmp_path: Path) -> None:
    text = SCENARIO.replace("goto: walked-away", "goto: nowhere", 1)
    line, reason, code = _one(tmp_path, text)
    assert (line, code) == (line_of(text, "goto: nowhere"), "scenario")
    assert reason == "scenario 'ward-round': goto: no node 'nowhere'"


def test_unreachable_node(tmp_path: Path) -> None:
    text = SCENARIO.replace(
        "strongest:", "  - id: orphan\n    ending: true\n    title: T\n    debrief: D\nstrongest:"
    )
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "id: orphan")
    assert "node 'orphan' cannot be reached from start 'opening'" in reason


def test_dead_end_that_is_not_an_ending(tmp_path: Path) -> None:
    text = SCENARIO.replace(
        "strongest:",
        "  - id: stuck\n    text: Nothing to say.\nstrongest:",
    ).replace("goto: opening", "goto: stuck")
    found = findings(tmp_path, text)
    assert (
        line_of(text, "id: stuck"),
        "scenario 'ward-round': node 'stuck' is a dead end: no choices and not an ending",
        "scenario",
    ) in found


def test_a_node_whose_conditions_can_leave_no_choice_is_a_dead_end(tmp_path: Path) -> None:
    # Without its second choice, "worries" offers nothing after a stall (trust -1, then +1).
    start = SCENARIO.index("      - text: Say the rota")
    end = SCENARIO.index("  - id: stalled")
    text = SCENARIO[:start] + SCENARIO[end:]
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "id: worries")
    assert "node 'worries' offers no choice when trust=0, data_shared=false: a dead end" in reason


def test_loop_with_no_way_out(tmp_path: Path) -> None:
    text = SCENARIO.replace(
        "strongest:",
        "  - id: round\n    text: Again.\n    choices:\n"
        "      - text: Once more\n        goto: again\n        principle: options\n"
        "        feedback: No.\n"
        "  - id: again\n    text: And again.\n    choices:\n"
        "      - text: Back\n        goto: round\n        principle: options\n"
        "        feedback: No.\n"
        "strongest:",
    ).replace("goto: opening", "goto: round")
    found = findings(tmp_path, text)
    reasons = {(line, reason) for line, reason, _ in found}
    assert (
        line_of(text, "id: round"),
        "scenario 'ward-round': node 'round' can never reach an ending: a loop with no way out",
    ) in reasons
    # "stalled" now leads only into the loop too
    assert any("node 'stalled' can never reach an ending" in r for _, r in reasons)


def test_condition_on_an_undeclared_variable(tmp_path: Path) -> None:
    text = SCENARIO.replace("if: trust >= 1", "if: rapport >= 1")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "if: rapport")
    assert reason.endswith("variable 'rapport' is not declared in state")


def test_effect_on_an_undeclared_variable(tmp_path: Path) -> None:
    text = SCENARIO.replace("trust: -1", "rapport: -1")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "rapport: -1")
    assert reason.endswith("variable 'rapport' is not declared in state")


def test_effect_of_the_wrong_kind(tmp_path: Path) -> None:
    text = SCENARIO.replace("data_shared: true", "data_shared: 1")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "data_shared: 1")
    assert "'data_shared' is a boolean in state" in reason


def test_a_condition_that_is_not_one(tmp_path: Path) -> None:
    text = SCENARIO.replace("if: trust >= 1", "if: trust >= 1 and data_shared")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "if: trust")
    assert "is not a condition" in reason


def test_ending_without_a_debrief(tmp_path: Path) -> None:
    text = SCENARIO.replace("    debrief: Threats end conversations.\n", "")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, "id: walked-away")
    assert reason == "scenario 'ward-round': ending 'walked-away' has no debrief"


@pytest.mark.parametrize(
    ("strongest", "marker", "message"),
    [
        ("[worries, pilot]", "strongest:", "strongest must begin at start 'opening'"),
        ("[opening, pilot]", "strongest:", "strongest: no choice of 'opening' leads to 'pilot'"),
        ("[opening, worries]", "strongest:", "strongest must end at an ending: 'worries'"),
        (
            "[opening, stalled, opening, worries, pilot]",
            "strongest:",
            "strongest cannot be played: a condition blocks it",
        ),
    ],
)
def test_invalid_strongest(tmp_path: Path, strongest: str, marker: str, message: str) -> None:
    text = SCENARIO.replace("strongest: [opening, worries, pilot]", f"strongest: {strongest}")
    line, reason, _ = _one(tmp_path, text)
    assert line == line_of(text, marker)
    assert reason == f"scenario 'ward-round': {message}"


def test_unknown_principle(tmp_path: Path) -> None:
    text = SCENARIO.replace("principle: batna", "principle: charm")
    line, reason, code = _one(tmp_path, text)
    assert line == line_of(text, "principle: charm")
    assert code == "schema" and "principle" in reason


def test_unknown_key(tmp_path: Path) -> None:
    text = SCENARIO.replace("    role: Consultant", "    rank: Consultant")
    line, reason, code = _one(tmp_path, text)
    assert (line, code) == (line_of(text, "rank:"), "unknown-key")
    assert "unknown key 'rank'" in reason


def test_duplicate_node_id(tmp_path: Path) -> None:
    text = SCENARIO.replace("  - id: walked-away", "  - id: pilot")
    found = findings(tmp_path, text)
    assert (
        line_of(text, "id: pilot", 2),
        "scenario 'ward-round': duplicate node id 'pilot'",
        "scenario",
    ) in found


def test_scenario_ids_are_unique_with_the_module_question_ids(tmp_path: Path) -> None:
    body = QUESTION.format(qid="ward-round")
    write_module(
        tmp_path,
        {
            "01-first.md": lesson_md(body=body),
            "02-second.md": lesson_md(body=scenario_block()),
        },
    )
    _, errors = scan(tmp_path)
    ((error),) = errors
    assert (error.path.name, error.line, error.code) == ("02-second.md", FIRST, "duplicate-id")
    assert error.reason == "duplicate scenario id 'ward-round' (first used at 01-first.md:9)"


def test_reading_time_counts_one_play_not_every_branch() -> None:
    from app.scenarios.build import reading_words

    words = reading_words(SCENARIO)
    # intro 9; opening text 11 + choice 10 + feedback 6; worries text 9 + choice 8 + feedback 6;
    # debrief 5
    assert words == 9 + 11 + 10 + 6 + 9 + 8 + 6 + 5
    assert words < len(SCENARIO.split()) / 2
