"""Live content for educators (`qiskills content preview`, `make run`): the catalog reloads when a
file changes, broken content shows its errors in the page, and open pages reload themselves.

Never on in production: `qiskills serve` loads the content once at start-up and refuses errors.
"""

from app.preview.live import LiveContent, Snapshot, load_snapshot
from app.preview.web import install

__all__ = ["LiveContent", "Snapshot", "install", "load_snapshot"]
