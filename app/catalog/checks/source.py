"""What the checks read: each loaded module's parsed files, their prose, and the site's pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from app.catalog.parse import (
    CHART_INFO,
    QUESTION_INFO,
    SCENARIO_INFO,
    ParsedLesson,
    ParsedModule,
    read_source,
)
from app.catalog.render import make_markdown
from app.scenarios.build import reading_words

# Anchors every lesson page has besides one per question ("q-<id>"): see
# app/templates/base.html and partials/_lesson.html, _lesson_done.html.
LESSON_PAGE_ANCHORS = frozenset({"main-content", "lesson-title", "lesson-done", "reflection"})

# A citation in the text: a year in brackets, e.g. "(Langley et al., 2009)" or "Perla (2011)".
CITATION = re.compile(r"\([^()]*\b(?:1[6-9]|20)[0-9]{2}[a-z]?\)")


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    line: int


@dataclass(frozen=True)
class Prose:
    """A file's Markdown body as read by a person: words outside question and chart blocks,
    images with their lines, and whether it cites a source anywhere (explanations included)."""

    words: int = 0
    images: tuple[Image, ...] = ()
    cites: bool = False


@dataclass(frozen=True)
class LessonSource:
    path: Path
    slug: str
    parsed: ParsedLesson

    @cached_property
    def prose(self) -> Prose:  # read only when the checks run, not at start-up
        return read_prose(self.path)


@dataclass(frozen=True)
class ModuleSource:
    path: Path  # module.md
    slug: str
    parsed: ParsedModule
    lessons: tuple[LessonSource, ...]  # in lesson order

    @cached_property
    def prose(self) -> Prose:
        return read_prose(self.path)


@dataclass(frozen=True)
class Site:
    """The pages a link may point at. `pages` comes from folder names, so a module checked alone
    still knows its neighbours; `anchors` only covers the lessons loaded in this check."""

    pages: dict[str, set[str]]  # module slug -> lesson slugs
    anchors: dict[tuple[str, str], frozenset[str]]  # (module, lesson) -> ids on its page

    @classmethod
    def of(cls, pages: dict[str, set[str]], modules: list[ModuleSource]) -> Site:
        anchors = {
            (m.slug, lesson.slug): LESSON_PAGE_ANCHORS
            | {f"q-{q.question.id}" for q in lesson.parsed.questions}
            for m in modules
            for lesson in m.lessons
        }
        return cls(pages, anchors)


def read_prose(path: Path) -> Prose:
    """Read a file that has already loaded without errors, for the checks on its text."""
    source, _ = read_source(path)
    if source is None:
        return Prose()
    body_lines = source.body.splitlines()
    words = 0
    images: list[Image] = []
    for token in make_markdown().parse(source.body, {}):
        if token.type in ("fence", "code_block"):
            if token.info.strip() == SCENARIO_INFO:
                words += reading_words(token.content)  # one play, not every branch
            elif token.info.strip() not in (QUESTION_INFO, CHART_INFO):
                words += len(token.content.split())
            continue
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                words += len(child.content.split())
            elif child.type == "image":
                src = str(child.attrs.get("src", ""))
                first, end = token.map or (0, 1)
                at = next((i for i in range(first, end) if src in body_lines[i]), first)
                images.append(Image(src, child.content, source.body_line + at))
    return Prose(words, tuple(images), CITATION.search(source.body) is not None)
