"""What the app reads of a scenario: frozen, Markdown already rendered to HTML at load."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Value = int | bool  # a state variable's value: integers add, booleans set

# `principle:` values and the names learners see (docs/authoring.md, "Scenarios").
PRINCIPLES: dict[str, str] = {
    "people-problem": "Separate the people from the problem (Fisher and Ury)",
    "interests": "Focus on interests, not positions (Fisher and Ury)",
    "options": "Invent options for mutual gain (Fisher and Ury)",
    "criteria": "Insist on objective criteria (Fisher and Ury)",
    "batna": "Know your BATNA, the best alternative to a negotiated agreement (Fisher and Ury)",
    "psychological-safety": "Psychological safety (Edmondson, 1999)",
    "power-interest": "Stakeholder power and interest (Mendelow)",
}


@dataclass(frozen=True, slots=True)
class Condition:
    """`VAR` (op "true"), `not VAR` (op "false"), or `VAR OP NUMBER`."""

    var: str
    op: Literal["true", "false", "==", "!=", ">=", "<=", ">", "<"]
    number: int = 0
    source: str = ""  # as written, for messages


@dataclass(frozen=True, slots=True)
class Choice:
    text_html: str
    goto: str
    principle: str
    feedback_html: str
    effects: tuple[tuple[str, Value], ...] = ()
    condition: Condition | None = None

    @property
    def principle_name(self) -> str:
        return PRINCIPLES.get(self.principle, self.principle)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    text_html: str = ""
    speaker: str = ""
    role: str = ""
    choices: tuple[Choice, ...] = ()
    ending: bool = False
    title: str = ""  # an ending's
    debrief_html: str = ""  # an ending's
    condition: Condition | None = None  # reachable only when true (rare)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    intro_html: str
    start: str
    state: tuple[tuple[str, Value], ...]  # variables and their starting values, as declared
    nodes: tuple[Node, ...]
    strongest: tuple[str, ...]  # node ids from start to an ending
    strongest_choices: tuple[int, ...] = ()  # the choice indices that walk `strongest`
    by_id: dict[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update({n.id: n for n in self.nodes})

    def node(self, node_id: str) -> Node:
        return self.by_id[node_id]


@dataclass(frozen=True, slots=True)
class ScenarioBlock:
    scenario: Scenario
    kind: Literal["scenario"] = "scenario"
