"""Projects: starting one, the list, the overview's section forms (with and without HTMX), the
aim in four parts, and reflections."""

from __future__ import annotations

from html import unescape

from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Project, ProjectEvent, ProjectMember, ProjectReflection
from tests.web.projects_helpers import empty_tables, people, refusals, start_project  # noqa: F401

WHAT = "increase the share of patients with sepsis given antibiotics within one hour"


def test_a_trainee_starts_a_project_and_leads_it(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead") as (lead,):
        assert 'href="/projects"' in lead.get("/").text, "Projects is in the header"
        empty = lead.get("/projects")
        assert empty.status_code == 200 and "You have no projects yet" in empty.text
        project_id = start_project(lead, "Sepsis <b>bundle</b>")
        listing = lead.get("/projects").text
        assert f'href="/projects/{project_id}"' in listing
        assert "Sepsis &lt;b&gt;bundle&lt;/b&gt;" in listing, "titles are escaped"
        page = lead.get(f"/projects/{project_id}")
        assert page.status_code == 200
        assert 'aria-current="page"' in page.text and "Driver diagram" in page.text
        assert "Dr Ada Lead started the project" in unescape(page.text)
    with Session(engine) as db:
        project = db.get(Project, project_id)
        assert project is not None and project.lead_id == lead.id
        (member,) = db.exec(select(ProjectMember).where(ProjectMember.project_id == project_id))
        assert (member.user_id, member.role) == (lead.id, "lead")


def test_a_title_is_required_and_kept_when_too_long(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead") as (lead,):
        blank = lead.post("/projects", {"title": "   "})
        assert blank.status_code == 422 and "Give the project a title" in unescape(blank.text)
        long = "x" * 201
        refused = lead.post("/projects", {"title": long})
        assert refused.status_code == 422 and f'value="{long}"' in refused.text
    with Session(engine) as db:
        assert db.exec(select(Project)).all() == []


def test_each_section_saves_alone_with_and_without_htmx(server_url: str, engine: Engine) -> None:
    with people(server_url, engine, "Dr Ada Lead") as (lead,):
        pid = start_project(lead)
        plain = lead.post(f"/projects/{pid}/sections/problem", {"text": "Late <antibiotics>"})
        assert plain.status_code == 303
        assert plain.headers["location"] == f"/projects/{pid}?saved=problem#section-problem"
        page = lead.get(plain.headers["location"]).text
        assert "Late &lt;antibiotics&gt;" in page and "Saved." in page
        swapped = lead.post(
            f"/projects/{pid}/sections/baseline",
            {"text": "42% in May"},
            headers={"HX-Request": "true"},
        )
        assert swapped.status_code == 200 and "HX-Request" in swapped.headers["vary"]
        assert swapped.text.lstrip().startswith(
            '<section class="qi-project-section" id="section-baseline"'
        )
        assert "42% in May" in swapped.text and "<html" not in swapped.text
        too_long = "y" * 4001
        refused = lead.post(f"/projects/{pid}/sections/context", {"text": too_long})
        assert refused.status_code == 422 and too_long in refused.text
        assert "Keep the context to 4,000 characters or fewer" in refused.text
        assert lead.post(f"/projects/{pid}/sections/nonsense", {"text": "x"}).status_code == 404
    with Session(engine) as db:
        project = db.get(Project, pid)
        assert project is not None
        assert (project.problem, project.baseline, project.context) == (
            "Late <antibiotics>",
            "42% in May",
            "",
        )
        edits = db.exec(select(ProjectEvent.detail).where(ProjectEvent.action == "edited")).all()
        assert sorted(edits) == ["Baseline", "Problem"]


def test_the_aim_in_four_parts_and_a_bad_date_keeps_the_input(
    server_url: str, engine: Engine
) -> None:
    with people(server_url, engine, "Dr Ada Lead") as (lead,):
        pid = start_project(lead)
        aim = {
            "aim_what": WHAT,
            "aim_how_much": "90%",
            "aim_by_when": "2027-02-30",
            "aim_for_whom": "adults admitted through the emergency department",
        }
        refused = lead.post(f"/projects/{pid}/aim", aim)
        assert refused.status_code == 422
        text = unescape(refused.text)
        assert "Enter a real date" in text and 'value="2027-02-30"' in text
        assert f'value="{aim["aim_what"]}"' in text, "every part kept"
        htmx = lead.post(
            f"/projects/{pid}/aim", {**aim, "aim_how_much": "lots"}, headers={"HX-Request": "true"}
        )
        assert htmx.status_code == 422 and "Enter how much as a number" in htmx.text
        assert htmx.text.lstrip().startswith('<section class="qi-project-section" id="aim"')
        saved = lead.post(f"/projects/{pid}/aim", {**aim, "aim_by_when": "31/03/2027"})
        assert saved.status_code == 303
        page = unescape(lead.get(saved.headers["location"]).text)
        assert (
            f"We aim to {WHAT}"
            " to 90% by 31 March 2027 for adults admitted through the emergency department."
        ) in page
        assert 'value="2027-03-31"' in page
        partial = lead.post(f"/projects/{pid}/aim", {**aim, "aim_by_when": ""})
        assert partial.status_code == 303
        assert "still needs by when" in unescape(lead.get(f"/projects/{pid}").text)


def test_reflections_are_dated_and_only_their_author_deletes_them(
    server_url: str, engine: Engine
) -> None:
    with people(server_url, engine, "Dr Ada Lead", "Nurse Bo Member") as (lead, member):
        pid = start_project(lead)
        assert lead.post(f"/projects/{pid}/members", {"member_email": member.email,
                         "member_role": "member", "how": "add"}).status_code == 303  # fmt: skip
        assert lead.post(f"/projects/{pid}/reflections", {"text": "   "}).status_code == 422
        assert (
            lead.post(f"/projects/{pid}/reflections", {"text": "Huddles work"}).status_code == 303
        )
        assert (
            member.post(f"/projects/{pid}/reflections", {"text": "Ask pharmacy"}).status_code == 303
        )
        page = unescape(member.get(f"/projects/{pid}/reflections").text)
        assert "Dr Ada Lead, " in page and "Nurse Bo Member, " in page
        assert page.index("Ask pharmacy") < page.index("Huddles work"), "newest first"
        with Session(engine) as db:
            leads = db.exec(
                select(ProjectReflection).where(ProjectReflection.author_id == lead.id)
            ).one()
        wrong = member.post(f"/projects/{pid}/reflections/{leads.id}/delete")
        assert wrong.status_code == 404 and f"project_reflection:{leads.id}" in refusals(engine)
        assert lead.post(f"/projects/{pid}/reflections/{leads.id}/delete").status_code == 303
        assert "Huddles work" not in lead.get(f"/projects/{pid}/reflections").text
