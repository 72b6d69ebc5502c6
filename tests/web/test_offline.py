"""Offline support over HTTP: the service worker at /sw.js, the manifest and its icons, and an
answer the worker kept offline and sends again (the same form_key) stored exactly once."""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor

import httpx
from PIL import Image
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Attempt
from tests.conftest import course_module
from tests.web.helpers import csrf, register

MODULE = course_module()
LESSON = MODULE.lessons[0]
LESSON_URL = f"/modules/{MODULE.slug}/{LESSON.slug}"


def test_the_service_worker_is_served_from_the_root_with_its_version(
    client: httpx.Client,
) -> None:
    page = client.get("/").text
    version = re.search(r"/static/([0-9a-f]+)/css/qiskills\.css", page).group(1)
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "service-worker-allowed" not in response.headers  # at the root it needs none
    assert "script-src 'self'" in response.headers["content-security-policy"]
    worker = response.text
    assert f'const VERSION = "{version}";' in worker and '"qi-static-" + VERSION' in worker
    assert "__FILES__" not in worker and "/*" not in worker
    assert not any(line.startswith((" ", "//")) for line in worker.splitlines())
    files = json.loads(re.search(r"c\.addAll\((\[.*?\])", worker).group(1))
    for name in files:  # every file it keeps at install is served
        assert client.get(f"/static/{version}/{name}").status_code == 200, name
    assert {"css/qiskills.css", "js/qiskills.js"} <= set(files)


def test_the_manifest_and_its_icons(client: httpx.Client) -> None:
    page = client.get("/").text
    href = re.search(r'<link rel="manifest" href="([^"]+)">', page).group(1)
    response = client.get(href)
    assert response.status_code == 200
    manifest = response.json()
    assert manifest["name"] == "QI Skills" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#005eb8"
    base = href.rsplit("/", 1)[0]
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(f"{base}/{icon['src']}")
        assert image.status_code == 200, icon
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(image.content)).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
        else:
            assert image.text.startswith("<svg")
    assert sizes == {192, 512}


def _held_answer(client: httpx.Client) -> tuple[str, dict[str, str]]:
    """The question's form as the page had it: what the worker keeps when there is no network."""
    page = client.get(LESSON_URL).text
    question = LESSON.questions[0]
    section = page[page.index(f'id="q-{question.id}"') :]
    key = re.search(r'name="form_key" value="([0-9a-f]+)"', section).group(1)
    form = {"csrf_token": csrf(client, LESSON_URL), "form_key": key, "answer": "a"}
    return f"{LESSON_URL}/questions/{question.id}", form


def _replay(client: httpx.Client, url: str, form: dict[str, str]) -> httpx.Response:
    # As sw.js sends a kept answer: the same body, HX-Request, no other header.
    return client.post(url, data=form, headers={"HX-Request": "true"})


def test_a_kept_answer_sent_again_is_stored_once(client: httpx.Client, engine: Engine) -> None:
    register(client)
    url, form = _held_answer(client)
    first = _replay(client, url, form)
    again = _replay(client, url, {**form, "answer": "b"})  # the same key, whatever it carries
    assert first.status_code == again.status_code == 200
    title = re.compile(r'qi-feedback__title"[^>]*>([^<]+)<')
    assert title.search(first.text).group(1) == title.search(again.text).group(1)
    with Session(engine) as db:
        rows = db.exec(select(Attempt)).all()
    assert [(r.form_key, r.answer) for r in rows] == [(form["form_key"], "a")]


def test_the_same_kept_answer_sent_eight_times_at_once_is_stored_once(
    client: httpx.Client, engine: Engine
) -> None:
    """A flush on "online" and Background Sync's may overlap: the database decides."""
    register(client)
    url, form = _held_answer(client)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: _replay(client, url, form).status_code, range(8)))
    assert statuses == [200] * 8
    with Session(engine) as db:
        assert len(db.exec(select(Attempt)).all()) == 1
