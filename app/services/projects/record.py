"""Lists of projects: the /projects page (what a person may open, and handovers either way) and a
trainee's record (projects led, joined and handed over). Two queries each, whatever the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.models import Handover, Project, ProjectMember, User
from app.services.projects.access import LEAD, OVERSEER, visible_projects

PENDING, ACCEPTED = "pending", "accepted"


@dataclass(frozen=True)
class HandoverLine:
    handover: Handover
    project_title: str
    from_name: str
    to_name: str


@dataclass
class ProjectLine:
    project: Project
    lead_name: str
    role: str | None  # lead | member | supervisor | overseer | None (handed over and left)
    offered: Handover | None = None  # a pending handover to me
    handed_over: HandoverLine | None = None  # my accepted handover of it

    @property
    def can_open(self) -> bool:
        return self.role is not None


def handover_lines(db: Session, where) -> list[HandoverLine]:  # type: ignore[no-untyped-def]
    giver, taker = aliased(User), aliased(User)
    rows = db.exec(
        select(Handover, Project.title, giver.name, taker.name)
        .join(Project, col(Project.id) == Handover.project_id)
        .outerjoin(giver, giver.id == Handover.from_user_id)
        .outerjoin(taker, taker.id == Handover.to_user_id)
        .where(where)
        .order_by(col(Handover.created_at).desc())
    ).all()
    return [HandoverLine(h, t, f or "Someone", to or "Someone") for h, t, f, to in rows]


def my_projects(db: Session, user: User) -> list[ProjectLine]:
    """What /projects lists: projects I may open (led, joined, or led by my trainees), projects
    I handed over (even after leaving the team) and projects whose lead is offered to me."""
    mine = or_(
        and_(col(Handover.to_user_id) == user.id, col(Handover.status) == PENDING),
        and_(col(Handover.from_user_id) == user.id, col(Handover.status) == ACCEPTED),
    )
    lines = handover_lines(db, mine)
    visible = col(Project.id).in_(visible_projects(user).with_only_columns(col(Project.id)))
    lead = aliased(User)
    rows = db.exec(
        select(Project, lead.name, ProjectMember.role, visible.label("visible"))
        .join(lead, lead.id == Project.lead_id)
        .outerjoin(
            ProjectMember,
            (col(ProjectMember.project_id) == Project.id)
            & (col(ProjectMember.user_id) == user.id)
            & col(ProjectMember.ended_at).is_(None),
        )
        .where(or_(visible, col(Project.id).in_({h.handover.project_id for h in lines})))
        .order_by(col(Project.updated_at).desc(), col(Project.id).desc())
    ).all()
    found = []
    for project, lead_name, member_role, seen in rows:
        role = LEAD if project.lead_id == user.id else member_role
        role = role or (OVERSEER if seen else None)
        found.append(ProjectLine(project, lead_name, role))
    by_id = {line.project.id: line for line in found}
    for h in lines:
        line = by_id.get(h.handover.project_id)
        if line is None:
            continue
        if h.handover.status == PENDING:
            line.offered = h.handover
        elif line.handed_over is None:  # the latest, if handed over more than once
            line.handed_over = h
    return found


@dataclass(frozen=True)
class RecordLine:
    project_id: int
    title: str
    role: str
    active: bool  # still on the team
    since: datetime


@dataclass
class ProjectsRecord:
    led: list[RecordLine] = field(default_factory=list)
    joined: list[RecordLine] = field(default_factory=list)
    handed_over: list[HandoverLine] = field(default_factory=list)


def projects_record(db: Session, user: User) -> ProjectsRecord:
    """A trainee's projects for their record: led now, joined (never led), handed over."""
    handed = handover_lines(
        db, and_(col(Handover.from_user_id) == user.id, col(Handover.status) == ACCEPTED)
    )
    rows = db.exec(
        select(Project.id, Project.title, Project.lead_id, ProjectMember)
        .join(ProjectMember, col(ProjectMember.project_id) == Project.id)
        .where(ProjectMember.user_id == user.id)
        .order_by(col(ProjectMember.joined_at).desc())
    ).all()
    record = ProjectsRecord(handed_over=handed)
    handed_ids = {h.handover.project_id for h in handed}
    for project_id, title, lead_id, member in rows:
        active = member.ended_at is None
        line = RecordLine(project_id, title, member.role, active, member.joined_at)
        if lead_id == user.id:
            record.led.append(line)
        elif project_id not in handed_ids:
            record.joined.append(line)
    return record
