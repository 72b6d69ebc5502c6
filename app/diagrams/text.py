"""Shared SVG text helpers: escaping and wrapping to a width in characters."""

from __future__ import annotations

import html
import textwrap

FONT = "Arial, Helvetica, sans-serif"


def esc(text: str) -> str:
    """Text and attribute values: &, <, > and both quotes. Control characters XML forbids go."""
    clean = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
    return html.escape(clean, quote=True)


def wrap(text: str, width: int, max_lines: int = 12) -> list[str]:
    """Lines of at most `width` characters; long words are broken, and a text too long for
    `max_lines` ends with an ellipsis (the full text is in the page's text alternative)."""
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def text_lines(
    x: float, y: float, lines: list[str], size: int, line_height: int, **attrs: str
) -> str:
    """A <text> of <tspan> lines starting at baseline y."""
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * line_height:g}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{size}"{extra}>{spans}</text>'
