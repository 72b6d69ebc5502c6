"""`/sw.js`: the service worker (static/js/sw.js), served from the root so its scope is the
whole site. A worker under /static/ could only control /static/ without a
`Service-Worker-Allowed` header; from the root it needs none.

The file names its cache after the static version and lists the files to keep, both filled in
here: a deploy that changes any static file changes the worker's bytes, so browsers install the
new one, which fetches the new files and drops the old cache (see docs/architecture.md).
"""

from __future__ import annotations

import json
from functools import lru_cache

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.config import PROJECT_ROOT

router = APIRouter()
STATIC_DIR = PROJECT_ROOT / "static"
SOURCE = STATIC_DIR / "js" / "sw.js"


def precached_files() -> list[str]:
    """What every page loads (base.html), kept at install. Other static files (ordering.js,
    scenario.js) are kept the first time a page asks for them; pages work without them."""
    htmx = sorted(p.name for p in STATIC_DIR.glob("js/htmx-*.min.js"))[-1]
    return ["css/qiskills.css", f"js/{htmx}", "js/qiskills.js"]


@lru_cache(maxsize=4)
def worker_source(version: str) -> bytes:
    """sw.js with its version and file list filled in, less its comments and indentation: the
    lesson weight budget (tests/web/test_weight.py) counts it."""
    text = SOURCE.read_text(encoding="utf-8")
    text = text.replace('"__VERSION__"', json.dumps(version), 1)
    text = text.replace("__FILES__", json.dumps(precached_files()), 1)
    text = text[text.index("*/") + 2 :]  # the opening comment
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//")).encode() + b"\n"


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    version = request.app.state.templates.env.globals["static_version"]
    return Response(
        worker_source(version),
        media_type="text/javascript",
        # Browsers look for a new worker on every visit (at most daily they bypass caches anyway).
        headers={"Cache-Control": "no-cache"},
    )
