"""Content errors name a file, a line and a reason, so an author can fix them without guessing.

Each finding also carries a stable `code` naming its kind, for tools reading
`qiskills content check --json` (the codes are listed in docs/authoring.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

INVALID = "invalid"  # an error no more specific code names

ERROR_CODES: dict[str, str] = {
    "layout": "a file or folder that does not fit the layout, or a module with no lessons",
    "duplicate-name": "two lessons or modules with the same number or slug",
    "encoding": "a file that is not UTF-8",
    "front-matter": "a file without front matter between '---' lines",
    "yaml": "bad YAML, or a key given twice",
    "unknown-key": "a key the schema does not know (often a typo)",
    "missing-key": "a required key left out",
    "schema": "a wrong type or value, or a question that breaks its type's rules",
    "duplicate-id": "an outcome, reference or question id used twice in a module",
    "unknown-id": "a lesson naming an outcome or reference id that module.md does not define",
    "refused-link": "a link that is not http(s), mailto or relative",
    "chart": "a chart the measurement engine cannot draw",
    "scenario": "a scenario whose graph, state or strongest path is wrong (see Scenarios)",
    INVALID: "any other error",
}

WARNING_CODES: dict[str, str] = {
    "lesson-too-long": "a lesson estimated at over 10 minutes",
    "minutes-estimate": "a lesson's stated minutes more than 30% off the estimate",
    "module-minutes": "a module's minutes not equal to the sum of its lessons' minutes",
    "lesson-cites-none": "a lesson with no references and no citation in its text",
    "outcome-unassessed": "an outcome that no lesson with a question lists",
    "image-alt": "an image without alt text",
    "missing-module": "a link to a module that does not exist",
    "broken-link": "a link to a lesson, or an anchor in a lesson, that does not exist",
    "answer-position": "a module's single-choice answers all in one position in the files",
    "pinned-answer-position": "a lesson's single-choice answers all pinned in one position",
}


@dataclass(frozen=True, order=True)
class Finding:
    """A problem at a file and line, with a stable code naming its kind."""

    path: Path
    line: int
    reason: str
    code: str = field(default=INVALID, compare=False)

    severity = "error"
    codes = ERROR_CODES

    def __post_init__(self) -> None:
        if self.code not in self.codes:  # a typo in a code would break tools silently
            raise ValueError(f"unknown {self.severity} code {self.code!r}")

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"

    def as_json(self) -> dict[str, str | int]:
        return {
            "path": str(self.path),
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.reason,
        }


@dataclass(frozen=True, order=True)
class ContentError(Finding):
    """Content that cannot load: the app refuses to start until it is fixed."""


@dataclass(frozen=True, order=True)
class ContentWarning(Finding):
    """Something an author should look at that does not stop the content loading."""

    severity = "warning"
    codes = WARNING_CODES

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.reason}"


class ContentErrors(Exception):
    """Raised when content has any error; carries all of them, not just the first."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))
