"""Playing a scenario, as pure functions: a run is the list of choice indices taken from the
start, and replaying it rebuilds the node, the state and the path (traversal is deterministic).

A choice's index is its place in its node's `choices` as written, whether or not it is offered,
so a stored run means the same thing however the state hides other choices.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.scenarios.model import Choice, Condition, Node, Scenario, Value

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_FLAG = re.compile(rf"^\s*(?P<not>not\s+)?(?P<var>{_NAME})\s*$")
_COMPARE = re.compile(rf"^\s*(?P<var>{_NAME})\s*(?P<op>==|!=|>=|<=|>|<)\s*(?P<num>[+-]?\d+)\s*$")
VARIABLE = re.compile(rf"^{_NAME}$")


class BadCondition(ValueError):
    """A condition that is not `VAR`, `not VAR` or `VAR OP NUMBER`."""


class InvalidChoice(ValueError):
    """A choice that does not exist here, or is not offered in this state."""


def parse_condition(text: str) -> Condition:
    """The tiny condition language; never eval()."""
    if not isinstance(text, str):
        raise BadCondition("a condition must be text such as 'trust >= 1' or 'not data_shared'")
    if m := _FLAG.match(text):
        if m["var"] == "not":
            raise BadCondition(f"'{text}': 'not' needs a variable after it")
        return Condition(m["var"], "false" if m["not"] else "true", 0, text.strip())
    if m := _COMPARE.match(text):
        return Condition(m["var"], m["op"], int(m["num"]), text.strip())  # type: ignore[arg-type]
    raise BadCondition(
        f"'{text}' is not a condition: write VAR, not VAR, or VAR OP NUMBER "
        "with OP one of == != >= <= > < (one comparison only)"
    )


def holds(condition: Condition | None, state: Mapping[str, Value]) -> bool:
    if condition is None:
        return True
    value = state[condition.var]
    if condition.op == "true":
        return bool(value)
    if condition.op == "false":
        return not value
    n = condition.number
    return {
        "==": value == n,
        "!=": value != n,
        ">=": value >= n,
        "<=": value <= n,
        ">": value > n,
        "<": value < n,
    }[condition.op]


def apply(effects: Iterable[tuple[str, Value]], state: Mapping[str, Value]) -> dict[str, Value]:
    """An integer adds (1 adds one, -1 takes one away); a boolean sets."""
    new = dict(state)
    for var, value in effects:
        new[var] = value if isinstance(value, bool) else int(new[var]) + value
    return new


@dataclass(frozen=True)
class Position:
    """Where a run stands: the node, the state, and the (node id, choice index) pairs taken."""

    node_id: str
    state: tuple[tuple[str, Value], ...]
    path: tuple[tuple[str, int], ...] = ()

    @property
    def values(self) -> dict[str, Value]:
        return dict(self.state)

    @property
    def choices(self) -> tuple[int, ...]:
        return tuple(i for _, i in self.path)


def start(scenario: Scenario) -> Position:
    return Position(scenario.start, tuple(scenario.state))


def current(scenario: Scenario, position: Position) -> Node:
    return scenario.node(position.node_id)


def offered(scenario: Scenario, choice: Choice, state: Mapping[str, Value]) -> bool:
    """Offered when its own condition holds and so does its target node's."""
    return holds(choice.condition, state) and holds(scenario.node(choice.goto).condition, state)


def available(scenario: Scenario, position: Position) -> list[tuple[int, Choice]]:
    """The choices offered at this position, each with its index as written."""
    node = current(scenario, position)
    state = position.values
    return [(i, c) for i, c in enumerate(node.choices) if offered(scenario, c, state)]


def choose(scenario: Scenario, position: Position, index: int) -> Position:
    node = current(scenario, position)
    if not 0 <= index < len(node.choices):
        raise InvalidChoice(f"node '{node.id}' has no choice {index}")
    choice = node.choices[index]
    state = position.values
    if not offered(scenario, choice, state):
        raise InvalidChoice(f"choice {index} of node '{node.id}' is not offered now")
    new_state = apply(choice.effects, state)
    return Position(
        choice.goto,
        tuple((k, new_state[k]) for k, _ in position.state),
        (*position.path, (node.id, index)),
    )


def replay(scenario: Scenario, indices: Iterable[int]) -> Position:
    """The position after these choices from the start (InvalidChoice if one is not offered)."""
    position = start(scenario)
    for index in indices:
        position = choose(scenario, position, index)
    return position


def ended(scenario: Scenario, position: Position) -> bool:
    return current(scenario, position).ending


def steps(scenario: Scenario, position: Position) -> list[tuple[Node, Choice]]:
    """The path as (node, choice taken there) pairs, for the debrief."""
    return [(scenario.node(n), scenario.node(n).choices[i]) for n, i in position.path]


def parse_run(text: str) -> tuple[int, ...]:
    """'0,2,1' -> (0, 2, 1); '' -> (). ValueError on anything else."""
    if not text.strip():
        return ()
    parts = text.split(",")
    if len(parts) > 500 or not all(
        p.strip().isascii() and p.strip().isdigit() and len(p.strip()) <= 3 for p in parts
    ):
        raise ValueError(f"not a run: {text[:40]!r}")
    return tuple(int(p) for p in parts)


def format_run(indices: Iterable[int]) -> str:
    return ",".join(str(i) for i in indices)
