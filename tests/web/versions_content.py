"""A copy of content/ with versions at work: a changelog, a draft lesson and a draft module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from app.catalog import Catalog, load_catalog
from app.config import Settings
from app.main import create_app
from tests.conftest import CONTENT_DIR, _empty_learner_tables
from tests.live_server import serve

MFI = "model-for-improvement"
MAJOR_LESSON = "three-questions"  # a major change dated 2025-06-01
MINOR_LESSON = "aim-statements"  # a minor change dated 2025-06-01
DRAFT_LESSON = "draft-lesson"
DRAFT_MODULE = "draft-charts"
DRAFT_MODULE_TITLE = "Run charts in draft"
CHANGE_NOTE = "The example now uses a sepsis pathway."
DEAD_LINK = "/modules/not-written-yet"  # a content-check warning in the draft lesson

CHANGELOG = f"""\
changelog:
  - date: 2025-06-01
    lesson: {MAJOR_LESSON}
    change: major
    note: {CHANGE_NOTE}
  - date: 2025-06-01
    lesson: {MINOR_LESSON}
    change: minor
    note: Typos fixed.
"""


def build(root: Path) -> Path:
    """content/ copied under `root`, with the changes above; returns the new content dir."""
    content = root / "content"
    shutil.copytree(CONTENT_DIR, content)
    modules = content / "modules"
    mfi = modules / f"02-{MFI}"
    module_md = (mfi / "module.md").read_text()
    head, rest = module_md[4:].split("\n---\n", 1)
    if "\nchangelog:\n" in head:  # the module's own changelog gives way to the one above
        head = head[: head.index("\nchangelog:\n")]
    (mfi / "module.md").write_text(f"---\n{head}\n{CHANGELOG}---\n{rest}")
    lesson = (mfi / "01-three-questions.md").read_text()
    draft = lesson.replace("title: The three questions", "title: A lesson in draft\nstatus: draft")
    draft = draft.replace("id: mfi-q", "id: draft-q") + f"\nSee [what comes next]({DEAD_LINK}).\n"
    (mfi / f"04-{DRAFT_LESSON}.md").write_text(draft)
    charts = modules / f"99-{DRAFT_MODULE}"
    shutil.copytree(modules / "06-run-charts", charts)
    text = (charts / "module.md").read_text()
    if "\nchangelog:\n" in text:  # the draft module has no changelog of its own
        head, rest = text[4:].split("\n---\n", 1)
        text = f"---\n{head[: head.index('changelog:')]}---\n{rest}"
    title = text.split("\n")[1]
    (charts / "module.md").write_text(
        text.replace(title, f"title: {DRAFT_MODULE_TITLE}\nstatus: draft", 1)
    )
    return content


# Fixtures: a test module imports them to serve this content on each backend.


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("versions"))


@pytest.fixture(scope="module")
def catalog(content: Path) -> Catalog:
    return load_catalog(content)


@pytest.fixture(scope="module")
def site(database_url: str, content: Path) -> Iterator[str]:
    settings = Settings(database_url=database_url, content_dir=content, password_profile="test")
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def http(site: str, engine: Engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site, timeout=10) as client:
        yield client
    _empty_learner_tables(engine)
