"""Starting a project and writing its overview: problem, context, baseline, the four-part aim,
results, sustainability and spread. Each section is saved on its own, so two team members
editing different sections never overwrite each other's work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.models import Project, ProjectMember, User
from app.models.content import utcnow
from app.services.projects import history
from app.services.projects.access import LEAD

TITLE_LIMIT = 200
TEXT_LIMIT = 4000
# The overview's free-text sections, in page order (the aim sits between baseline and results).
SECTIONS = {
    "problem": ("Problem", "What is wrong now, and for whom? Say how you know."),
    "context": ("Context", "Where this happens: the ward, the service, the people involved."),
    "baseline": ("Baseline", "What the data show before any change: numbers, dates, source."),
    "results": ("Results", "What changed, and what the measures show."),
    "sustainability": ("Sustainability", "How the change will last when the team moves on."),
    "spread": ("Spread", "Where else this could work, and who you have told."),
}
AIM_LIMITS = {"aim_what": 400, "aim_how_much": 200, "aim_for_whom": 200}
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)\s*%?$")
DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def create_project(db: Session, user: User, title: str) -> tuple[Project | None, str | None]:
    """Start a project led by `user` (a lead membership row too); returns it or a problem."""
    title = title.strip()
    if not title:
        return None, "Give the project a title, for example “Antibiotics within the hour”"
    if len(title) > TITLE_LIMIT:
        return None, f"Keep the title to {TITLE_LIMIT} characters or fewer"
    project = Project(title=title, lead_id=user.id, created_by_id=user.id)
    db.add(project)
    db.flush()
    assert project.id is not None
    db.add(ProjectMember(project_id=project.id, user_id=user.id, role=LEAD))
    history.record(db, project.id, user, "created", title)
    db.commit()
    return project, None


def save_section(db: Session, project: Project, user: User, section: str, text: str) -> str | None:
    """Save one free-text section; returns a problem to show (nothing saved), or None."""
    label = SECTIONS[section][0]
    if len(text) > TEXT_LIMIT:
        return f"Keep the {label.lower()} to {TEXT_LIMIT:,} characters or fewer"
    if getattr(project, section) == text:
        return None  # nothing changed: no history row
    setattr(project, section, text)
    project.updated_at = utcnow()
    db.add(project)
    assert project.id is not None
    history.record(db, project.id, user, "edited", label)
    db.commit()
    return None


@dataclass
class AimForm:
    """The aim as typed (kept on error) and, when it parses, the date."""

    what: str = ""
    how_much: str = ""
    by_when: str = ""
    for_whom: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    parsed_date: date | None = None


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD (what a date input sends) or DD/MM/YYYY (typed where there is no picker)."""
    text = text.strip()
    try:
        if match := DMY.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def parse_aim(what: str, how_much: str, by_when: str, for_whom: str) -> AimForm:
    """Each part may be left for later (the coach says what is missing); what is given must fit:
    "how much" a number (a % allowed), "by when" a real date."""
    form = AimForm(what, how_much, by_when, for_whom)
    for name, value in (("aim_what", what), ("aim_how_much", how_much), ("aim_for_whom", for_whom)):
        if len(value.strip()) > AIM_LIMITS[name]:
            form.errors[name] = f"Keep this to {AIM_LIMITS[name]} characters or fewer"
    typed = how_much.strip()
    if typed and "aim_how_much" not in form.errors and not NUMBER.match(typed):
        form.errors["aim_how_much"] = "Enter how much as a number, for example 90 or 90%"
    if by_when.strip():
        form.parsed_date = parse_date(by_when)
        if form.parsed_date is None:
            form.errors["aim_by_when"] = "Enter a real date, for example 31/03/2027"
    return form


def aim_form_of(project: Project) -> AimForm:
    by_when = project.aim_by_when.isoformat() if project.aim_by_when else ""
    return AimForm(project.aim_what, project.aim_how_much, by_when, project.aim_for_whom)


def save_aim(db: Session, project: Project, user: User, form: AimForm) -> None:
    """Store a parsed aim (check `form.errors` first)."""
    new = (form.what.strip(), form.how_much.strip(), form.parsed_date, form.for_whom.strip())
    old = (project.aim_what, project.aim_how_much, project.aim_by_when, project.aim_for_whom)
    if new == old:
        return
    project.aim_what, project.aim_how_much, project.aim_by_when, project.aim_for_whom = new
    project.updated_at = utcnow()
    db.add(project)
    assert project.id is not None
    history.record(db, project.id, user, "edited", "Aim")
    db.commit()


def aim_sentence(project: Project) -> str | None:
    """The aim as one sentence, once all four parts are there."""
    what, much, when, whom = (
        project.aim_what.strip(),
        project.aim_how_much.strip(),
        project.aim_by_when,
        project.aim_for_whom.strip(),
    )
    if not (what and much and when and whom):
        return None
    return (
        f"We aim to {what.rstrip('.')} to {much} by {when.day} {when:%B %Y} for {whom.rstrip('.')}."
    )


def aim_missing(project: Project) -> list[str]:
    parts = [
        ("what", project.aim_what.strip()),
        ("how much", project.aim_how_much.strip()),
        ("by when", project.aim_by_when),
        ("for whom", project.aim_for_whom.strip()),
    ]
    return [name for name, value in parts if not value]
