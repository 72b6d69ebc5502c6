"""XSS: hostile text in the free-text fields a trainee owns comes back inert on every page and
export that shows it, and a browser that renders those pages opens no dialog.

The fields are found by walking the forms of the account page and a lesson page: every text
input and textarea they post (other than the CSRF token) gets each payload.
"""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
from sqlalchemy import Engine

from app.models import Role
from tests.conftest import course_module
from tests.web.helpers import csrf, register
from tests.web.supervision_helpers import set_role, user_id

MODULE = course_module()
LESSON = f"/modules/{MODULE.slug}/{MODULE.lessons[0].slug}"
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    '<div hx-get="/logout" hx-trigger="load">x</div>',
    '<button hx-on:click="alert(1)">x</button>',
    '<div hx-on::load="alert(1)"></div>',
    "{{7*7}}",
    "{% raw %}x{% endraw %}",
    "${7*7}",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    '<form action="//evil.example"><button>x</button></form>',
    "<style>*{display:none}</style>",
    "<!--",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    '"onfocus="alert(1)" autofocus="',
]
SPECIAL = set("<>\"'&")
TAG = re.compile(r"<(input|textarea)\b[^>]*>")
NAME = re.compile(r'name="([^"]+)"')


def text_fields(html: str, action: str) -> list[str]:
    """The text inputs and textareas of the form that posts to `action`."""
    start = html.index(f'action="{action}')
    form = html[start : html.index("</form>", start)]
    names = []
    for tag in TAG.finditer(form):
        text = tag.group(0)
        if tag.group(1) == "input" and 'type="text"' not in text:
            continue
        if found := NAME.search(text):
            names.append(found.group(1))
    return names


def inert(html: str, payload: str) -> bool:
    if SPECIAL & set(payload):
        return payload not in html  # escaped: never the characters as typed
    # Shown, never run: no "49" on its own just before it (an invitation code such as
    # "P7449" nearby is not the payload's 7*7 evaluated).
    before = html.split(payload, 1)[0][-20:]
    return payload in html and re.search(r"(?<![\w-])49(?![\w-])", before) is None


@pytest.fixture
def cast(
    client: httpx.Client, server_url: str, engine: Engine
) -> tuple[httpx.Client, httpx.Client, int]:
    trainee_id = user_id(engine, register(client))
    boss = httpx.Client(base_url=server_url)
    boss_id = set_role(engine, register(boss), Role.supervisor)
    from sqlmodel import Session

    from app.services.supervision import start_supervision

    with Session(engine) as db:
        start_supervision(db, boss_id, trainee_id)
    return client, boss, trainee_id


def test_every_payload_in_every_field_comes_back_inert(cast) -> None:  # type: ignore[no-untyped-def]
    trainee, boss, trainee_id = cast
    account_fields = text_fields(trainee.get("/account").text, "/account/details")
    reflection_fields = text_fields(trainee.get(LESSON).text, f"{LESSON}/reflection")
    assert "name" in account_fields and "organisation" in account_fields
    assert reflection_fields == ["text"]
    for payload in PAYLOADS:
        token = csrf(trainee, "/account")
        saved = trainee.post(
            "/account/details",
            data={"csrf_token": token, "grade": "F1", **dict.fromkeys(account_fields, payload)},
        )
        # Too long for a field (e.g. the 40-character regulator number): the form comes back
        # with the input kept, and that page must be inert too.
        assert saved.status_code in (303, 422), (payload, saved.status_code)
        assert saved.status_code == 303 or inert(saved.text, payload), payload
        noted = trainee.post(f"{LESSON}/reflection", data={"csrf_token": token, "text": payload})
        assert noted.status_code in (200, 303), (payload, noted.status_code)
        assert noted.status_code == 303 or inert(noted.text, payload), payload
        pages = {
            "/account": trainee.get("/account").text,
            LESSON: trainee.get(LESSON).text,
            "/learning/record": trainee.get("/learning/record").text,
            "supervisor's trainee page": boss.get(f"/supervise/trainees/{trainee_id}").text,
            "supervisor's dashboard": boss.get("/supervise").text,
        }
        for page, html in pages.items():
            assert inert(html, payload), (payload, page)
        exported = boss.get("/supervise/export", params={"format": "csv", "scope": "all"})
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), (payload, cell)
    boss.close()
