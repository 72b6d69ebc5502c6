"""XSS beyond the trainee's own account and reflection fields (issue 13): the same payloads as
tests/security/test_xss.py through lab datasets and annotations, invitations and cohorts,
scenario reflections and author drafts, checked on every page and export that shows them.

Each test posts every payload and then reads each page back with `inert` (the payload never
appears with its special characters as typed).
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from app.catalog import load_catalog
from app.catalog.errors import ContentErrors
from app.models import Role
from app.scenarios.model import ScenarioBlock
from tests.content_builder import write_module
from tests.security.test_xss import PAYLOADS, inert
from tests.sites import own_site
from tests.web.helpers import csrf, post, register
from tests.web.supervision_helpers import CATALOG, set_role, user_id

SHIFT = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62, 70, 72, 69, 74, 71, 73, 75, 72]
FORMULA = ("=", "+", "-", "@")


class ScriptLinks(HTMLParser):
    """Every URL attribute, as a browser reads it, that would run script."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
            if name in URL_ATTRIBUTES and url.startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


def script_links(html: str) -> list[str]:
    parser = ScriptLinks()
    parser.feed(html)
    return parser.found


TEXT = re.compile(r">([^<]*)<")
RAW = re.compile(r"(<(script|style)\b.*?</\2>)", re.S | re.I)


def quoted_text(html: str) -> str:
    """The page with every text node's quotes escaped too. A quote in text is only a character
    (the charts' SVG escapes `<`, `>` and `&` alone there); in a tag, or in a script or style
    element, it is left as it was, so a quote that could end an attribute still fails."""
    parts = RAW.split(html)
    out = []
    for i, part in enumerate(parts):
        if i % 3 == 0:
            out.append(TEXT.sub(lambda m: ">" + escape(unescape(m.group(1))) + "<", part))
        elif i % 3 == 1:
            out.append(part)
    return "".join(out)


def assert_inert(pages: dict[str, str], payload: str) -> None:
    """`inert` on every page, where a payload with no special characters may also be absent
    (not every page shows every field; the tests check separately that the main ones do), and
    no link or source on the page that runs script."""
    for page, html in pages.items():
        assert script_links(html) == [], (payload, page)
        html = quoted_text(html)
        assert payload not in html or inert(html, payload), (payload, page)


def assert_exports_safe(client: httpx.Client, payload: str) -> None:
    """The supervisor's CSV has no cell a spreadsheet would run; the JSON is served as JSON
    (never sniffed as HTML) and holds the text exactly as typed."""
    exported = client.get("/supervise/export", params={"format": "csv", "scope": "all"})
    assert exported.status_code == 200
    for row in list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA), (payload, cell)
    as_json = client.get("/supervise/export", params={"format": "json", "scope": "all"})
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.headers["x-content-type-options"] == "nosniff"
    json.loads(as_json.text)  # well formed: the payload cannot break out of a string


def pasted(label: str) -> str:
    """Two tab-separated columns, the first row labelled with the payload."""
    rows = [f"{label if i == 0 else f'Week {i + 1}'}\t{v}" for i, v in enumerate(SHIFT)]
    return "\n".join(rows)


def test_lab_titles_labels_and_annotations_come_back_inert(client: httpx.Client) -> None:
    register(client)
    for payload in PAYLOADS:
        base = {"chart": "run", "profile": "ihi", "direction": "neither", "title": payload}
        drawn = client.post(
            "/lab", data={"csrf_token": csrf(client, "/lab"), **base, "values": pasted(payload)}
        )
        # A label opening with a quote is a quoted cell left open: refused, the paste kept.
        assert drawn.status_code in (200, 422), (payload, drawn.status_code)
        assert inert(drawn.text, payload) or payload not in drawn.text, (payload, "drawn chart")
        labels = "\n".join([payload] + [f"Week {i}" for i in range(2, len(SHIFT) + 1)])
        values = "\n".join(str(v) for v in SHIFT)
        form = {"csrf_token": csrf(client, "/lab"), **base, "values": values, "labels": labels}
        saved = client.post("/lab/datasets", data=form)
        assert saved.status_code == 303, (payload, saved.text[:300])
        url = saved.headers["location"]
        note = client.post(
            f"{url}/annotations",
            data={"csrf_token": csrf(client, url), "point": "1", "text": payload},
        )
        # Longer than a note may be (MAX_ANNOTATION): refused, the typed text kept.
        assert note.status_code in (303, 422), (payload, note.status_code)
        refused = client.post(
            f"{url}/annotations",
            data={"csrf_token": csrf(client, url), "point": "99", "text": payload},
        )
        assert refused.status_code == 422, (payload, refused.status_code)
        pages = {
            "annotation refused": refused.text,
            "note refused or saved": note.text,
            "dataset page": client.get(url).text,
            "my datasets": client.get("/lab/datasets").text,
            "lab": client.get("/lab").text,
        }
        assert_inert(pages, payload)
        assert payload in unescape(pages["dataset page"]), payload  # shown, as typed
    export = client.get("/account/export")
    assert export.headers["content-type"].startswith("application/json")
    assert PAYLOADS[0] in json.dumps(export.json(), ensure_ascii=False)  # kept as typed


@pytest.fixture
def admin(server_url: str, engine: Engine) -> httpx.Client:
    http = httpx.Client(base_url=server_url)
    set_role(engine, register(http), Role.admin)
    return http


def test_invitations_and_cohorts_come_back_inert(
    client: httpx.Client, admin: httpx.Client, server_url: str, engine: Engine
) -> None:
    trainee = client
    trainee_email = register(trainee)
    boss = httpx.Client(base_url=server_url)
    boss_email = register(boss)
    set_role(engine, boss_email, Role.supervisor)
    visitor = httpx.Client(base_url=server_url)
    renames = 0
    for n, payload in enumerate(PAYLOADS):
        renamed = post(
            boss,
            "/account/details",
            {"name": payload, "organisation": payload, "grade": "F1", "email": boss_email},
            page="/account",
        )
        assert renamed.status_code in (303, 422), (payload, renamed.status_code)
        made = post(admin, "/admin/cohorts", {"cohort_name": payload}, page="/admin/supervision")
        assert made.status_code == 303, (payload, made.text[:300])
        overview = admin.get("/admin/supervision").text
        cohort_id = re.findall(r"/admin/cohorts/(\d+)/people", overview)[-1]
        for email, role in ((boss_email, "supervisor"), (trainee_email, "trainee")):
            added = post(
                admin,
                f"/admin/cohorts/{cohort_id}/people",
                {f"email-{cohort_id}": email, "as_role": role},
                page="/admin/supervision",
            )
            assert added.status_code in (200, 303), (payload, added.status_code)
        typed = {"cohort": cohort_id, "invitee_name": payload, "invitee_email": payload}
        bad = post(boss, "/supervise/invites", typed, page="/supervise")  # not an address
        assert bad.status_code == 422 and inert(bad.text, payload), payload
        good = {**typed, "invitee_email": f"invitee-{n}@example.nhs.uk"}
        invited = post(boss, "/supervise/invites", good, page="/supervise")
        assert invited.status_code == 201, (payload, invited.text[:300])
        code = re.search(r'<strong class="qi-code">([A-Z0-9-]+)</strong>', invited.text).group(1)
        pages = {
            "invitation made": invited.text,
            "supervisor's dashboard": boss.get("/supervise").text,
            "invitation page": trainee.get(f"/invite/{code}").text,
            "trainee's supervisors": trainee.get("/account/supervisors").text,
            "admin supervision": admin.get("/admin/supervision").text,
            "supervisor's trainee page": boss.get(
                f"/supervise/trainees/{user_id(engine, trainee_email)}"
            ).text,
            "code typed back": trainee.get(f"/invite/{payload}").text,
            "sign-in from the link": visitor.get("/login", params={"next": f"/invite/{code}"}).text,
            "register from the link": visitor.get(
                "/register", params={"next": f"/invite/{code}"}
            ).text,
        }
        renames += renamed.status_code == 303
        if renamed.status_code == 303:  # the supervisor's name is the payload: shown as typed
            assert payload in unescape(pages["invitation page"]), payload
            assert payload in unescape(pages["sign-in from the link"]), payload
        assert payload in unescape(pages["supervisor's dashboard"]), payload  # invitee, cohort
        assert_inert(pages, payload)
        assert_exports_safe(boss, payload)
    assert renames >= len(PAYLOADS) - 3  # most fit the account's fields
    boss.close()
    admin.close()
    visitor.close()


def scenario_url() -> str:
    """The first scenario of module 9 or 10 in the course."""
    for module in CATALOG.modules:
        if module.position in (9, 10):
            for lesson in module.lessons:
                for block in lesson.blocks:
                    if isinstance(block, ScenarioBlock):
                        scenario = block.scenario.id
                        return f"/modules/{module.slug}/{lesson.slug}/scenarios/{scenario}"
    raise AssertionError("no scenario in modules 9 and 10")


def play_to_an_ending(client: httpx.Client, url: str) -> None:
    for _ in range(20):
        page = client.get(url).text
        if 'name="reflection"' in page:
            return
        step = re.search(r'name="step" value="(\d+)"', page).group(1)
        choice = re.search(r'name="choice" value="(\d+)"', page).group(1)
        data = {"csrf_token": csrf(client, url), "step": step, "choice": choice}
        assert client.post(f"{url}/choose", data=data).status_code == 303
    raise AssertionError("no ending reached")


def test_scenario_reflections_come_back_inert(
    client: httpx.Client, server_url: str, engine: Engine
) -> None:
    trainee_id = user_id(engine, register(client))
    boss = httpx.Client(base_url=server_url)
    boss_id = set_role(engine, register(boss), Role.supervisor)
    from sqlmodel import Session

    from app.services.supervision import start_supervision

    with Session(engine) as db:
        start_supervision(db, boss_id, trainee_id)
    url = scenario_url()
    play_to_an_ending(client, url)
    for payload in PAYLOADS:
        data = {"csrf_token": csrf(client, url), "reflection": payload}
        saved = client.post(f"{url}/reflection", data=data)
        assert saved.status_code == 303, (payload, saved.text[:300])
        fragment = client.post(f"{url}/reflection", data=data, headers={"HX-Request": "true"})
        assert fragment.status_code == 200 and inert(fragment.text, payload), payload
        pages = {
            "scenario": client.get(url).text,
            "record": client.get("/learning/record").text,
            "supervisor's trainee page": boss.get(f"/supervise/trainees/{trainee_id}").text,
            "supervisor's dashboard": boss.get("/supervise").text,
        }
        assert payload in unescape(pages["supervisor's trainee page"]), payload
        assert_inert(pages, payload)
        assert_exports_safe(boss, payload)
    boss.close()


def hostile_lesson(payload: str, qid: str, link: bool = False) -> str:
    """A lesson with the payload in its title, text, prompt, options, feedback and explanation,
    and with `link`, `javascript:` links (which the loader refuses). JSON strings are YAML
    strings: any payload is one value."""
    value = json.dumps(payload)
    question = (
        f"```question\nid: {qid}\ntype: single\nprompt: {value}\noptions:\n"
        f"  - text: {value}\n    correct: true\n    feedback: {value}\n"
        f"  - text: {json.dumps(payload + ' (no)')}\n    correct: false\n"
        f"    feedback: {value}\nexplanation: {value}\n```\n"
    )
    front = f"---\ntitle: {value}\nminutes: 5\noutcomes: [aims]\n---\n"
    body = f"{payload}\n\n"
    if link:
        body += (
            "[a](javascript:alert(1)) <javascript:alert(2)> [b][b] ![c](javascript:alert(4))\n\n"
        )
        body += "[b]: JaVaScRiPt:alert(3)\n\n"
    return front + body + question


def test_author_content_comes_back_inert(backend: str, tmp_path: Path) -> None:
    content = tmp_path / "content"
    lessons = {
        f"{n + 1:02d}-hostile-{n + 1}.md": hostile_lesson(payload, f"q{n + 1}")
        for n, payload in enumerate(PAYLOADS)
    }
    linked = write_module(tmp_path / "linked", {"01-linked.md": hostile_lesson("x", "q1", True)})
    with pytest.raises(ContentErrors) as refused:
        load_catalog(linked.parent.parent)
    assert len(re.findall(r"'javascript:alert\(\d\)' is refused", str(refused.value), re.I)) == 4
    write_module(content, lessons)
    catalog = load_catalog(content)
    (module,) = catalog.modules
    with (
        own_site(backend, tmp_path / "site", content) as site,
        httpx.Client(base_url=site.url) as http,
    ):
        set_role(site.engine, register(http), Role.educator)
        shared = {
            "author overview": http.get("/author").text,
            "question statistics": http.get(f"/author/modules/{module.slug}").text,
            "module": http.get(f"/modules/{module.slug}").text,
        }
        for n, (payload, lesson) in enumerate(zip(PAYLOADS, module.lessons, strict=True)):
            url = f"/modules/{module.slug}/{lesson.slug}"
            page = http.get(url)
            assert page.status_code == 200, (payload, page.status_code)
            assert payload in unescape(page.text), payload  # the title, shown as typed
            (question,) = lesson.questions
            key = re.search(r'name="form_key" value="([0-9a-f]+)"', page.text).group(1)
            answered = http.post(
                f"{url}/questions/{question.id}",
                data={
                    "csrf_token": csrf(http, url),
                    "answer": sorted(question.correct_keys),
                    "form_key": key,
                },
                headers={"HX-Request": "true"},
            )
            assert answered.status_code == 200, (payload, answered.status_code)
            previews = [
                post(http, "/author/preview", {"module": module.slug, "draft": draft}, "/author")
                for draft in (
                    hostile_lesson(payload, f"draft-q{n}"),
                    hostile_lesson(payload, f"draft-q{n}", link=True),
                )
            ]
            assert previews[0].status_code == 200, (payload, previews[0].status_code)
            assert payload in unescape(previews[0].text), payload
            assert "is refused" in previews[1].text, payload
            pages = {
                **shared,
                "lesson": page.text,
                "feedback": answered.text,
                "lesson answered": http.get(url).text,
                "draft preview": previews[0].text,
                "draft refused": previews[1].text,
            }
            assert_inert(pages, payload)
