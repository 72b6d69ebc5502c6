"""What the fuzzer sends requests to, found from the app itself so a new form is fuzzed without
editing a list: the routes and their declared parameters from FastAPI, and the fields of every
form (and the query names of every link) on the pages a signed-in person can reach.

Routes that read `request.form()` themselves (`deps.PostedForm`) declare no fields; their fields
come from the forms that post to them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import httpx
from fastapi import FastAPI

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"<(input|select|textarea|button)\b([^>]*)>", re.I)
OPTION = re.compile(r"<option\b[^>]*\bvalue=\"([^\"]*)\"", re.I)
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
HREF = re.compile(r'\bhref="(/[^"#]*)"')
NOT_FIELDS = {"csrf_token"}


@dataclass
class Target:
    """One route: its template, parameters, and what the pages showed about it."""

    method: str
    template: str
    path_params: list[str]
    query_params: set[str] = field(default_factory=set)
    form_fields: set[str] = field(default_factory=set)
    seen_paths: set[str] = field(default_factory=set)  # real addresses of it, from the pages
    seen_values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def key(self) -> str:
        return f"{self.method} {self.template}"

    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"(\{\w+\})", self.template)
        body = "".join("[^/]+?" if p.startswith("{") else re.escape(p) for p in parts)
        return re.compile(f"^{body}$")


def routes(app: FastAPI) -> dict[str, Target]:
    """Every route with the path, query and form parameters it declares, read from the app's
    OpenAPI schema (built in memory; it is served only with QI_API_DOCS=1)."""
    schema = app.openapi()
    found: dict[str, Target] = {}
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            target = Target(method.upper(), template, re.findall(r"\{(\w+)\}", template))
            target.query_params = {p["name"] for p in params if p["in"] == "query"}
            target.form_fields = set(_form_fields(schema, operation)) - NOT_FIELDS
            found[target.key] = target
    return found


def _form_fields(schema: dict, operation: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    fields = []
    for body in content.values():
        ref = body.get("schema", {}).get("$ref", "")
        model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else body["schema"]
        fields.extend(model.get("properties", {}))
    return fields


def _attrs(text: str) -> dict[str, str]:
    return {k.lower(): unescape(v) for k, v in ATTR.findall(text)}


def _match(targets: dict[str, Target], method: str, path: str) -> Target | None:
    for target in targets.values():
        if target.method == method and target.pattern().match(path):
            return target
    return None


def read_page(targets: dict[str, Target], html: str) -> list[str]:
    """Add the forms and links of one page to the targets; return the same-site links."""
    for form_attrs, body in FORM.findall(html):
        attrs = _attrs(form_attrs)
        method = attrs.get("method", "get").upper()
        action = urlsplit(attrs.get("action", ""))
        target = _match(targets, method, action.path)
        if target is None:
            continue
        target.seen_paths.add(action.path)
        names = target.form_fields if method == "POST" else target.query_params
        for tag, tag_attrs in FIELD.findall(body):
            field_attrs = _attrs(tag_attrs)
            name = field_attrs.get("name")
            if not name or name in NOT_FIELDS:
                continue
            names.add(name)
            if "value" in field_attrs:
                target.seen_values[name].add(field_attrs["value"])
            if tag.lower() == "select":
                start = body.find(tag_attrs)
                select = body[start : body.find("</select>", start)]
                target.seen_values[name].update(unescape(v) for v in OPTION.findall(select))
    links = []
    for href in HREF.findall(html):
        parts = urlsplit(unescape(href))
        target = _match(targets, "GET", parts.path)
        if target is None:
            continue
        target.seen_paths.add(parts.path)
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            target.query_params.add(name)
            target.seen_values[name].add(value)
        links.append(unescape(href))
    return links


def crawl(
    targets: dict[str, Target], client: httpx.Client, start: list[str], per_route: int = 40
) -> int:
    """Follow same-site links from `start` (at most `per_route` pages of each route); returns
    the number of pages fetched."""
    queue, seen = list(start), set(start)
    fetched: dict[str, int] = defaultdict(int)
    while queue:
        url = queue.pop(0)
        target = _match(targets, "GET", urlsplit(url).path)
        if target is None or fetched[target.key] >= per_route:
            continue
        fetched[target.key] += 1
        response = client.get(url)
        links = [response.headers.get("location", "")] if response.is_redirect else []
        if response.status_code == 200 and "html" in response.headers.get("content-type", ""):
            links = read_page(targets, response.text)
        for link in (link for link in links if link.startswith("/")):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return sum(fetched.values())
