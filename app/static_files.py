"""Static files under a content-hashed path, so browsers may cache them for a year.

`/static/<version>/css/qiskills.css` is immutable: a changed file changes the version and so the
URL. The plain `/static/css/qiskills.css` still works (e.g. for a stale page) but is revalidated.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def static_version(static_dir: Path) -> str:
    """A short hash of every static file's name and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


class VersionedStaticFiles(StaticFiles):
    def __init__(self, directory: Path, version: str) -> None:
        super().__init__(directory=directory)
        self.version = version

    async def get_response(self, path: str, scope: Scope) -> Response:
        head, _, rest = path.partition("/")
        versioned = head == self.version and bool(rest)
        response = await super().get_response(rest if versioned else path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
        return response


def static_url(version: str, path: str) -> str:
    return f"/static/{version}/{path.lstrip('/')}"
