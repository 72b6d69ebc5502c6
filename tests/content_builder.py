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
