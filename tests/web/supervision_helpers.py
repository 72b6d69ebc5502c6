"""Set up supervisors, trainees and completed modules over real HTTP."""

from __future__ import annotations

import json
import re

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.catalog import load_catalog
from app.config import Settings
from app.models import Certificate, ModuleCompletion, Role, User
from app.services.certificates import issue_certificate
from tests.conftest import CONTENT_DIR, course_module
from tests.web.helpers import csrf, post, register

CATALOG = load_catalog(CONTENT_DIR)
MODULE = course_module()


def set_role(engine: Engine, email: str, role: Role) -> int:
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        user.role = role
        db.add(user)
        db.commit()
        return user.id


def user_id(engine: Engine, email: str) -> int:
    with Session(engine) as db:
        return db.exec(select(User.id).where(User.email == email)).one()


def supervisor(client: httpx.Client, engine: Engine, **extra: str) -> str:
    email = register(client, **extra)
    set_role(engine, email, Role.supervisor)
    return email


def invite_code(client: httpx.Client, cohort: str = "") -> str:
    response = post(client, "/supervise/invites", {"cohort": cohort}, page="/supervise")
    assert response.status_code == 201, response.text[:300]
    return re.search(r'<strong class="qi-code">([A-Z0-9-]+)</strong>', response.text).group(1)


def accept(client: httpx.Client, code: str) -> httpx.Response:
    return post(client, "/invite", {"code": code}, page="/invite")


def finish_module(client: httpx.Client, module=MODULE, wrong_first: int = 0) -> httpx.Response:
    """Answer every question (the first `wrong_first` wrongly) and mark every lesson done."""
    last = None
    for lesson in module.lessons:
        url = f"/modules/{module.slug}/{lesson.slug}"
        for i, question in enumerate(lesson.questions):
            page = client.get(url).text
            section = page[page.index(f'id="q-{question.id}"') :]
            key = re.search(r'name="form_key" value="([0-9a-f]+)"', section).group(1)
            keys = sorted(question.correct_keys)
            if i < wrong_first:
                keys = [next(o.key for o in question.options if not o.correct)]
            client.post(
                f"{url}/questions/{question.id}",
                data={"csrf_token": csrf(client, url), "answer": keys, "form_key": key},
                headers={"HX-Request": "true"},
            )
        last = client.post(f"{url}/complete", data={"csrf_token": csrf(client, url)})
    return last


def pass_and_certify(db: Session, settings: Settings, user: User) -> Certificate:
    """A passed completion of MODULE, recorded as the learning code does, and its certificate."""
    completion = ModuleCompletion(
        user_id=user.id,
        module_slug=MODULE.slug,
        module_version=MODULE.version,
        lesson_versions=json.dumps({lesson.slug: lesson.version for lesson in MODULE.lessons}),
        score=90,
        pass_mark=MODULE.pass_mark,
    )
    db.add(completion)
    db.commit()
    db.refresh(completion)
    return issue_certificate(db, settings, user, MODULE, completion)
