"""Links that lead somewhere real, and images that say what they show."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from app.catalog.checks.source import Prose, Site
from app.catalog.errors import ContentWarning


def link_warnings(
    path: Path, links: list[tuple[str, int]], page: str, site: Site
) -> list[ContentWarning]:
    """Links from the page at URL path `page` to /modules/<slug>[/<lesson>][#anchor] that is not
    on the site. External links are not checked; anchors only in lessons loaded by this check."""
    warnings = []
    for url, line in links:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            continue
        target = urlsplit(urljoin(page, url))
        steps = target.path.split("/")
        if len(steps) < 3 or steps[1] != "modules" or not steps[2]:
            continue
        module, lesson = steps[2], (steps[3] if len(steps) > 3 else "")
        shown = url[:60]
        anchors = site.anchors.get((module, lesson))
        if module not in site.pages:
            reason = f"link '{shown}' goes to a module that does not exist: '{module}'"
            code = "missing-module"
        elif lesson and lesson not in site.pages[module]:
            reason = f"link '{shown}' goes to a lesson that does not exist: '{module}/{lesson}'"
            code = "broken-link"
        elif target.fragment and anchors is not None and target.fragment not in anchors:
            reason = (
                f"link '{shown}' goes to an anchor that does not exist: "
                f"'{module}/{lesson}#{target.fragment}' (link to a question as #q-<id>)"
            )
            code = "broken-link"
        else:
            continue
        warnings.append(ContentWarning(path, line, reason, code))
    return warnings


def image_warnings(path: Path, prose: Prose) -> list[ContentWarning]:
    return [
        ContentWarning(
            path,
            image.line,
            f"image '{image.src[:60]}' has no alt text: say what it shows in ![...], "
            "for people who cannot see it",
            "image-alt",
        )
        for image in prose.images
        if not image.alt.strip()
    ]
