"""Every database table, with what it holds about a person: export and erase handlers for each
table holding personal data, or the reason it holds none. A table missing from here fails
tests/privacy/test_registry.py, so a new table cannot ship without a decision.

The order is the erase order: the audit trail first (it finds certificates by their holder),
rows that point at others before those, the account itself last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlmodel import Session, col

from app.models import (
    Attempt,
    Certificate,
    CohortMember,
    CohortSupervisor,
    Conversation,
    Dataset,
    DrillAttempt,
    DriverNode,
    LessonCompletion,
    LessonProgress,
    LoginFailure,
    Measure,
    ModuleCompletion,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectEvent,
    ProjectMember,
    ProjectReflection,
    Reflection,
    ReviewCard,
    ReviewLog,
    ScenarioRun,
    Stakeholder,
    User,
    UserSession,
)
from app.privacy import handlers as h
from app.privacy import project_handlers as ph
from app.privacy.placeholder import Placeholder
from app.privacy.rows import Exporter, Subject, delete_rows, rows_of

Eraser = Callable[[Session, Subject, Placeholder], int]


@dataclass(frozen=True)
class Personal:
    """A table with rows about a person. `kept` says what erasure keeps, if anything."""

    export: Exporter
    erase: Eraser
    kept: str = ""


@dataclass(frozen=True)
class NotPersonal:
    reason: str


def _by(model, column: str = "user_id") -> tuple[Exporter, Eraser]:  # type: ignore[no-untyped-def]
    """Rows linked by a user id column: all exported, all deleted."""

    def where(s: Subject):  # type: ignore[no-untyped-def]
        return col(getattr(model, column)) == s.id

    return rows_of(model, where), delete_rows(model, where)


REGISTRY: dict[str, Personal | NotPersonal] = {
    "audit_event": Personal(
        h.export_audit,
        h.erase_audit,
        kept="each row, for the trail, without the person's id, email or details about them",
    ),
    "attempt": Personal(
        rows_of(Attempt, lambda s: col(Attempt.user_id) == s.id),
        h.erase_attempts,
        kept="every answer, moved to an anonymous stand-in, so question statistics add up",
    ),
    "certificate": Personal(
        rows_of(Certificate, lambda s: col(Certificate.user_id) == s.id),
        h.erase_certificates,
        kept="the id, revoked at the holder's request, with the signed statement emptied",
    ),
    "annotation": Personal(h.export_annotations, h.erase_annotations),
    "dataset": Personal(*_by(Dataset)),
    "drill_attempt": Personal(*_by(DrillAttempt)),
    "lesson_progress": Personal(*_by(LessonProgress)),
    "lesson_completion": Personal(*_by(LessonCompletion)),
    "scenario_run": Personal(*_by(ScenarioRun)),
    "review_card": Personal(*_by(ReviewCard)),
    "review_log": Personal(*_by(ReviewLog)),
    "reflection": Personal(*_by(Reflection)),
    "module_completion": Personal(*_by(ModuleCompletion)),
    "supervision": Personal(h.export_supervisions, h.erase_supervisions),
    "invite": Personal(
        h.export_invites,
        h.erase_invites,
        kept="codes the person accepted, still used, no longer saying by whom",
    ),
    "cohort_member": Personal(h.export_cohort_members, _by(CohortMember, "trainee_id")[1]),
    "cohort_supervisor": Personal(
        h.export_cohort_supervisors, _by(CohortSupervisor, "supervisor_id")[1]
    ),
    "password_reset": Personal(h.export_password_resets, h.erase_password_resets),
    "user_session": Personal(
        rows_of(UserSession, lambda s: col(UserSession.user_id) == s.id, omit=("token_hash",)),
        _by(UserSession)[1],
    ),
    "login_failure": Personal(
        h.export_login_failures,
        delete_rows(LoginFailure, lambda s: col(LoginFailure.email) == s.email),
    ),
    # Projects: the team keeps its work; the person leaves it (app/privacy/project_handlers.py).
    "project": Personal(
        rows_of(
            Project,
            lambda s: (col(Project.lead_id) == s.id) | (col(Project.created_by_id) == s.id),
        ),
        ph.erase_projects,
        kept="projects with anyone else on the team, led from then on by the anonymous"
        " stand-in; a project only they were on is deleted",
    ),
    "project_member": Personal(*_by(ProjectMember)),
    "project_invite": Personal(
        ph.export_project_invites,
        ph.erase_project_invites,
        kept="invitations they accepted, still used, no longer saying by whom",
    ),
    **{
        table: Personal(
            rows_of(model, lambda s, m=model: col(m.author_id) == s.id),
            ph.authorship(model),
            kept="what they wrote in a team's project, with no author",
        )
        for table, model in (
            ("driver_node", DriverNode),
            ("measure", Measure),
            ("pdsa_cycle", PdsaCycle),
            ("stakeholder", Stakeholder),
            ("conversation", Conversation),
        )
    },
    "project_reflection": Personal(*_by(ProjectReflection, "author_id")),
    "handover": Personal(
        ph.export_handovers,
        ph.erase_handovers,
        kept="handover notes on the project, naming neither side; waiting ones cancelled",
    ),
    "project_attestation": Personal(
        rows_of(ProjectAttestation, lambda s: col(ProjectAttestation.supervisor_id) == s.id),
        ph.erase_attestations,
        kept="a supervisor's comment text on the project, unsigned and unattributed",
    ),
    "evidence_pack": Personal(
        ph.export_packs,
        ph.erase_packs,
        kept="evidence packs of the project (a signed document, as generated), without who"
        " generated them",
    ),
    "project_event": Personal(
        rows_of(ProjectEvent, lambda s: col(ProjectEvent.actor_id) == s.id),
        ph.erase_events,
        kept="the project's history, not saying who did what",
    ),
    "change_idea_measure": NotPersonal("links a change idea to a measure; no person in it"),
    "app_user": Personal(
        rows_of(User, lambda s: col(User.id) == s.id, omit=("password_hash",)),
        _by(User, "id")[1],
    ),
    "lesson_version": NotPersonal("content: which lesson versions were served, to no one"),
    "cohort": NotPersonal("a group's name such as 'F1 North 2026-27'; members are cohort_member"),
    "registration_attempt": NotPersonal(
        "an address and a time for the registration throttle, tied to no account or email,"
        " kept an hour"
    ),
    "alembic_version": NotPersonal("the schema's migration revision"),
}


def personal() -> dict[str, Personal]:
    return {name: kind for name, kind in REGISTRY.items() if isinstance(kind, Personal)}


def unregistered(tables: Iterable[str]) -> set[str]:
    """Tables with no entry: each must be added before it ships."""
    return set(tables) - REGISTRY.keys()
