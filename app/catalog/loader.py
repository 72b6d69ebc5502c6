"""content/ -> Catalog: checks the layout and every file, collecting all errors before failing."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from app.catalog.checks import LessonSource, ModuleSource, content_warnings
from app.catalog.errors import ContentError, ContentErrors, ContentWarning
from app.catalog.parse import ParsedLesson, ParsedModule, parse_lesson, parse_module
from app.catalog.schema import (
    Change,
    Lesson,
    LessonSpec,
    Module,
    ModuleSpec,
    Outcome,
    Reference,
)

NAME = re.compile(r"^(?P<pos>[0-9]{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
MODULE_FILE = "module.md"


@dataclass(frozen=True)
class Catalog:
    """Every module in order. Built once at start-up and never changed, so it is safe to share."""

    modules: tuple[Module, ...]
    by_slug: dict[str, Module] = field(repr=False)

    @classmethod
    def of(cls, modules: list[Module]) -> Catalog:
        ordered = tuple(sorted(modules, key=lambda m: m.position))
        return cls(ordered, {m.slug: m for m in ordered})

    def module(self, slug: str) -> Module | None:
        return self.by_slug.get(slug)

    def lesson(self, module_slug: str, lesson_slug: str) -> tuple[Module, Lesson] | None:
        module = self.by_slug.get(module_slug)
        lesson = module.lesson(lesson_slug) if module else None
        return (module, lesson) if module and lesson else None

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return tuple(lesson for m in self.modules for lesson in m.lessons)

    @cached_property
    def for_learners(self) -> Catalog:
        """The catalog without drafts: what trainees, supervisors and every record see.

        A draft module goes with all its lessons; a draft lesson leaves its module; a module
        left with no lessons goes too. Built once per catalog (it never changes)."""
        modules = [
            replace(m, lessons=tuple(lesson for lesson in m.lessons if not lesson.draft))
            for m in self.modules
            if not m.draft
        ]
        modules = [m for m in modules if m.lessons]
        if len(modules) == len(self.modules) and len(self.lessons) == sum(
            len(m.lessons) for m in modules
        ):
            return self
        return Catalog.of(modules)

    @property
    def has_drafts(self) -> bool:
        return self.for_learners is not self

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for m in self.modules:
            digest.update(m.version.encode())
            for lesson in m.lessons:
                digest.update(lesson.version.encode())
        return digest.hexdigest()


def load_catalog(content_dir: Path) -> Catalog:
    """Load all of content/; raise ContentErrors naming every problem if there is any."""
    modules, errors = scan(content_dir)
    if errors:
        raise ContentErrors(errors)
    return Catalog.of(modules)


@dataclass
class Report:
    """What `content check` reports: the modules that loaded, errors, and warnings."""

    modules: list[Module]
    errors: list[ContentError]
    warnings: list[ContentWarning]


def scan(path: Path) -> tuple[list[Module], list[ContentError]]:
    """Check a content directory, its modules/ folder, or one module folder (or a file in it)."""
    report = check(path, warnings=False)
    return report.modules, report.errors


def check(path: Path, *, warnings: bool = True) -> Report:
    """scan, with the warnings too (they never stop the content loading)."""
    path = Path(path)
    if path.is_file():
        path = path.parent
    if (path / MODULE_FILE).exists():
        module_dirs, root = [path], path.parent
    elif (path / "modules").is_dir():
        module_dirs, errors = _module_dirs(path / "modules")
        root = path / "modules"
    elif path.is_dir() and path.name == "modules":
        module_dirs, errors = _module_dirs(path)
        root = path
    else:
        missing = ContentError(path, 1, "no content here: expected a modules/ folder", "layout")
        return Report([], [missing], [])
    if len(module_dirs) == 1 and (path / MODULE_FILE).exists():
        errors = []
    modules: list[Module] = []
    sources: list[ModuleSource] = []
    for module_dir in module_dirs:
        module, module_errors, source = _load_module(module_dir)
        errors += module_errors
        if module is not None and source is not None:
            modules.append(module)
            sources.append(source)
    errors += _clashes(modules, module_dirs)
    found = content_warnings(sources, _known_pages(root)) if warnings else []
    return Report(modules, errors, found)


def _known_pages(root: Path) -> dict[str, set[str]]:
    """Module slug -> lesson slugs, from the folder names beside the module(s) checked, so a
    link to another module is judged even when one module folder is checked alone."""
    known: dict[str, set[str]] = {}
    for folder in _visible(root) if root.is_dir() else []:
        match = NAME.match(folder.name)
        if folder.is_dir() and match and (folder / MODULE_FILE).is_file():
            known[match["slug"]] = {
                m["slug"]
                for f in _visible(folder)
                if f.suffix == ".md" and (m := NAME.match(f.stem)) is not None
            }
    return known


def _visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _module_dirs(modules_dir: Path) -> tuple[list[Path], list[ContentError]]:
    dirs, errors = [], []
    for entry in _visible(modules_dir):
        if not entry.is_dir():
            errors.append(
                ContentError(entry, 1, "only module folders belong in modules/", "layout")
            )
        elif not NAME.match(entry.name):
            errors.append(
                ContentError(
                    entry, 1, "a module folder must be named NN-slug, e.g. 02-run-charts", "layout"
                )
            )
        else:
            dirs.append(entry)
    return dirs, errors


def _load_module(folder: Path) -> tuple[Module | None, list[ContentError], ModuleSource | None]:
    match = NAME.match(folder.name)
    if match is None:
        named = ContentError(folder, 1, "a module folder must be named NN-slug", "layout")
        return None, [named], None
    module_file = folder / MODULE_FILE
    if not module_file.is_file():
        return None, [ContentError(folder, 1, f"the module has no {MODULE_FILE}", "layout")], None
    parsed, errors = parse_module(module_file)
    lessons: list[tuple[Path, int, str, ParsedLesson]] = []
    for entry in _visible(folder):
        if entry.name == MODULE_FILE:
            continue
        name = NAME.match(entry.stem) if entry.suffix == ".md" else None
        if not entry.is_file() or name is None:
            errors.append(
                ContentError(
                    entry, 1, "a lesson must be a file named NN-slug.md, e.g. 01-aims.md", "layout"
                )
            )
            continue
        lesson, lesson_errors = parse_lesson(entry)
        errors += lesson_errors
        if lesson is not None:
            lessons.append((entry, int(name["pos"]), name["slug"], lesson))
    if not lessons and not errors:
        errors.append(ContentError(module_file, 1, "the module has no lessons", "layout"))
    errors += _lesson_rules(parsed.spec if parsed else None, lessons)
    errors += _changelog_errors(module_file, parsed, lessons)
    if errors or parsed is None:
        return None, errors, None
    slug = match["slug"]
    in_order = sorted(lessons, key=lambda x: x[1])
    source = ModuleSource(
        module_file,
        slug,
        parsed,
        tuple(LessonSource(path, lesson_slug, lesson) for path, _, lesson_slug, lesson in in_order),
    )
    spec = parsed.spec
    module = Module(
        slug=slug,
        position=int(match["pos"]),
        title=spec.title,
        summary=spec.summary,
        minutes=spec.minutes,
        pass_mark=spec.pass_mark,
        outcomes=tuple(Outcome(o.id, o.text, tuple(o.gpc), tuple(o.rcp)) for o in spec.outcomes),
        references=tuple(
            Reference(r.id, r.citation, str(r.url) if r.url else None) for r in spec.references
        ),
        intro_html=parsed.intro_html,
        version=parsed.version,
        draft=spec.status == "draft",
        changelog=tuple(
            Change(c.date, c.lesson, c.change == "major", c.note) for c in spec.changelog
        ),
        lessons=tuple(
            Lesson(
                slug=lesson_slug,
                module_slug=slug,
                position=pos,
                title=spec_of(lesson).title,
                minutes=spec_of(lesson).minutes,
                outcome_ids=tuple(spec_of(lesson).outcomes),
                reference_ids=tuple(spec_of(lesson).references),
                blocks=tuple(lesson.blocks),
                version=lesson.version,
                draft=spec_of(lesson).status == "draft",
            )
            for _, pos, lesson_slug, lesson in in_order
        ),
    )
    return module, [], source


def spec_of(lesson: ParsedLesson) -> LessonSpec:
    assert lesson.spec is not None, "a lesson without valid front matter always has an error"
    return lesson.spec


def _lesson_rules(
    spec: ModuleSpec | None, lessons: list[tuple[Path, int, str, ParsedLesson]]
) -> list[ContentError]:
    """Rules across a module's files: unique positions, slugs and question ids; known ids."""
    errors: list[ContentError] = []
    known_ids = {
        "outcomes": {o.id for o in spec.outcomes} if spec else None,
        "references": {r.id for r in spec.references} if spec else None,
    }
    positions: dict[int, Path] = {}
    slugs: dict[str, Path] = {}
    question_ids: dict[str, tuple[Path, int]] = {}
    for path, pos, slug, lesson in sorted(lessons, key=lambda x: x[0].name):
        if pos in positions:
            errors.append(
                ContentError(
                    path,
                    1,
                    f"lesson number {pos:02d} is also used by {positions[pos].name}",
                    "duplicate-name",
                )
            )
        positions.setdefault(pos, path)
        if slug in slugs:
            errors.append(
                ContentError(
                    path,
                    1,
                    f"lesson slug '{slug}' is also used by {slugs[slug].name}",
                    "duplicate-name",
                )
            )
        slugs.setdefault(slug, path)
        for key, known in known_ids.items():
            for ident in getattr(lesson.spec, key, ()):
                if known is not None and ident not in known:
                    errors.append(
                        ContentError(
                            path,
                            lesson.lines.get(key, 1),
                            f"unknown {key[:-1]} id '{ident}': module.md does not define it",
                            "unknown-id",
                        )
                    )
        ids = [(q.question.id, q.line, "question") for q in lesson.questions]
        ids += [(s.scenario.id, s.line, "scenario") for s in lesson.scenarios]
        for ident, line, what in ids:  # questions and scenarios share one id namespace
            if ident in question_ids:
                other, other_line = question_ids[ident]
                errors.append(
                    ContentError(
                        path,
                        line,
                        f"duplicate {what} id '{ident}' (first used at {other.name}:{other_line})",
                        "duplicate-id",
                    )
                )
            else:
                question_ids[ident] = (path, line)
    return errors


def _changelog_errors(
    module_file: Path,
    parsed: ParsedModule | None,
    lessons: list[tuple[Path, int, str, ParsedLesson]],
) -> list[ContentError]:
    """A changelog entry must name a lesson of this module (by its slug), or none for all."""
    if parsed is None:
        return []
    slugs = {slug for _, _, slug, _ in lessons}
    return [
        ContentError(
            module_file,
            parsed.lines.get(("changelog", i, "lesson"), 1),
            f"changelog: no lesson '{entry.lesson}' in this module "
            f"(lessons: {', '.join(sorted(slugs)) or 'none'})",
        )
        for i, entry in enumerate(parsed.spec.changelog)
        if entry.lesson is not None and entry.lesson not in slugs
    ]


def _clashes(modules: list[Module], dirs: list[Path]) -> list[ContentError]:
    errors: list[ContentError] = []
    by_pos: dict[int, str] = {}
    by_slug: dict[str, str] = {}
    for folder in dirs:
        match = NAME.match(folder.name)
        if match is None:
            continue
        pos, slug = int(match["pos"]), match["slug"]
        if pos in by_pos:
            errors.append(
                ContentError(
                    folder,
                    1,
                    f"module number {pos:02d} is also used by {by_pos[pos]}",
                    "duplicate-name",
                )
            )
        if slug in by_slug:
            errors.append(
                ContentError(
                    folder,
                    1,
                    f"module slug '{slug}' is also used by {by_slug[slug]}",
                    "duplicate-name",
                )
            )
        by_pos.setdefault(pos, folder.name)
        by_slug.setdefault(slug, folder.name)
    return errors
