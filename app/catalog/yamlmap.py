"""YAML parsing that remembers where every key and list item stood, so errors can name a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.catalog.errors import ContentError

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YamlDoc:
    data: Any
    lines: dict[Loc, int]  # path inside the document -> absolute 1-based line
    first_line: int

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest part of `loc` that exists in the document."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return self.first_line


# libyaml parses the whole course about ten times faster than pure Python: the catalog loads at
# every start-up and every preview reload. A document it refuses is parsed again in Python, whose
# messages ("while parsing a flow sequence ...") are the ones authors and tests know.
_FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    try:
        return yaml.compose(text, Loader=_FAST), yaml.load(text, Loader=_FAST)  # nosec B506  # a safe loader
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def load_yaml(text: str, path: Path, first_line: int) -> tuple[YamlDoc | None, list[ContentError]]:
    """Parse `text`, whose first line is line `first_line` of `path`."""
    try:
        node, data = _parse(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and exc.context_mark and mark.line >= len(text.splitlines()):
            mark = (
                exc.context_mark
            )  # "got end of stream": where the unclosed thing began helps more
        line = first_line + (mark.line if mark else 0)
        problem = "; ".join(p for p in (exc.context, exc.problem) if p)
        return None, [ContentError(path, line, f"bad YAML: {problem}", "yaml")]
    except yaml.YAMLError as exc:
        return None, [ContentError(path, first_line, f"bad YAML: {exc}", "yaml")]
    lines: dict[Loc, int] = {}
    errors: list[ContentError] = []
    if node is not None:
        _walk(node, (), first_line - 1, lines, errors, path)
    return YamlDoc(data, lines, first_line), errors


def _walk(
    node: yaml.Node,
    loc: Loc,
    offset: int,
    lines: dict[Loc, int],
    errors: list[ContentError],
    path: Path,
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = offset + key_node.start_mark.line + 1
            if key in seen:
                errors.append(ContentError(path, line, f"duplicate key '{key}'", "yaml"))
            seen.add(key)
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), offset, lines, errors, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = offset + item.start_mark.line + 1
            _walk(item, (*loc, i), offset, lines, errors, path)


def validate(
    model: type[M], doc: YamlDoc, path: Path, what: str
) -> tuple[M | None, list[ContentError]]:
    """Validate a document against a strict model, turning each problem into a ContentError."""
    if not isinstance(doc.data, dict):
        return None, [
            ContentError(path, doc.first_line, f"{what} must be a YAML mapping of keys", "schema")
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, [
            ContentError(path, doc.line_of(tuple(e["loc"])), _reason(e, what), _code(e))
            for e in exc.errors()
        ]


def _code(error: Any) -> str:
    """The finding code of a validation problem (see docs/authoring.md, "Checking content")."""
    return {"extra_forbidden": "unknown-key", "missing": "missing-key"}.get(error["type"], "schema")


def _reason(error: Any, what: str) -> str:
    loc = tuple(error["loc"])
    where = ".".join(str(p) for p in loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1]}' in {what}"
    if kind == "missing":
        return f"missing required key '{where}' in {what}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{what}: {where}: {message}" if where else f"{what}: {message}"
