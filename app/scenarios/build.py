"""A validated ```scenario spec -> problems (each at a YAML path) or a frozen Scenario.

Pure: no files, no HTTP. `problems` finds every error an author can make that the schema cannot
see (targets, reachability, dead ends, loops with no way out, variables, endings, the strongest
path); `build` renders the Markdown once and is only called when there are none.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

import yaml

from app.catalog.schema import ScenarioChoiceSpec, ScenarioNodeSpec, ScenarioSpec
from app.scenarios import engine
from app.scenarios.engine import BadCondition, InvalidChoice, parse_condition
from app.scenarios.model import Choice, Condition, Node, Scenario

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]
STATE_LIMIT = 5_000  # (node, state) pairs explored before the state-aware checks give up


def problems(spec: ScenarioSpec) -> list[Problem]:
    found: list[Problem] = []
    index: dict[str, int] = {}
    for i, node in enumerate(spec.nodes):
        if node.id in index:
            found.append(((("nodes", i, "id")), f"duplicate node id '{node.id}'"))
        index.setdefault(node.id, i)
    if spec.start not in index:
        found.append((("start",), f"start: no node '{spec.start}'"))
    for i, node in enumerate(spec.nodes):
        found += _node_problems(spec, i, node, index)
    if found:
        return found  # the graph checks need every target to exist
    found += _graph_problems(spec, index)
    if found:
        return found
    found += _strongest_problems(spec, index)
    if not found:
        found += _state_problems(spec, index)
    return found


def _node_problems(
    spec: ScenarioSpec, i: int, node: ScenarioNodeSpec, index: dict[str, int]
) -> list[Problem]:
    at: Loc = ("nodes", i)
    found: list[Problem] = []
    if node.ending:
        if node.choices:
            found.append(((*at, "choices"), f"ending '{node.id}' has choices: an ending has none"))
        if not node.title.strip():
            found.append(((*at, "id"), f"ending '{node.id}' has no title"))
        if not node.debrief.strip():
            found.append(((*at, "id"), f"ending '{node.id}' has no debrief"))
    else:
        if not node.text.strip():
            found.append(((*at, "id"), f"node '{node.id}' has no text"))
        if not node.choices:
            found.append(
                ((*at, "id"), f"node '{node.id}' is a dead end: no choices and not an ending")
            )
        for key in ("title", "debrief"):
            if getattr(node, key).strip():
                found.append(((*at, key), f"node '{node.id}': only an ending has a {key}"))
    if node.condition is not None:
        found += _condition_problems(spec, (*at, "if"), node.condition)
    for j, choice in enumerate(node.choices):
        found += _choice_problems(spec, (*at, "choices", j), choice, index)
    return found


def _choice_problems(
    spec: ScenarioSpec, at: Loc, choice: ScenarioChoiceSpec, index: dict[str, int]
) -> list[Problem]:
    found: list[Problem] = []
    if choice.goto not in index:
        found.append(((*at, "goto"), f"goto: no node '{choice.goto}'"))
    if choice.condition is not None:
        found += _condition_problems(spec, (*at, "if"), choice.condition)
    for var, value in choice.effects.items():
        if var not in spec.state:
            found.append(((*at, "set", var), _undeclared(var)))
        elif isinstance(value, bool) != isinstance(spec.state[var], bool):
            kind = "a boolean" if isinstance(spec.state[var], bool) else "an integer"
            found.append(((*at, "set", var), f"set: '{var}' is {kind} in state"))
    return found


def _condition_problems(spec: ScenarioSpec, at: Loc, text: str) -> list[Problem]:
    try:
        condition = parse_condition(text)
    except BadCondition as exc:
        return [(at, f"if: {exc}")]
    if condition.var not in spec.state:
        return [(at, _undeclared(condition.var))]
    is_flag = condition.op in ("true", "false")
    if is_flag != isinstance(spec.state[condition.var], bool):
        want = "VAR or not VAR" if is_flag else "VAR OP NUMBER"
        kind = "a boolean" if isinstance(spec.state[condition.var], bool) else "an integer"
        return [(at, f"if: '{condition.var}' is {kind}: '{text}' needs {want} the other way")]
    return []


def _undeclared(var: str) -> str:
    return f"variable '{var}' is not declared in state"


def _graph_problems(spec: ScenarioSpec, index: dict[str, int]) -> list[Problem]:
    """Unreachable nodes, and nodes from which no ending can be reached (a loop with no way
    out), on the graph of every choice whatever the conditions."""
    edges = {n.id: [c.goto for c in n.choices] for n in spec.nodes}
    reached = _closure([spec.start], edges)
    found: list[Problem] = [
        (("nodes", i, "id"), f"node '{n.id}' cannot be reached from start '{spec.start}'")
        for i, n in enumerate(spec.nodes)
        if n.id not in reached
    ]
    back: dict[str, list[str]] = {n.id: [] for n in spec.nodes}
    for source, targets in edges.items():
        for target in targets:
            back[target].append(source)
    escapes = _closure([n.id for n in spec.nodes if n.ending], back)
    found += [
        (
            ("nodes", i, "id"),
            f"node '{n.id}' can never reach an ending: a loop with no way out",
        )
        for i, n in enumerate(spec.nodes)
        if n.id in reached and n.id not in escapes
    ]
    return found


def _closure(seeds: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(seeds)
    queue = deque(seeds)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _strongest_problems(spec: ScenarioSpec, index: dict[str, int]) -> list[Problem]:
    path = spec.strongest
    if path[0] != spec.start:
        return [(("strongest", 0), f"strongest must begin at start '{spec.start}'")]
    for k, node_id in enumerate(path):
        if node_id not in index:
            return [(("strongest", k), f"strongest: no node '{node_id}'")]
    for k in range(len(path) - 1):
        node = spec.nodes[index[path[k]]]
        if path[k + 1] not in {c.goto for c in node.choices}:
            reason = f"strongest: no choice of '{path[k]}' leads to '{path[k + 1]}'"
            return [(("strongest", k + 1), reason)]
    if not spec.nodes[index[path[-1]]].ending:
        return [(("strongest", len(path) - 1), f"strongest must end at an ending: '{path[-1]}'")]
    if not _skeleton(spec).strongest_choices:
        return [(("strongest",), "strongest cannot be played: a condition blocks it")]
    return []


def strongest_choices(scenario: Scenario) -> tuple[int, ...] | None:
    """The choice indices that walk the strongest path with its conditions met, if any do."""

    def walk(position: engine.Position, rest: tuple[str, ...]) -> tuple[int, ...] | None:
        if not rest:
            return position.choices
        for i, choice in engine.available(scenario, position):
            if choice.goto == rest[0]:
                found = walk(engine.choose(scenario, position, i), rest[1:])
                if found is not None:
                    return found
        return None

    return walk(engine.start(scenario), scenario.strongest[1:])


def _state_problems(spec: ScenarioSpec, index: dict[str, int]) -> list[Problem]:
    """Play every (node, state) a learner can reach (up to STATE_LIMIT): a node offering no
    choice in some state is a dead end, and a state from which no ending can be reached is a
    loop with no way out that only the conditions make."""
    scenario = _skeleton(spec)
    first = engine.start(scenario)
    key = (first.node_id, first.state)
    edges: dict[tuple, list[tuple]] = {key: []}
    queue = deque([first])
    while queue:
        position = queue.popleft()
        here = (position.node_id, position.state)
        node = engine.current(scenario, position)
        offered = engine.available(scenario, position)
        if not node.ending and not offered:
            return [
                (
                    ("nodes", index[node.id], "id"),
                    f"node '{node.id}' offers no choice when {_describe(position)}: a dead end",
                )
            ]
        for i, _ in offered:
            nxt = engine.choose(scenario, position, i)
            there = (nxt.node_id, nxt.state)
            edges[here].append(there)
            if there not in edges:
                if len(edges) >= STATE_LIMIT:
                    return []  # too many states to judge: the static checks stand
                edges[there] = []
                queue.append(nxt)
    back: dict[tuple, list[tuple]] = {k: [] for k in edges}
    for source, targets in edges.items():
        for target in targets:
            back[target].append(source)
    endings = [k for k in edges if scenario.node(k[0]).ending]
    escapes = _closure(endings, back)  # type: ignore[arg-type]
    for k in edges:
        if k not in escapes:
            position = engine.Position(k[0], k[1])
            reason = (
                f"node '{k[0]}' can never reach an ending when {_describe(position)}: "
                "a loop with no way out"
            )
            return [(("nodes", index[k[0]], "id"), reason)]
    return []


def _describe(position: engine.Position) -> str:
    return ", ".join(f"{k}={str(v).lower()}" for k, v in position.state) or "starting"


def _skeleton(spec: ScenarioSpec) -> Scenario:
    """The scenario without its text: enough to play it."""
    return build(spec, lambda text: "", lambda text: "")


def build(
    spec: ScenarioSpec, block: Callable[[str], str], inline: Callable[[str], str]
) -> Scenario:
    """The frozen Scenario, Markdown rendered once (`block` for passages, `inline` for choices)."""

    def condition(text: str | None) -> Condition | None:
        return parse_condition(text) if text is not None else None

    nodes = tuple(
        Node(
            id=n.id,
            text_html=block(n.text) if n.text.strip() else "",
            speaker=n.speaker,
            role=n.role,
            choices=tuple(
                Choice(
                    text_html=inline(c.text),
                    goto=c.goto,
                    principle=c.principle,
                    feedback_html=block(c.feedback),
                    effects=tuple(c.effects.items()),
                    condition=condition(c.condition),
                )
                for c in n.choices
            ),
            ending=n.ending,
            title=n.title,
            debrief_html=block(n.debrief) if n.debrief.strip() else "",
            condition=condition(n.condition),
        )
        for n in spec.nodes
    )
    scenario = Scenario(
        id=spec.id,
        title=spec.title,
        intro_html=block(spec.intro) if spec.intro.strip() else "",
        start=spec.start,
        state=tuple(spec.state.items()),
        nodes=nodes,
        strongest=tuple(spec.strongest),
    )
    try:
        walked = strongest_choices(scenario)
    except (InvalidChoice, KeyError):
        walked = None
    if walked is None:
        return scenario
    return replace(scenario, strongest_choices=walked, by_id={})


def reading_words(text: str) -> int:
    """The words a learner reads in one play of a (valid) scenario block: the intro, then along
    the strongest path each node's text, the choice taken and its feedback, and the debrief.
    The reading-time check counts these, not every branch."""
    data = yaml.safe_load(text)
    nodes = {n["id"]: n for n in data["nodes"]}
    parts = [data.get("intro", "")]
    path = data["strongest"]
    for here, there in pairwise(path):
        node = nodes[here]
        choice = next(c for c in node["choices"] if c["goto"] == there)
        parts += [node.get("text", ""), choice["text"], choice["feedback"]]
    parts.append(nodes[path[-1]].get("debrief", ""))
    return sum(len(str(p).split()) for p in parts)
