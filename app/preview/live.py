"""The content as it is on disk now: a snapshot reloaded by a file watcher, errors kept, not raised.

A snapshot is immutable and replaced in one assignment, so a request reads either the old one or
the new one, never half of each. Listeners (the app's catalog swap) run before the assignment.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from app.catalog import Catalog, ContentError
from app.catalog.loader import scan

log = logging.getLogger("qiskills.preview")
EMPTY = Catalog.of([])
# watchfiles yields a batch this long after the last change: an editor's save (write, rename,
# touch) arrives as one reload, and the page still follows within a fraction of a second.
QUIET_MS = 100


@dataclass(frozen=True)
class Snapshot:
    """What the content directory held at one moment. With errors, `catalog` is the last one that
    loaded (empty if none has): pages show the errors instead, and the app keeps a catalog."""

    catalog: Catalog
    errors: tuple[ContentError, ...]
    version: str

    @property
    def ok(self) -> bool:
        return not self.errors


def load_snapshot(content_dir: Path, last: Catalog = EMPTY) -> Snapshot:
    """Load the content; collect its errors (and any crash of the loader) instead of raising."""
    try:
        modules, errors = scan(content_dir)
    except Exception as exc:  # a loader bug must not stop the preview: show it like an error
        log.exception("loading %s failed", content_dir)
        modules, errors = [], [ContentError(Path(content_dir), 1, f"the loader failed: {exc!r}")]
    if errors:
        found = tuple(sorted(errors))
        digest = hashlib.sha256("\n".join(map(str, found)).encode()).hexdigest()
        return Snapshot(last, found, f"errors-{digest[:16]}")
    catalog = Catalog.of(modules)
    return Snapshot(catalog, (), catalog.version)


Listener = Callable[[Snapshot], None]


class LiveContent:
    """A content directory watched for changes. `start` and `stop` run the watcher thread."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = Path(content_dir)
        self.snapshot = load_snapshot(self.content_dir)
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()  # one reload at a time (the watcher, or a test calling it)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def on_change(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def reload(self) -> bool:
        """Read the directory again; tell the listeners and swap the snapshot if it changed."""
        with self._lock:
            new = load_snapshot(self.content_dir, self.snapshot.catalog)
            if new.version == self.snapshot.version:
                return False
            for listener in self._listeners:
                listener(new)
            self.snapshot = new
        if new.ok:
            log.warning("content reloaded: version %s", new.version[:12])
        else:
            log.warning("content has %d error(s):\n%s", len(new.errors), self.describe(new))
        return True

    def describe(self, snapshot: Snapshot) -> str:
        return "\n".join(f"{self.relative(e.path)}:{e.line}: {e.reason}" for e in snapshot.errors)

    def relative(self, path: Path) -> str:
        """A path as the author knows it: from the content directory, e.g. modules/01-x/02-y.md."""
        try:
            return str(Path(path).relative_to(self.content_dir))
        except ValueError:
            return str(path)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._watch, name="content-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _watch(self) -> None:
        self.reload()  # anything saved between loading and watching
        # watchfiles' default filter skips editor swap files, .git and __pycache__.
        changes = watchfiles.watch(
            self.content_dir, stop_event=self._stop, step=QUIET_MS, raise_interrupt=False
        )
        for _ in changes:
            try:
                self.reload()
            except Exception:  # the watcher must outlive any one bad reload
                log.exception("reloading the content failed")
