"""Checks that warn an author without stopping the content loading: each names a path and line.

- A module whose single-choice questions all have the correct option at the same position
  teaches learners to guess the pattern rather than the answer.
- A link to a module (or a lesson) that is not in the content promises something not there.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from app.catalog.errors import ContentWarning
from app.catalog.schema import Question, QuestionType

MIN_SINGLE_QUESTIONS = 3  # fewer than this is too few to call a pattern


def answer_position_warnings(
    questions: list[tuple[Path, int, Question]],
) -> list[ContentWarning]:
    """`questions` is a module's questions in order, as (file, line of the id, question)."""
    singles = [(p, line, q) for p, line, q in questions if q.type is QuestionType.single]
    positions = {next(i for i, o in enumerate(q.options) if o.correct) for _, _, q in singles}
    if len(singles) < MIN_SINGLE_QUESTIONS or len(positions) != 1:
        return []
    path, line, _ = singles[0]
    where = positions.pop() + 1
    return [
        ContentWarning(
            path,
            line,
            f"all {len(singles)} single-choice questions in this module have the correct option "
            f"in position {where}: vary where it sits so the pattern cannot be guessed",
        )
    ]


def link_warnings(
    path: Path, links: list[tuple[str, int]], page: str, known: dict[str, set[str]]
) -> list[ContentWarning]:
    """Links from the page at URL path `page` to /modules/<slug>[/<lesson>] not in `known`
    (module slug -> lesson slugs). External links are not checked."""
    warnings = []
    for url, line in links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        target = urlsplit(urljoin(page, url)).path.split("/")
        if len(target) < 3 or target[1] != "modules" or not target[2]:
            continue
        module, lesson = target[2], (target[3] if len(target) > 3 else "")
        if module not in known:
            reason = f"link '{url[:60]}' goes to a module that does not exist: '{module}'"
        elif lesson and lesson not in known[module]:
            reason = f"link '{url[:60]}' goes to a lesson that does not exist: '{module}/{lesson}'"
        else:
            continue
        warnings.append(ContentWarning(path, line, reason))
    return warnings
