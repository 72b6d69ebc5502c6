"""Supervision over HTTP: invites, cohorts, the dashboard, and strict scoping with audit."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import AuditEvent, ModuleCompletion, Role, Supervision
from tests.web.helpers import PASSWORD, csrf, post, register
from tests.web.supervision_helpers import (
    MODULE,
    accept,
    finish_module,
    invite_code,
    set_role,
    supervisor,
    user_id,
)


@pytest.fixture
def pair(client: httpx.Client, server_url: str, engine: Engine):
    """A supervisor (client) and a trainee (second browser) who has accepted an invite."""
    supervisor(client, engine)
    trainee = httpx.Client(base_url=server_url)
    email = register(trainee, name="Priya Shah")
    assert accept(trainee, invite_code(client)).status_code == 303
    yield trainee, email
    trainee.close()


def test_invite_is_single_use_and_shows_who_can_see(pair, client, server_url, engine) -> None:
    trainee, _ = pair
    page = unescape(trainee.get("/account/supervisors").text)
    assert "Direct supervision" in page
    code = invite_code(client)
    with httpx.Client(base_url=server_url) as other:
        register(other)
        assert accept(other, code).status_code == 303
        with httpx.Client(base_url=server_url) as third:
            register(third)
            again = accept(third, code)
            assert again.status_code == 422 and "already been used" in again.text
            assert "Priya Shah" not in third.get("/account/supervisors").text
    bad = accept(trainee, "ZZZZZ-ZZZZZ")
    assert bad.status_code == 422 and "not recognised" in bad.text
    assert 'value="ZZZZZ-ZZZZZ"' in bad.text


def test_invite_link_shows_the_supervisor(client, server_url, engine) -> None:
    supervisor(client, engine, name="Dr Ada Lovelace")
    code = invite_code(client)
    with httpx.Client(base_url=server_url) as trainee:
        register(trainee)
        page = trainee.get(f"/invite/{code}")
        assert page.status_code == 200 and "Dr Ada Lovelace" in page.text
        assert trainee.get("/invite/NOPE-NOPE1").status_code == 404


def test_dashboard_shows_a_completed_module(pair, client, engine) -> None:
    trainee, _email = pair
    finish_module(trainee)
    page = unescape(client.get("/supervise").text)
    assert "Priya Shah" in page
    assert "Passed" in page and "100%" in page
    assert "1 passed, 0 in progress" in page
    with Session(engine) as db:
        done = db.exec(select(ModuleCompletion)).one()
    assert done.module_slug == MODULE.slug
    lesson_versions = done.lesson_versions
    for lesson in MODULE.lessons:
        assert lesson.version in lesson_versions


def test_filters_and_fragment(pair, client, engine) -> None:
    _trainee, _ = pair
    assert "Priya Shah" in client.get("/supervise?grade=F1").text
    assert "Priya Shah" not in client.get("/supervise?grade=ST").text
    fragment = client.get("/supervise?sort=progress", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="matrix">')
    assert "HX-Request" in fragment.headers["vary"]


def test_module_below_the_pass_mark_is_not_complete(pair, client, engine) -> None:
    trainee, _ = pair
    response = finish_module(trainee, wrong_first=2)  # 2 of 4 wrong in each lesson: 50%
    assert response.status_code == 303 and "/certificates/" not in response.headers["location"]
    with Session(engine) as db:
        assert db.exec(select(ModuleCompletion)).all() == []
    assert "Below pass mark" in client.get("/supervise").text


def test_an_unassigned_trainee_is_404_and_audited(client, server_url, engine) -> None:
    supervisor(client, engine)
    with httpx.Client(base_url=server_url) as stranger:
        email = register(stranger, name="Not Yours")
    other_id = user_id(engine, email)
    assert client.get(f"/supervise/trainees/{other_id}").status_code == 404
    assert "Not Yours" not in client.get("/supervise").text
    export = client.get(f"/supervise/export?scope=trainee:{other_id}")
    assert export.status_code == 404
    with Session(engine) as db:
        refused = db.exec(select(AuditEvent).where(AuditEvent.action == "forbidden")).all()
    assert [e.scope for e in refused] == [f"trainee:{other_id}", f"trainee:{other_id}"]


def test_the_detail_page_shows_modules_attempts_and_reflections(pair, client, engine) -> None:
    trainee, email = pair
    lesson = MODULE.lessons[0]
    url = f"/modules/{MODULE.slug}/{lesson.slug}"
    saved = post(trainee, f"{url}/reflection", {"text": "Try the <sepsis> huddle"}, page=url)
    assert saved.status_code == 303
    finish_module(trainee)
    page = client.get(f"/supervise/trainees/{user_id(engine, email)}")
    assert page.status_code == 200
    assert "Try the &lt;sepsis&gt; huddle" in page.text
    assert MODULE.title in page.text and "Passed" in page.text


def test_ending_supervision_removes_access(pair, client, engine) -> None:
    trainee, email = pair
    tid = user_id(engine, email)
    assert client.get(f"/supervise/trainees/{tid}").status_code == 200
    page = trainee.get("/account/supervisors").text

    supervision_id = re.search(r"/account/supervisors/(\d+)/end", page).group(1)
    assert (
        post(
            trainee, f"/account/supervisors/{supervision_id}/end", {}, page="/account/supervisors"
        ).status_code
        == 303
    )
    assert client.get(f"/supervise/trainees/{tid}").status_code == 404
    assert "Nobody else can see your record" in trainee.get("/account/supervisors").text


def test_cohort_supervisors_see_cohort_members(client, server_url, engine) -> None:
    admin_email = register(client)
    set_role(engine, admin_email, Role.admin)
    with httpx.Client(base_url=server_url) as sup, httpx.Client(base_url=server_url) as trainee:
        sup_email = supervisor(sup, engine)
        trainee_email = register(trainee, name="Cohort Member")
        made = post(
            client, "/admin/cohorts", {"cohort_name": "F1 North 2026-27"}, page="/admin/supervision"
        )
        assert made.status_code == 303, made.text[made.text.find("<main") :][:1500]

        cohort_id = re.search(
            r"/admin/cohorts/(\d+)/people", client.get("/admin/supervision").text
        ).group(1)
        for email, role in ((sup_email, "supervisor"), (trainee_email, "member")):
            added = post(
                client,
                f"/admin/cohorts/{cohort_id}/people",
                {f"email-{cohort_id}": email, "as_role": role},
                page="/admin/supervision",
            )
            assert added.status_code == 303, added.text[added.text.find("error-summary") :][:600]
        assert "Cohort Member" in sup.get(f"/supervise?cohort={cohort_id}").text
        assert "Cohort: F1 North 2026-27" in trainee.get("/account/supervisors").text
        left = post(trainee, f"/account/cohorts/{cohort_id}/leave", {}, page="/account/supervisors")
        assert left.status_code == 303
        assert "Cohort Member" not in sup.get("/supervise").text
        refused = sup.get("/supervise?cohort=999999")
        assert refused.status_code == 404


def test_admin_assigns_and_removes_a_supervisor(client, server_url, engine) -> None:
    admin_email = register(client)
    set_role(engine, admin_email, Role.admin)
    with httpx.Client(base_url=server_url) as sup, httpx.Client(base_url=server_url) as trainee:
        sup_email = supervisor(sup, engine)
        trainee_email = register(trainee, name="Assigned Trainee")
        bad = post(
            client,
            "/admin/supervision",
            {"supervisor_email": trainee_email, "trainee_email": sup_email},
            page="/admin/supervision",
        )
        assert bad.status_code == 422 and "not a supervisor" in bad.text
        ok = post(
            client,
            "/admin/supervision",
            {"supervisor_email": sup_email, "trainee_email": trainee_email},
            page="/admin/supervision",
        )
        assert ok.status_code == 303
        assert "Assigned Trainee" in sup.get("/supervise").text

        sid = re.search(
            r"/admin/supervision/(\d+)/end", client.get("/admin/supervision").text
        ).group(1)
        assert (
            post(client, f"/admin/supervision/{sid}/end", {}, page="/admin/supervision").status_code
            == 303
        )
        assert "Assigned Trainee" not in sup.get("/supervise").text


SUPERVISE_ROUTES = ["/supervise", "/supervise/export", "/supervise/trainees/1"]


@pytest.mark.parametrize("role", [None, Role.trainee, Role.educator, Role.supervisor, Role.admin])
def test_every_supervise_route_by_role(client, engine, role) -> None:
    if role is not None:
        email = register(client)
        set_role(engine, email, role)
    for path in SUPERVISE_ROUTES:
        status = client.get(path).status_code
        if role is None:
            assert status == 303, path  # to sign-in
        elif role in (Role.trainee, Role.educator):
            assert status == 403, path
        elif path.endswith("/1"):
            assert status == 404, path  # nobody assigned
        else:
            assert status == 200, path
    invite = post(client, "/supervise/invites", {}, page="/login")
    expected = {None: 303, Role.trainee: 403, Role.educator: 403}.get(role, 201)
    assert invite.status_code == expected


def test_a_trainee_never_reaches_another_trainees_record(pair, server_url, engine) -> None:
    _trainee, email = pair
    with httpx.Client(base_url=server_url) as other:
        register(other)
        tid = user_id(engine, email)
        assert other.get(f"/supervise/trainees/{tid}").status_code == 403
        assert other.get(f"/supervise/export?scope=trainee:{tid}").status_code == 403
        own = other.get("/learning/record.csv").text
        assert email not in own


def test_a_module_below_the_pass_mark_can_be_retaken_and_passed(pair, client) -> None:
    trainee, _ = pair
    finish_module(trainee, wrong_first=2)
    module_page = trainee.get(f"/modules/{MODULE.slug}").text
    assert "below the pass mark" in module_page and "Retake the module" in module_page
    retake = post(trainee, f"/modules/{MODULE.slug}/retake", {}, page=f"/modules/{MODULE.slug}")
    assert retake.status_code == 303
    assert "0 of 3 lessons done" in trainee.get(f"/modules/{MODULE.slug}").text
    done = finish_module(trainee)  # the old wrong answers no longer count
    assert done.status_code == 303 and "/certificates/" in done.headers["location"]
    assert "Well done: you passed the module" in trainee.get(done.headers["location"]).text
    again = post(trainee, f"/modules/{MODULE.slug}/retake", {}, page=f"/modules/{MODULE.slug}")
    assert again.status_code == 409  # a passed module stays passed
    assert "Passed" in client.get("/supervise").text


def test_a_supervisor_cancels_an_unused_invite(client, server_url, engine) -> None:
    supervisor(client, engine)
    code = invite_code(client)
    page = client.get("/supervise").text
    assert code in page
    invite_id = re.search(r"/supervise/invites/(\d+)/cancel", page).group(1)
    with httpx.Client(base_url=server_url) as other:
        supervisor(other, engine)
        stolen = post(other, f"/supervise/invites/{invite_id}/cancel", {}, page="/supervise")
        assert stolen.status_code == 404  # only its maker can withdraw it
    cancelled = post(client, f"/supervise/invites/{invite_id}/cancel", {}, page="/supervise")
    assert cancelled.status_code == 303 and code not in client.get("/supervise").text
    with httpx.Client(base_url=server_url) as trainee:
        register(trainee)
        assert accept(trainee, code).status_code == 422


def test_an_invitation_can_say_who_it_is_for(client, engine) -> None:
    supervisor(client, engine)
    data = {"cohort": "", "invitee_name": "Priya <Shah>", "invitee_email": "Priya@Example.NHS.uk"}
    made = post(client, "/supervise/invites", data, page="/supervise")
    assert made.status_code == 201
    assert "Invitation ready for Priya &lt;Shah&gt;" in made.text
    code = re.search(r'<strong class="qi-code">([A-Z0-9-]+)</strong>', made.text).group(1)
    post(client, "/supervise/invites", {"invitee_email": "sam@example.nhs.uk"}, "/supervise")
    pending = client.get("/supervise").text
    assert f"{code}</span> · for Priya &lt;Shah&gt; (priya@example.nhs.uk)" in pending
    assert "· for sam@example.nhs.uk ·" in pending
    bad = {"invitee_name": "Sam", "invitee_email": "not-an-address"}
    refused = post(client, "/supervise/invites", bad, page="/supervise")
    assert refused.status_code == 422
    assert 'href="#invitee_email"' in refused.text and "correct format" in refused.text
    assert 'value="Sam"' in refused.text and 'value="not-an-address"' in refused.text
    assert '<details class="nhsuk-details" open>' in refused.text
    assert refused.text.count('class="qi-code"') == 2  # nothing created


def test_a_signed_out_invitee_sees_whose_invitation_and_comes_back_to_it(
    client, server_url, engine
) -> None:
    supervisor(client, engine, name="Dr Ada Lovelace")
    code = invite_code(client)
    with httpx.Client(base_url=server_url) as invitee:
        sent = invitee.get(f"/invite/{code}")
        assert sent.status_code == 303 and sent.headers["location"] == f"/login?next=/invite/{code}"
        page = invitee.get(sent.headers["location"]).text
        banner = "You are accepting an invitation from <strong>Dr Ada Lovelace</strong>"
        assert banner in page and "to share your record" in page
        assert "@example.nhs.uk" not in page  # the name only, never the supervisor's email
        assert f'href="/register?next=/invite/{code}"' in page
        register_page = invitee.get(f"/register?next=/invite/{code}").text
        assert banner in register_page
        email = "new-invitee@example.nhs.uk"
        data = {"name": "Nia", "email": email, "password": PASSWORD, "grade": "F1"}
        made = post(invitee, "/register", {**data, "next": f"/invite/{code}"}, page="/register")
        assert made.status_code == 303 and made.headers["location"] == f"/invite/{code}"
        back = invitee.get(f"/invite/{code}")
        assert back.status_code == 200 and "Dr Ada Lovelace" in back.text
        assert f'value="{code}"' in back.text
        assert accept(invitee, code).status_code == 303
        post(invitee, "/logout", {}, page="/")
        # A used (or unknown) code names nobody.
        assert "You are accepting" not in invitee.get(f"/login?next=/invite/{code}").text
        assert "You are accepting" not in invitee.get("/login?next=/invite/ZZZZZ-ZZZZZ").text
        signed_in = post(invitee, "/login", {"email": email, "password": PASSWORD, "next": ""})
        assert signed_in.headers["location"] == "/"  # trainees land where they did


def test_signing_in_from_an_invitation_link_returns_to_it(client, server_url, engine) -> None:
    supervisor(client, engine, name="Dr Grace Hopper")
    code = invite_code(client)
    with httpx.Client(base_url=server_url) as invitee:
        email = register(invitee)
        post(invitee, "/logout", {}, page="/")
        data = {"email": email, "password": PASSWORD, "next": f"/invite/{code}"}
        signed_in = post(invitee, "/login", data, page=f"/login?next=/invite/{code}")
        assert signed_in.status_code == 303 and signed_in.headers["location"] == f"/invite/{code}"
        assert "Dr Grace Hopper" in invitee.get(f"/invite/{code}").text


def test_a_supervisor_lands_on_supervise_unless_a_safe_next_is_given(client, engine) -> None:
    email = supervisor(client, engine)
    post(client, "/logout", {}, page="/")
    for target, expected in [
        ("", "/supervise"),
        ("https://evil.example/", "/supervise"),
        ("/learning", "/learning"),
    ]:
        response = post(client, "/login", {"email": email, "password": PASSWORD, "next": target})
        assert response.headers["location"] == expected, target
        post(client, "/logout", {}, page="/")


def test_one_invitation_accepted_by_eight_at_once_is_accepted_once(
    client, server_url, engine
) -> None:
    """Issue 13: 8 trainees accepting one code together all succeeded; exactly one may."""
    supervisor(client, engine)
    code = invite_code(client)
    trainees = [httpx.Client(base_url=server_url, timeout=30) for _ in range(8)]
    try:
        for trainee in trainees:
            register(trainee)
        tokens = [csrf(t, "/invite") for t in trainees]
        start = threading.Barrier(len(trainees))

        def take(i: int) -> httpx.Response:
            start.wait()
            return trainees[i].post("/invite", data={"csrf_token": tokens[i], "code": code})

        with ThreadPoolExecutor(max_workers=len(trainees)) as pool:
            answers = list(pool.map(take, range(len(trainees))))
    finally:
        for trainee in trainees:
            trainee.close()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [303] + [422] * 7, statuses
    assert all("already been used" in a.text for a in answers if a.status_code == 422)
    with Session(engine) as db:
        assert len(db.exec(select(Supervision)).all()) == 1
