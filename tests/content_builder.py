"""Write small content trees for parser tests; each test states only what differs."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

MODULE_MD = """\
---
title: Test module
summary: A module for tests.
minutes: 10
outcomes:
  - id: aims
    text: Write an aim.
    gpc: [6]
    rcp: [rapid-cycle-testing]
references:
  - id: langley2009
    citation: Langley GJ et al. The Improvement Guide. 2009.
---
An introduction.
"""

QUESTION = """\
```question
id: {qid}
type: single
prompt: Which comes first?
options:
  - text: The aim
    correct: true
    feedback: Yes.
  - text: The change
    correct: false
    feedback: No.
explanation: Aims come first.
```
"""


def lesson_md(title: str = "A lesson", body: str | None = None, qid: str = "q1") -> str:
    body = QUESTION.format(qid=qid) if body is None else body
    return f"---\ntitle: {title}\nminutes: 5\noutcomes: [aims]\n---\nSome text.\n\n{body}"


def write_module(root: Path, files: dict[str, str], folder: str = "01-test") -> Path:
    """Create content/modules/<folder>/ with module.md (unless given) and the given files."""
    module_dir = root / "modules" / folder
    module_dir.mkdir(parents=True, exist_ok=True)
    files = {"module.md": MODULE_MD, **files}
    for name, text in files.items():
        (module_dir / name).write_text(dedent(text) if name != "module.md" else text)
    return module_dir


# A lesson and module that raise no warning, so a test adds only the one it is about: about 40
# words, one question, 1 minute (estimated 0.95), a reference, and module minutes that add up.
QUIET_PROSE = (
    "An aim says what will improve, by how much, by when and for whom. Write it before you\n"
    "choose a change, so that your measures can show whether the change helped and the team\n"
    "knows what success looks like (Langley et al., 2009).\n"
)


def quiet_lesson_md(qid: str = "q1", body: str | None = None, minutes: int = 1) -> str:
    body = QUESTION.format(qid=qid) if body is None else body
    front = f"title: A lesson\nminutes: {minutes}\noutcomes: [aims]\nreferences: [langley2009]"
    return f"---\n{front}\n---\n{QUIET_PROSE}\n{body}"


def quiet_module(root: Path, files: dict[str, str], folder: str = "01-test") -> Path:
    """write_module with module.md's minutes set to the sum of the lessons' minutes."""
    total = sum(
        int(text.split("\nminutes: ", 1)[1].split("\n", 1)[0])
        for name, text in files.items()
        if name != "module.md"
    )
    module_md = MODULE_MD.replace("minutes: 10\n", f"minutes: {total}\n")
    return write_module(root, {"module.md": module_md, **files}, folder)
