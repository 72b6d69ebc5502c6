"""The scenario engine as pure functions: traversal, state, conditions and replay."""

from __future__ import annotations

import pytest

from app.scenarios import engine
from app.scenarios.engine import BadCondition, InvalidChoice, parse_condition
from app.scenarios.model import Choice, Condition, Node, Scenario


def _choice(goto: str, principle: str = "interests", **kw) -> Choice:
    return Choice(f"to {goto}", goto, principle, "because", **kw)


def scenario() -> Scenario:
    """opening -> worries (trust +1) or -> stalled; worries offers the pilot only with trust >= 1
    and shared data; stalled loops back to opening."""
    return Scenario(
        id="s",
        title="S",
        intro_html="",
        start="opening",
        state=(("trust", 0), ("data_shared", False)),
        nodes=(
            Node(
                "opening",
                "<p>Why change?</p>",
                choices=(
                    _choice("worries", effects=(("trust", 1),)),
                    _choice("stalled", "batna", effects=(("trust", -1),)),
                ),
            ),
            Node(
                "worries",
                "<p>Worried</p>",
                choices=(
                    _choice("pilot", "options", condition=parse_condition("trust >= 1")),
                    _choice("worries", "criteria", effects=(("data_shared", True),)),
                    _choice("refused"),
                ),
            ),
            Node("stalled", "<p>Stalled</p>", choices=(_choice("opening"),)),
            Node(
                "pilot",
                ending=True,
                title="Pilot",
                debrief_html="<p>Good</p>",
                condition=parse_condition("data_shared"),
            ),
            Node("refused", ending=True, title="Refused", debrief_html="<p>No</p>"),
        ),
        strongest=("opening", "worries", "worries", "pilot"),
    )


def test_start_is_the_start_node_with_declared_state() -> None:
    s = scenario()
    pos = engine.start(s)
    assert pos.node_id == "opening"
    assert pos.values == {"trust": 0, "data_shared": False}
    assert pos.path == ()
    assert not engine.ended(s, pos)


def test_integers_add_and_booleans_set() -> None:
    s = scenario()
    pos = engine.replay(s, [0, 1])
    assert pos.values == {"trust": 1, "data_shared": True}
    pos = engine.replay(s, [1, 0, 1, 0])  # stalled takes one away, then round again
    assert pos.values["trust"] == -2 and pos.node_id == "opening"


def test_conditions_on_choices_and_on_target_nodes_decide_what_is_offered() -> None:
    s = scenario()
    # trust 1 but no data shared: the pilot node's own condition hides the choice
    assert [i for i, _ in engine.available(s, engine.replay(s, [0]))] == [1, 2]
    # with data shared, it is offered
    assert [i for i, _ in engine.available(s, engine.replay(s, [0, 1]))] == [0, 1, 2]
    with pytest.raises(InvalidChoice):
        engine.replay(s, [0, 0])


def test_replay_is_deterministic_and_records_the_path() -> None:
    s = scenario()
    pos = engine.replay(s, [0, 1, 0])
    assert pos == engine.replay(s, (0, 1, 0))
    assert pos.node_id == "pilot" and engine.ended(s, pos)
    assert pos.path == (("opening", 0), ("worries", 1), ("worries", 0))
    assert pos.choices == (0, 1, 0)
    steps = engine.steps(s, pos)
    assert [(n.id, c.principle) for n, c in steps] == [
        ("opening", "interests"),
        ("worries", "criteria"),
        ("worries", "options"),
    ]


def test_no_choice_beyond_the_node_or_after_an_ending() -> None:
    s = scenario()
    with pytest.raises(InvalidChoice):
        engine.replay(s, [5])
    with pytest.raises(InvalidChoice):
        engine.replay(s, [0, 2, 0])  # "refused" is an ending: it has no choices


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("trust >= 1", Condition("trust", ">=", 1, "trust >= 1")),
        ("trust<-2", Condition("trust", "<", -2, "trust<-2")),
        ("count == 0", Condition("count", "==", 0, "count == 0")),
        ("x != 3", Condition("x", "!=", 3, "x != 3")),
        ("data_shared", Condition("data_shared", "true", 0, "data_shared")),
        ("not data_shared", Condition("data_shared", "false", 0, "not data_shared")),
    ],
)
def test_conditions_parse(text: str, expected: Condition) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize(
    "text",
    ["trust >= 1 and x", "__import__('os')", "trust >= one", "trust = 1", "not", "", "1 < trust"],
)
def test_anything_else_is_not_a_condition(text: str) -> None:
    with pytest.raises(BadCondition):
        parse_condition(text)


@pytest.mark.parametrize(
    ("text", "state", "result"),
    [
        ("trust >= 1", {"trust": 1}, True),
        ("trust >= 1", {"trust": 0}, False),
        ("trust > 1", {"trust": 1}, False),
        ("trust < 0", {"trust": -1}, True),
        ("trust <= 0", {"trust": 0}, True),
        ("trust == 2", {"trust": 2}, True),
        ("trust != 2", {"trust": 2}, False),
        ("ok", {"ok": True}, True),
        ("not ok", {"ok": True}, False),
    ],
)
def test_conditions_hold(text: str, state: dict, result: bool) -> None:
    assert engine.holds(parse_condition(text), state) is result


def test_runs_parse_and_format() -> None:
    assert engine.parse_run("") == ()
    assert engine.parse_run("0,2,1") == (0, 2, 1)
    assert engine.format_run((0, 2, 1)) == "0,2,1"
    for bad in ("a", "1,,2", "-1", "1;2"):
        with pytest.raises(ValueError):
            engine.parse_run(bad)
