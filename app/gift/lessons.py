"""Moving question banks in and out of lesson files, all or nothing.

`import_gift` appends a GIFT file's questions to a lesson as ```question blocks, but only after
the whole module, with the new blocks in it, passes the same checks as `content check`: a file
with any unsupported or invalid question changes nothing. `export_gift` writes every question of
a lesson, a module or the whole content as GIFT.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.catalog.loader import MODULE_FILE, check
from app.gift.convert import Spec, from_spec, to_specs
from app.gift.syntax import GiftError, GiftQuestion, parse, write

FENCE = re.compile(r"^```question[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


def question_blocks(markdown: str) -> list[tuple[int, Spec]]:
    """(line, YAML mapping) of each ```question block in a lesson's Markdown."""
    found = []
    for match in FENCE.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        spec = yaml.safe_load(match.group(1))
        if isinstance(spec, dict):
            found.append((line, spec))
    return found


def lesson_files(path: Path) -> list[Path]:
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.md") if p.name != MODULE_FILE)


@dataclass
class Exported:
    text: str
    skipped: list[str] = field(default_factory=list)  # "path:line: why"


def export_gift(path: Path) -> Exported:
    questions: list[GiftQuestion] = []
    skipped: list[str] = []
    for lesson in lesson_files(path):
        for line, spec in question_blocks(lesson.read_text(encoding="utf-8")):
            found = from_spec(spec, line)
            if isinstance(found, str):
                skipped.append(f"{lesson}:{line}: {found}")
            else:
                questions.append(found)
    return Exported(write(questions) if questions else "", skipped)


def render_blocks(specs: list[Spec]) -> str:
    blocks = []
    for spec in specs:
        body = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)
        blocks.append(f"```question\n{body}```\n")
    return "\n".join(blocks)


def import_gift(gift_file: Path, lesson: Path, notes: list[str] | None = None) -> list[str]:
    """Append the questions; returns the problems ("path:line: reason") and writes nothing if
    there are any. What the conversion could not keep goes to `notes`."""
    try:
        questions = parse(gift_file.read_text(encoding="utf-8"))
    except GiftError as error:
        return [f"{gift_file}:{error.line}: {error.reason}"]
    if not questions:
        return [f"{gift_file}:1: no questions found"]
    module = lesson.parent
    taken = {
        str(spec.get("id"))
        for other in lesson_files(module)
        for _, spec in question_blocks(other.read_text(encoding="utf-8"))
    }
    try:
        specs = to_specs(questions, taken, prefix=lesson.stem[3:], notes=notes)
    except GiftError as error:
        return [f"{gift_file}:{error.line}: {error.reason}"]
    text = lesson.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + render_blocks(specs)
    problems = _problems_with(module, lesson.name, text)
    if problems:
        return problems
    lesson.write_text(text, encoding="utf-8")
    return []


def _problems_with(module: Path, lesson_name: str, text: str) -> list[str]:
    """The module's errors if the lesson read `text`, checked on a copy (nothing is touched)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "modules" / module.name
        shutil.copytree(module, copy)
        (copy / lesson_name).write_text(text, encoding="utf-8")
        report = check(copy)
    return [f"{module / Path(e.path).name}:{e.line}: {e.reason}" for e in report.errors]
