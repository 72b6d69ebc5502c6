"""An educator's draft lesson, checked and rendered by the real pipeline before it goes to git.

The draft is written beside a copy of its module's module.md in a temporary folder, so every rule
that `content check` applies (outcome and reference ids included) applies here, and errors carry
the draft's own line numbers. The warnings that judge a lesson on its own are shown too; those
that need the rest of the module (links, module minutes, outcomes, answer positions across the
module) are left to `qiskills content check`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from app.catalog.errors import ContentWarning
from app.catalog.loader import NAME, check
from app.catalog.parse import read_source
from app.catalog.schema import Lesson, Module

MAX_DRAFT = 200_000  # characters: far beyond any 10-minute lesson
DRAFT_NAME = "99-draft-preview.md"
DRAFT_WARNINGS = frozenset(  # the warning codes that judge a lesson on its own
    {"lesson-too-long", "minutes-estimate", "lesson-cites-none", "image-alt"}
    | {"pinned-answer-position"}
)


@dataclass(frozen=True)
class Preview:
    lesson: Lesson | None
    errors: list[tuple[int, str]]  # (line, reason) in the draft, or line 0 for module.md
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) in the draft


def module_folder(content_dir: Path, module: Module) -> Path:
    return Path(content_dir) / "modules" / f"{module.position:02d}-{module.slug}"


def preview_lesson(content_dir: Path, module: Module, draft: str) -> Preview:
    if len(draft) > MAX_DRAFT:
        return Preview(None, [(1, f"The draft is over {MAX_DRAFT:,} characters")])
    source = module_folder(content_dir, module)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / source.name
        folder.mkdir()
        (folder / "module.md").write_text(_without_changelog(source / "module.md"), "utf-8")
        (folder / DRAFT_NAME).write_text(draft.replace("\r\n", "\n"), encoding="utf-8")
        report = check(folder)
    modules, errors = report.modules, report.errors
    mine = [(e.line, e.reason) for e in errors if e.path.name == DRAFT_NAME]
    others = [(0, f"module.md: {e.reason}") for e in errors if e.path.name != DRAFT_NAME]
    if errors or not modules:
        return Preview(None, sorted(mine) + others)
    warnings = [
        (w.line, w.reason)
        for w in report.warnings
        if w.path.name == DRAFT_NAME and w.code in DRAFT_WARNINGS
    ]
    return Preview(modules[0].lesson(DRAFT_NAME.removesuffix(".md")[3:]), [], warnings)


def _without_changelog(module_md: Path) -> str:
    """module.md without its changelog: its entries name the module's lessons, which the draft's
    folder does not hold (each would be an error), and none of them is about the draft."""
    text = module_md.read_text(encoding="utf-8")
    source, _ = read_source(module_md)
    data = yaml.safe_load(source.front) if source is not None else None
    if source is None or not isinstance(data, dict) or "changelog" not in data:
        return text
    del data["changelog"]
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{source.body}"


def warnings_by_module(content_dir: Path, version: str) -> dict[str, list[ContentWarning]]:
    """`content check`'s warnings for the loaded content, by module slug. Cached per content
    version (a changed file is a new version), so the /author page checks once, not per visit."""
    return _warnings(str(Path(content_dir).resolve()), version)


@lru_cache(maxsize=4)
def _warnings(content_dir: str, version: str) -> dict[str, list[ContentWarning]]:
    root = Path(content_dir)
    out: dict[str, list[ContentWarning]] = {}
    for warning in check(root).warnings:
        folder = warning.path if warning.path.is_dir() else warning.path.parent
        match = NAME.match(folder.name)
        slug = match["slug"] if match else ""
        shown = replace(warning, path=_relative(warning.path, root))
        out.setdefault(slug, []).append(shown)
    return out


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root)
    except ValueError:
        return path
