"""Installing the project (what `make run` does first) prints no packaging deprecation warning."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from app.config import PROJECT_ROOT

BUILD_METADATA = (
    "import sys; from setuptools import build_meta; "
    "print(build_meta.prepare_metadata_for_build_wheel(sys.argv[1]))"
)


def test_building_the_metadata_warns_of_nothing_deprecated(tmp_path: Path) -> None:
    """The metadata step pip runs for `pip install -e .`, offline with this venv's setuptools,
    on a copy of the packaging files (so nothing is written into the project)."""
    project, out = tmp_path / "project", tmp_path / "out"
    (project / "app").mkdir(parents=True)
    out.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(PROJECT_ROOT / name, project / name)
    (project / "app" / "__init__.py").write_text("")
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", BUILD_METADATA, str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "deprecat" not in output.lower(), output
    (metadata,) = out.glob("*.dist-info/METADATA")
    assert "License-Expression: MIT" in metadata.read_text()
