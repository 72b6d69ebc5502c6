"""Small Making Data Count icons, drawn here (not NHS England's artwork).

Each icon carries its meaning three ways: colour, a letter (H/L for high/low, P/F/? for
assurance) and a <title> holding the same words as `VariationIcon.label` / `Assurance.label`,
which a template should also show as visible text.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape  # nosec B406  # escapes our output; parses nothing

from app.measurement.results import Assurance, VariationIcon

GREY, BLUE, ORANGE, PURPLE, INK = "#768692", "#0072c6", "#c05400", "#5b2c86", "#212b32"


def variation_icon_svg(icon: VariationIcon, *, size: int = 48, svg_id: str | None = None) -> str:
    """A ring with a little series inside: flat for common cause, rising or falling otherwise."""
    ident = _ident(svg_id or f"qi-variation-{icon.value}")
    kind, _, level = icon.value.partition("_")
    colour = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neither": PURPLE}[kind]
    if icon is VariationIcon.COMMON_CAUSE:
        ys = [34, 28, 36, 30, 35, 29, 33]
        letter = ""
    else:
        ys = [38, 36, 37, 33, 30, 27, 24] if level == "high" else [24, 26, 25, 29, 32, 35, 38]
        letter = "H" if level == "high" else "L"
    xs = [14 + 6 * k for k in range(7)]
    line = " ".join(f"{x},{y}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="2.6" fill="{colour if k >= 4 and letter else GREY}"/>'
        for k, (x, y) in enumerate(zip(xs, ys, strict=True))
    )
    text = (
        f'<text x="32" y="{52 if level == "high" else 18}" font-size="13" font-weight="bold" '
        f'text-anchor="middle" fill="{colour}">{letter}</text>'
        if letter
        else ""
    )
    body = f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-width="1.5"/>{dots}{text}'
    return _wrap(ident, icon.label, size, colour, body)


def assurance_icon_svg(assurance: Assurance, *, size: int = 48, svg_id: str | None = None) -> str:
    """A ring with the process range as a band and the target as a line, plus P, F or ?."""
    ident = _ident(svg_id or f"qi-assurance-{assurance.value}")
    colour, letter, band_top = {
        Assurance.CONSISTENT_PASS: (BLUE, "P", 30),
        Assurance.CONSISTENT_FAIL: (ORANGE, "F", 30),
        Assurance.HIT_AND_MISS: (GREY, "?", 22),
    }[assurance]
    body = (
        f'<rect x="14" y="{band_top}" width="36" height="14" rx="3" fill="{colour}" '
        'fill-opacity="0.25"/>'
        f'<line x1="12" x2="52" y1="24" y2="24" stroke="{INK}" stroke-width="2" '
        'stroke-dasharray="4 2"/>'
        f'<text x="32" y="19" font-size="13" font-weight="bold" text-anchor="middle" '
        f'fill="{colour}">{escape(letter)}</text>'
    )
    return _wrap(ident, assurance.label, size, colour, body)


def _wrap(ident: str, label: str, size: int, colour: str, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="{int(size)}" '
        f'height="{int(size)}" role="img" aria-labelledby="{ident}-title" class="qi-icon" '
        'font-family="Arial, Helvetica, sans-serif">'
        f'<title id="{ident}-title">{escape(label)}</title>'
        f'<circle cx="32" cy="32" r="29" fill="#ffffff" stroke="{colour}" stroke-width="4"/>'
        f"{body}</svg>"
    )


def _ident(raw: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9_-]", "-", raw)
    return clean if clean[:1].isalpha() else "qi-" + clean
