"""Markdown to HTML with raw HTML off and only safe link schemes, for authored content."""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def link_is_safe(url: str) -> bool:
    """Relative links and http(s)/mailto only: javascript:, data: and the rest are refused."""
    # Browsers ignore control characters and whitespace inside a scheme, so strip them first.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def make_markdown(
    on_refused: Callable[[str], None] | None = None, on_link: Callable[[str], None] | None = None
) -> MarkdownIt:
    """A renderer for one file: `on_refused` hears of every link it refuses, for error reports,
    and `on_link` of every link it keeps, for the checks on links between modules."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])

    def validate(url: str) -> bool:
        if link_is_safe(url):
            if on_link is not None:
                on_link(url)
            return True
        if on_refused is not None:
            on_refused(url)
        return False

    md.validateLink = validate  # type: ignore[method-assign]
    return md


def render_tokens(md: MarkdownIt, tokens: list[Token], env: dict) -> str:
    return md.renderer.render(tokens, md.options, env)


def render_inline(md: MarkdownIt, text: str) -> str:
    return md.renderInline(text)
