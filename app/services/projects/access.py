"""Who may see and change a project.

- The team (active `project_member` rows): the lead and members edit; a team supervisor reads,
  comments and attests.
- The lead's own supervisors (direct or by cohort, as `services.supervision` defines them) read,
  comment and attest, without being on the team.
- Nobody else sees that the project exists: routes answer 404 and audit the attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, or_
from sqlmodel import Session, col, select

from app.models import Project, ProjectMember, User
from app.services import supervision

LEAD = "lead"
MEMBER = "member"
SUPERVISOR = "supervisor"  # on the team as its supervisor
OVERSEER = "overseer"  # not on the team: a supervisor of the lead
TEAM_ROLES = (LEAD, MEMBER, SUPERVISOR)


@dataclass(frozen=True)
class ProjectAccess:
    project: Project
    role: str  # lead | member | supervisor | overseer

    @property
    def is_lead(self) -> bool:
        return self.role == LEAD

    @property
    def can_edit(self) -> bool:
        return self.role in (LEAD, MEMBER)

    @property
    def can_attest(self) -> bool:
        return self.role in (SUPERVISOR, OVERSEER)


def _active_member(user: User):  # type: ignore[no-untyped-def]
    return exists().where(
        ProjectMember.project_id == Project.id,
        ProjectMember.user_id == user.id,
        col(ProjectMember.ended_at).is_(None),
    )


def visible_projects(user: User) -> Select:
    """SELECT of the projects this user may see: the one scope every project list uses."""
    led_by_supervised = col(Project.lead_id).in_(
        supervision.visible_trainees(user).with_only_columns(col(User.id))
    )
    return select(Project).where(or_(_active_member(user), led_by_supervised))


def project_access(db: Session, user: User, project_id: int) -> ProjectAccess | None:
    """The user's standing on this project, or None when they may not see it at all."""
    row = db.exec(
        select(Project, ProjectMember.role)
        .outerjoin(
            ProjectMember,
            (col(ProjectMember.project_id) == Project.id)
            & (col(ProjectMember.user_id) == user.id)
            & col(ProjectMember.ended_at).is_(None),
        )
        .where(Project.id == project_id)
    ).first()
    if row is None:
        return None
    project, role = row
    if role is not None:
        return ProjectAccess(project, LEAD if project.lead_id == user.id else role)
    if supervision.can_see(db, user, project.lead_id) is not None:
        return ProjectAccess(project, OVERSEER)
    return None
