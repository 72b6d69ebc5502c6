"""Fuzzing: Hypothesis-made input in every form field, path parameter and query parameter of
every route, as an anonymous visitor, a trainee, a supervisor, an educator and an admin, on a
live server: never a server error, and a refused form is the app's own page, never bare JSON.

The routes come from the app (tests/security/fuzz_targets.py): the parameters each declares (its
OpenAPI schema, built in memory), plus the fields of the forms and the query names of the links on
every page the people can reach. A new route or form is fuzzed without editing this file. Examples
are derandomized, so a run is reproducible; the number of requests is printed (and recorded as the
`requests` property). QI_FUZZ_EXAMPLES=40 searches harder (about five times as long).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings
from app.deps import SESSION_COOKIE
from app.main import create_app
from app.models import DriverNode, Project, ProjectMember, Role, Stakeholder
from app.services import supervision
from tests.conftest import _empty_learner_tables
from tests.security.access_policy import POLICY
from tests.security.fuzz_targets import Target, crawl, routes
from tests.security.test_access_matrix import SAMPLE, expected
from tests.web import coach_draw_helpers
from tests.web.helpers import csrf, post, register
from tests.web.project_data_helpers import project_for
from tests.web.projects_helpers import fuzz_projects
from tests.web.supervision_helpers import accept, finish_module, invite_code, set_role, user_id
from tests.web.test_lab import lab_form
from tests.web.test_project_measures import add_measure, paste

ROLES = ("anonymous", "trainee", "supervisor", "educator", "admin")
EXAMPLES = int(os.environ.get("QI_FUZZ_EXAMPLES", "8"))  # per route and role; more searches harder
LIMIT = 1024 * 1024  # the app's body limit (app/security/limits.py)
SIGNS_OUT = {"POST /logout"}  # fuzzed only while signed out, so the others stay signed in

SPECIAL = [
    "",
    " ",
    "\t\n\r ",
    "\x00",
    "a\x00b",
    "\x1b[31m\x07\x7f",
    "\u202e\u200b\ufeff",
    "²",
    "١٢٣",
    "\U0001d7d9\U0001d7da",  # mathematical digits 1 and 2
    "0",
    "-1",
    "-0",
    "1e309",
    "nan",
    "inf",
    "0x10",
    "1_000",
    "2147483648",
    "99999999999999999999999",
    "9" * 5000,
    "../../etc/passwd",
    "%00",
    "%",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "true",
    "[]",
    "{}",
    "null",
]
LONG = ["é" * 40_000, "x" * (LIMIT - 2_000), "x" * (LIMIT + 10)]  # near and over the limit

numbers = st.one_of(
    st.integers(),
    st.integers(min_value=2**31 - 2, max_value=2**70),
    st.integers(max_value=-1),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
any_text = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Zl", "Zp"])),
    st.text(min_size=200, max_size=3000),
)


def value(seen: set[str]) -> st.SearchStrategy[str]:
    """One field's value: garbage of every kind, or something the page offered (to get past
    the first check and reach the code behind it)."""
    options = [any_text, numbers, st.sampled_from(SPECIAL)]
    if seen:
        options.append(st.sampled_from(sorted(seen)))
    return st.one_of(*options, st.sampled_from(LONG))


def field_value(seen: set[str]) -> st.SearchStrategy[str | list[str]]:
    single = value(seen)
    return st.one_of(single, single, st.lists(single, min_size=2, max_size=3))  # lists: 1 in 3


def form(target: Target) -> st.SearchStrategy[dict[str, str | list[str]]]:
    """Each field present or missing; sometimes a field the form does not have."""
    optional = {
        name: field_value(target.seen_values.get(name, set())) for name in target.form_fields
    }
    optional["unexpected"] = value(set())
    return st.fixed_dictionaries({}, optional=optional)


def short(seen: set[str]) -> st.SearchStrategy[str]:
    """A path or query value: garbage short enough for an address (or what the page offered)."""
    options = [st.text(max_size=60), numbers, st.sampled_from(SPECIAL)]
    if seen:
        options.append(st.sampled_from(sorted(seen)))
    return st.one_of(*options)


def path(target: Target) -> st.SearchStrategy[str]:
    """A real address of the route (half the time), else one with parameters replaced by garbage."""
    real = sorted(target.seen_paths) or [fill(target.template, {})]
    if not target.path_params:
        return st.sampled_from(real)
    garbage = {name: st.one_of(st.none(), short(set())) for name in target.path_params}
    broken = st.tuples(st.sampled_from(real), st.fixed_dictionaries(garbage)).map(
        lambda pair: fill(target.template, pair[1], pair[0])
    )
    return st.one_of(st.sampled_from(real), broken)


def fill(template: str, values: dict[str, str | None], real: str | None = None) -> str:
    """The template with each parameter from `values` (quoted), else from `real`, else SAMPLE."""
    names = re.findall(r"\{(\w+)\}", template)
    taken = dict(zip(names, _split(template, real), strict=True)) if real else {}
    out = template
    for name in names:
        given_value = values.get(name)
        part = quote(given_value, safe="") if given_value is not None else None
        out = out.replace("{" + name + "}", part or taken.get(name) or SAMPLE.get(name, "1"), 1)
    return out


def _split(template: str, real: str) -> list[str]:
    parts = re.split(r"\{\w+\}", template)
    body = "(.+?)".join(re.escape(p) for p in parts)
    match = re.fullmatch(body, real)
    return list(match.groups()) if match else [""] * (len(parts) - 1)


def query(target: Target) -> st.SearchStrategy[dict[str, str | list[str]]]:
    names = target.query_params | {"next"}
    optional = {
        n: st.one_of(
            short(target.seen_values.get(n, set())), st.lists(short(set()), min_size=2, max_size=3)
        )
        for n in names
    }
    return st.fixed_dictionaries({}, optional=optional)


class Fuzzer:
    """Sends the requests and keeps what went wrong."""

    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.failures: list[str] = []

    def check(self, who: str, response: httpx.Response, is_form: bool) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        what = f"{who}: {response.request.method} {str(response.request.url)[:300]}"
        assert response.status_code < 500, f"server error {response.status_code} from {what}"
        if is_form and 400 <= response.status_code < 500:
            kind = response.headers.get("content-type", "")
            assert kind.startswith("text/html"), f"{response.status_code} as {kind} from {what}"
            assert "<html" in response.text[:500].lower(), f"not a whole page from {what}"

    def run(self, label: str, test) -> None:  # type: ignore[no-untyped-def]
        try:
            test()
        except Exception as error:  # every route is tried; all failures reported
            notes = "\n".join(getattr(error, "__notes__", []))
            self.failures.append(f"{label}: {error}\n{notes}"[:2000])


def fuzz_settings():  # type: ignore[no-untyped-def]
    return hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],  # no slow 'explain'
    )


def post_attempt(fuzzer: Fuzzer, target: Target, role: str, http: httpx.Client):  # type: ignore[no-untyped-def]
    """A Hypothesis test posting fuzzed forms (with a valid CSRF token) to one route."""
    token = csrf(http, "/lab")

    @fuzz_settings()
    @given(address=path(target), data=form(target), multipart=st.booleans())
    def attempt(address: str, data: dict, multipart: bool) -> None:
        files = {"upload": ("a.txt", b"\xff\xfe not text")} if multipart else None  # no NUL: 400
        body = {"csrf_token": token, **data}
        try:
            response = http.post(address, data=body, files=files)
        except httpx.TransportError:
            # Over the limit, the app answers 413 from Content-Length without reading the body
            # and may close the connection while the client is still sending it.
            if len(urlencode(body, doseq=True)) <= LIMIT:
                raise
            fuzzer.requests += 1
            return
        fuzzer.check(role, response, is_form=True)

    return attempt


def get_attempt(fuzzer: Fuzzer, target: Target, role: str, http: httpx.Client):  # type: ignore[no-untyped-def]
    """A Hypothesis test getting one route with fuzzed path and query parameters."""

    @fuzz_settings()
    @given(address=path(target), params=query(target))
    def attempt(address: str, params: dict) -> None:
        fuzzer.check(role, http.get(address, params=params), is_form=False)

    return attempt


@dataclass
class Cast:
    clients: dict[str, httpx.Client]
    emails: dict[str, str]
    extra_pages: list[str]  # addresses no page links to (a reset link arrives by email)

    def reset(self, engine: Engine) -> None:
        """Undo what a fuzzed request may have changed about the people themselves: an admin's
        role change that hit a real account, or a registration that signed the visitor in."""
        for role, email in self.emails.items():
            set_role(engine, email, Role(role))
        self.clients["anonymous"].cookies.delete(SESSION_COOKIE)


@pytest.fixture(scope="module")
def cast(server_url: str, engine: Engine) -> Iterator[Cast]:
    """One client per role, each owning something (a dataset with a note, a supervision in a
    cohort, a pending invitation, a certificate, a module below the pass mark, a reset link for
    someone else) so that real ids, and the forms that need them, appear on their pages."""
    clients = {role: httpx.Client(base_url=server_url, timeout=30) for role in ROLES}
    emails = {}
    for role, http in clients.items():
        if role != "anonymous":
            emails[role] = register(http)
            set_role(engine, emails[role], Role(role))
    trainee, boss, admin = clients["trainee"], clients["supervisor"], clients["admin"]
    saved = trainee.post("/lab/datasets", data=lab_form(trainee, title="Falls"))
    assert saved.status_code == 303, saved.text[:300]
    note = {"csrf_token": csrf(trainee, "/lab"), "point": "2", "text": "PDSA 1"}
    trainee.post(f"{saved.headers['location']}/annotations", data=note)
    with Session(engine) as db:
        cohort, _ = supervision.create_cohort(db, "Ward 9")
        assert cohort is not None
        supervision.add_to_cohort(db, cohort.id, emails["trainee"], as_supervisor=False)
        supervision.add_to_cohort(db, cohort.id, emails["supervisor"], as_supervisor=True)
    assert accept(trainee, invite_code(boss)).status_code == 303
    invite_code(boss)  # left pending: its cancel form
    finish_module(trainee)
    finish_module(boss, wrong_first=1000)  # below the pass mark: a retake form
    with httpx.Client(base_url=server_url) as other:
        victim = user_id(engine, register(other))
    issued = admin.post(
        f"/admin/users/{victim}/reset-link", data={"csrf_token": csrf(admin, "/admin/users")}
    )
    reset = re.search(r"/password/reset/[\w-]+", issued.text)
    assert reset, issued.text[:300]
    extra_pages = [reset.group(0)]
    # Projects, measures and PDSA cycles (proj-data): the trainee leads a project with a charted
    # measure and a decided cycle, so each stage's form and "next cycle" are found and fuzzed.
    pid = project_for(engine, emails["trainee"])
    measure = add_measure(trainee, pid)
    paste(trainee, measure)
    cycles = f"/projects/{pid}/pdsa"
    plan = {"csrf_token": csrf(trainee, cycles), "change": "Grab bag", "starts_on": "2026-02-03"}
    cycle = trainee.post(cycles, data=plan).headers["location"]
    trainee.post(f"{cycle}/act", data={"csrf_token": plan["csrf_token"], "act": "adapt"})
    extra_pages += [f"/projects/{pid}/measures", measure, cycles, cycle]
    # Projects, driver diagram and stakeholders (coach-draw): a project of the trainee's, made in
    # the tables, with a box of each kind, a measure and a stakeholder, so their forms appear.
    extra_pages += coach_draw_project(engine, user_id(engine, emails["trainee"]))
    extra_pages += evidence_pages(engine, trainee, emails["trainee"])
    extra_pages += fuzz_projects(trainee, boss, emails["supervisor"])  # projects (proj-core)
    yield Cast(clients, emails, extra_pages)
    for http in clients.values():
        http.close()
    _empty_learner_tables(engine)


def coach_draw_project(engine: Engine, lead: int) -> list[str]:
    pid = coach_draw_helpers.make_project(engine, lead, aim_what="Antibiotics within 1 hour")
    measure = coach_draw_helpers.add_measure(
        engine, pid, "Antibiotics < 1 hour", values_text="1\n2"
    )
    with Session(engine) as db:
        primary = DriverNode(project_id=pid, kind="primary", text="Recognition", author_id=lead)
        db.add(primary)
        db.flush()
        secondary = DriverNode(
            project_id=pid, kind="secondary", text="Triage", parent_id=primary.id
        )
        db.add(secondary)
        db.flush()
        for parent in (primary.id, secondary.id):
            db.add(DriverNode(project_id=pid, kind="change", text="Prompt", parent_id=parent))
        db.add(
            Stakeholder(
                project_id=pid, name="Matron", power="high", interest="high", author_id=lead
            )
        )
        db.commit()
    assert measure
    return [f"/projects/{pid}/drivers", f"/projects/{pid}/people"]


def evidence_pages(engine: Engine, lead: httpx.Client, email: str) -> list[str]:
    """Projects (evidence): a project the trainee leads, with a pack, so the pack's check (and
    its upload form) and the supervisor's attestation form appear."""
    with Session(engine) as db:
        lead_id = user_id(engine, email)
        project = Project(title="Falls", lead_id=lead_id, created_by_id=lead_id)
        db.add(project)
        db.commit()
        db.add(ProjectMember(project_id=project.id, user_id=lead_id, role="lead"))
        db.commit()
        page = f"/projects/{project.id}/evidence"
    made = lead.post(page, data={"csrf_token": csrf(lead, page)})
    pack = re.search(r"new=(QIE-[A-Z2-7]+)", made.headers["location"])
    assert pack, made.text[:300]
    return [page, f"/verify/{pack.group(1)}"]


def allowed_roles(key: str) -> list[str]:
    """The roles that get past the route's gate (others stop at a 403 or a sign-in redirect,
    which the access matrix already holds)."""
    if key in SIGNS_OUT:
        return ["anonymous"]
    return [role for role in ROLES if expected(POLICY[key], role) == "allowed"]


@pytest.fixture(scope="module")
def targets(settings: Settings, cast: Cast) -> dict[str, Target]:
    found = routes(create_app(settings))
    starts = sorted({fill(t.template, {}) for t in found.values() if t.method == "GET"})
    starts += cast.extra_pages
    for role, http in cast.clients.items():  # the trainee reads every lesson; others a few
        crawl(found, http, starts, per_route=40 if role == "trainee" else 3)
    scenario = found["GET /modules/{module_slug}/{lesson_slug}/scenarios/{scenario_id}"]
    ending = play_to_an_end(cast.clients["trainee"], sorted(scenario.seen_paths)[0])
    crawl(found, cast.clients["trainee"], [ending])  # its debrief: restart and reflection
    return found


def play_to_an_end(http: httpx.Client, url: str) -> str:
    """Take the first choice at every step of a scenario until its ending; returns its url."""
    for _ in range(40):
        page = http.get(url).text
        step = re.search(r'name="step" value="(\d+)"', page)
        choice = re.search(r'name="choice" value="(\d+)"', page)
        if not (step and choice):
            return url
        data = {"csrf_token": csrf(http, url), "step": step.group(1), "choice": choice.group(1)}
        http.post(f"{url}/choose", data=data)
    raise AssertionError(f"no ending after 40 choices in {url}")


def report(fuzzer: Fuzzer, what: str, record_property, capsys) -> None:  # type: ignore[no-untyped-def]
    record_property("requests", fuzzer.requests)
    with capsys.disabled():
        print(f"\nfuzz: {fuzzer.requests} requests ({what}); statuses {dict(fuzzer.statuses)}")
    assert fuzzer.failures == [], "\n\n".join(fuzzer.failures)


def test_no_form_post_causes_a_server_error(
    cast: Cast, targets: dict[str, Target], engine: Engine, record_property, capsys
) -> None:  # type: ignore[no-untyped-def]
    fuzzer = Fuzzer()
    posts = sorted(
        (t for t in targets.values() if t.method == "POST"),
        key=lambda t: (t.key in SIGNS_OUT, t.key),
    )
    for target in posts:
        for role in allowed_roles(target.key):
            attempt = post_attempt(fuzzer, target, role, cast.clients[role])
            fuzzer.run(f"{target.key} as {role}", attempt)
            cast.reset(engine)
    report(fuzzer, f"form posts to {len(posts)} routes", record_property, capsys)


def test_no_address_or_query_causes_a_server_error(
    cast: Cast, targets: dict[str, Target], engine: Engine, record_property, capsys
) -> None:  # type: ignore[no-untyped-def]
    fuzzer = Fuzzer()
    gets = sorted((t for t in targets.values() if t.method == "GET"), key=lambda t: t.key)
    for target in gets:
        for role in allowed_roles(target.key):
            attempt = get_attempt(fuzzer, target, role, cast.clients[role])
            fuzzer.run(f"{target.key} as {role}", attempt)
    report(fuzzer, f"GETs of {len(gets)} routes", record_property, capsys)


def test_a_refused_form_is_the_apps_own_page_not_json(client: httpx.Client) -> None:
    """Found by the fuzzer: a drill form with no seed was a 422 as bare JSON (FastAPI's default
    for an HTTPException that is not a 403, 404, 405 or 409)."""
    response = client.post("/lab/drill", data={"csrf_token": csrf(client, "/lab")})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "Something was wrong with that request" in response.text


def test_the_forms_are_found_by_walking_the_pages(targets: dict[str, Target]) -> None:
    """Routes that read the form themselves declare no fields: the crawl must find them, and
    every POST route must be reached at a real address or declare what it takes."""
    fields = {key: t.form_fields for key, t in targets.items() if t.method == "POST"}
    assert {"seed", "chart-1"} <= fields["POST /lab/drill"]
    assert {"answer", "form_key"} <= fields[
        "POST /modules/{module_slug}/{lesson_slug}/questions/{question_id}"
    ]
    scenario = "POST /modules/{module_slug}/{lesson_slug}/scenarios/{scenario_id}"
    assert {"step", "choice"} <= fields[f"{scenario}/choose"]
    unseen = {
        k for k, t in targets.items() if t.method == "POST" and t.path_params and not t.seen_paths
    }
    # "Redo" is offered only when a lesson changed after it was completed; a review question
    # only once an answer is due (hours later): tests/web/test_review.py posts to it.
    assert unseen == {
        "POST /modules/{module_slug}/{lesson_slug}/redo",
        "POST /review/{card_id}",
    }, "fuzzed at made-up ids"


def test_signing_in_with_an_address_longer_than_any_account_is_refused_plainly(
    client: httpx.Client,
) -> None:
    """Found by the fuzzer: the throttle's record of a failed sign-in did not fit PostgreSQL's
    varchar(254), a 500 there (SQLite ignores the length). Repeats count against the clipped
    address, as every other failure does."""
    email = "a" * 300 + "@example.nhs.uk"
    for _ in range(2):
        response = post(client, "/login", {"email": email, "password": "wrong password"})
        assert response.status_code == 422, response.status_code
        assert "html" in response.headers["content-type"]
