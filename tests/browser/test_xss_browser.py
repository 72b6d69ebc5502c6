"""A browser rendering pages that show every XSS payload (issue 13) opens no dialog: the
trainee's own fields, lab datasets and annotations, invitations, scenario reflections and
author content and drafts."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from app.db import make_engine
from app.models import Role
from tests.conftest import course_module
from tests.content_builder import write_module
from tests.security.test_xss import PAYLOADS
from tests.security.test_xss_shared import SHIFT, hostile_lesson, play_to_an_ending, scenario_url
from tests.sites import own_site
from tests.web.helpers import post, register
from tests.web.supervision_helpers import set_role, user_id

pytestmark = pytest.mark.browser
MODULE = course_module()
LESSON = f"/modules/{MODULE.slug}/{MODULE.lessons[0].slug}"
NAME = '<img src=x onerror=alert(1)>"><svg onload=alert(2)><script>alert(3)</script>'


def test_no_payload_runs_in_a_browser(page: Page, live_url: str) -> None:
    dialogs: list[str] = []

    def seen(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    page.goto(f"{live_url}/register")
    page.get_by_label("Full name").fill(NAME)
    page.get_by_label("Email address").fill(f"xss-{uuid.uuid4().hex[:8]}@example.nhs.uk")
    page.get_by_label("Password").fill("a long enough phrase")
    page.get_by_label("F1").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("link", name="My learning")).to_be_visible()
    page.goto(f"{live_url}{LESSON}")
    page.locator("#reflection-text").fill("\n".join(PAYLOADS))
    page.locator("#reflection").get_by_role("button").first.click()
    for path in (LESSON, "/account", "/learning/record", "/learning"):
        page.goto(f"{live_url}{path}")
        page.wait_for_timeout(200)
        assert page.locator(INJECTED).count() == 0, path
    expect(page.locator("body")).to_contain_text("QI Skills")
    assert dialogs == []
    page.goto(f"{live_url}/account")
    assert page.get_by_label("Full name").input_value() == NAME  # kept exactly, shown inert


def signed_in(context: BrowserContext, http: httpx.Client, base: str) -> Page:
    """A page in `context` carrying the session `http` signed in with."""
    context.add_cookies(
        [{"name": c.name, "value": c.value or "", "url": base} for c in http.cookies.jar]
    )
    return context.new_page()


# Elements or attributes only a payload would make. The page's CSP would stop most of them
# running, so a dialog alone is a weak sign; finding one of these means the escaping failed.
INJECTED = (
    'img[src="x"], [onerror], [onload], [onfocus], iframe, base, meta[http-equiv="refresh"], '
    'math, script:not([src]), [hx-get="/logout"], form[action*="evil.example"], '
    'a[href^="javascript:"], button[hx-on\\:click], div[hx-on\\:\\:load]'
)


def visit_all(page: Page, base: str, paths: list[str], dialogs: list[str]) -> None:
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_timeout(200)
        expect(page.locator("body")).to_contain_text("QI Skills")
        assert page.locator(INJECTED).count() == 0, path


def test_no_payload_in_lab_invitations_or_scenarios_runs(
    browser: Browser, live_url: str, live_database_url: str
) -> None:
    engine = make_engine(live_database_url)
    trainee = httpx.Client(base_url=live_url)
    boss = httpx.Client(base_url=live_url)
    trainee_id = user_id(engine, register(trainee, name=NAME))
    set_role(engine, register(boss, name=NAME), Role.supervisor)
    engine.dispose()
    labels = "\n".join([NAME] + [f"Week {i}" for i in range(2, len(SHIFT) + 1)])
    form = {
        "values": "\n".join(map(str, SHIFT)),
        "labels": labels,
        "chart": "run",
        "profile": "ihi",
        "direction": "neither",
        "title": NAME,
    }
    dataset = post(trainee, "/lab/datasets", form, page="/lab").headers["location"]
    for point, payload in enumerate(p for p in PAYLOADS if len(p) <= 60):
        post(
            trainee,
            f"{dataset}/annotations",
            {"point": str(point % 20 + 1), "text": payload},
            page=dataset,
        )
    scenario = scenario_url()
    play_to_an_ending(trainee, scenario)
    post(trainee, f"{scenario}/reflection", {"reflection": "\n".join(PAYLOADS)}, page=scenario)
    invited = post(boss, "/supervise/invites", {"invitee_name": NAME}, page="/supervise")
    code = re.search(r'<strong class="qi-code">([A-Z0-9-]+)</strong>', invited.text).group(1)
    dialogs: list[str] = []
    as_trainee = signed_in(browser.new_context(), trainee, live_url)
    visit_all(
        as_trainee, live_url, [dataset, "/lab/datasets", scenario, f"/invite/{code}"], dialogs
    )
    as_trainee.get_by_role("button", name="Accept").click()
    as_boss = signed_in(browser.new_context(), boss, live_url)
    visit_all(as_boss, live_url, ["/supervise", f"/supervise/trainees/{trainee_id}"], dialogs)
    visit_all(as_trainee, live_url, ["/account/supervisors"], dialogs)
    expect(as_boss.locator("body")).to_contain_text(PAYLOADS[0])  # the reflection, as text
    assert dialogs == []
    trainee.close()
    boss.close()


def test_no_payload_in_author_content_runs(browser: Browser, tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_module(
        content,
        {
            f"{n + 1:02d}-x-{n + 1}.md": hostile_lesson(p, f"q{n + 1}")
            for n, p in enumerate(PAYLOADS)
        },
    )
    with (
        own_site("sqlite", tmp_path / "site", content) as site,
        httpx.Client(base_url=site.url) as http,
    ):
        set_role(site.engine, register(http), Role.educator)
        lessons = [f"/modules/test/x-{n + 1}" for n in range(0, len(PAYLOADS), 5)]
        dialogs: list[str] = []
        page = signed_in(browser.new_context(), http, site.url)
        visit_all(
            page, site.url, ["/author", "/author/modules/test", "/modules/test", *lessons], dialogs
        )
        page.goto(f"{site.url}/author")
        page.locator("#draft").fill(hostile_lesson(PAYLOADS[1], "draft-q", link=True))
        page.get_by_role("button", name=re.compile("Preview")).click()
        page.wait_for_timeout(300)
        page.locator("#draft").fill(hostile_lesson(PAYLOADS[1], "draft-q"))
        page.get_by_role("button", name=re.compile("Preview")).click()
        page.wait_for_timeout(300)
        expect(page.locator("body")).to_contain_text(PAYLOADS[1])
        assert page.locator(INJECTED).count() == 0
        assert dialogs == []
