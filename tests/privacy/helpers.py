"""Give a person a row in every table that can hold personal data, each row marked so a test
can tell whose it is: the marker appears in every free-text field."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models import (
    Annotation,
    Attempt,
    AuditEvent,
    Cohort,
    CohortMember,
    CohortSupervisor,
    Conversation,
    Dataset,
    DrillAttempt,
    DriverNode,
    EvidencePack,
    Handover,
    Invite,
    LessonCompletion,
    LessonProgress,
    LoginFailure,
    Measure,
    PasswordReset,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectEvent,
    ProjectInvite,
    ProjectMember,
    ProjectReflection,
    Reflection,
    ReviewCard,
    ReviewLog,
    ScenarioRun,
    Stakeholder,
    Supervision,
    User,
)
from app.models.content import utcnow
from tests.conftest import course_module
from tests.web.helpers import register
from tests.web.supervision_helpers import pass_and_certify

MODULE = course_module()
LESSON = MODULE.lessons[0]
QUESTION = LESSON.questions[0]


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str
    marker: str
    certificate: str


def person(
    client: httpx.Client, engine: Engine, settings: Settings, partner: int, tag: str
) -> Person:
    """Register (signing `client` in) and fill every personal table; `partner` supervises."""
    name = f"Dr {tag} Person-{secrets.token_hex(3)}"
    email = register(client, name=name)
    marker = f"marker-{tag}-{secrets.token_hex(4)}"
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        uid = user.id
        assert uid is not None
        cohort = Cohort(name=f"Cohort {secrets.token_hex(4)}")  # a group, not personal
        dataset = Dataset(user_id=uid, title=marker, chart="run", profile="ihi", values_text="1")
        db.add_all([cohort, dataset])
        db.flush()
        common = {"user_id": uid, "module_slug": MODULE.slug, "lesson_slug": LESSON.slug}
        db.add_all(
            [
                Attempt(**common, question_id=QUESTION.id, content_version="v", answer="b",
                        correct=True, form_key=secrets.token_hex(8)),
                Attempt(**common, question_id=QUESTION.id, content_version="v", answer="a",
                        correct=False, form_key=secrets.token_hex(8)),
                LessonProgress(**common, content_version="v"),
                LessonCompletion(**common, content_version="v", score=80),
                ScenarioRun(**common, scenario_id="s", content_version="v", reflection=marker),
                Reflection(**common, text=marker),
                ReviewCard(**common, question_id=QUESTION.id, card="{}", due=utcnow(),
                           last_reviewed_at=utcnow(), last_rating=3, reviews=1),
                ReviewLog(user_id=uid, module_slug=MODULE.slug, question_id=QUESTION.id,
                          rating=3),
                DrillAttempt(user_id=uid, seed=1, profile="ihi", answers="sn", hits=1, misses=0,
                             false_alarms=0, correct_rejections=1),
                Annotation(dataset_id=dataset.id, point_index=0, text=marker),
                Supervision(supervisor_id=partner, trainee_id=uid),
                Invite(code=f"I{secrets.token_hex(6)}", supervisor_id=partner, used_by=uid,
                       used_at=utcnow(), expires_at=utcnow() + timedelta(days=1),
                       invitee_name=name, invitee_email=email),
                Invite(code=f"S{secrets.token_hex(6)}", supervisor_id=uid,
                       expires_at=utcnow() + timedelta(days=1), invitee_name=marker),
                CohortMember(cohort_id=cohort.id, trainee_id=uid),
                CohortSupervisor(cohort_id=cohort.id, supervisor_id=uid),
                PasswordReset(token_hash=secrets.token_hex(32), user_id=uid,
                              expires_at=utcnow() + timedelta(hours=1)),
                LoginFailure(email=email, address="192.0.2.1"),
                AuditEvent(actor_id=uid, actor_role="trainee", action="email_changed",
                           scope=f"user:{uid}", detail=f"old-{marker}@example.org -> {email}"),
                AuditEvent(actor_id=partner, actor_role="supervisor", action="forbidden",
                           scope=f"trainee:{uid}", detail="answered 404"),
            ]
        )  # fmt: skip
        project_rows(db, uid, partner, tag, marker)
        cert = pass_and_certify(db, settings, user)
    return Person(uid, email, name, marker, cert.id)


def project_rows(db: Session, uid: int, partner: int, tag: str, marker: str) -> None:
    """A project the person leads alone, with a row of every project table in it."""
    project = Project(title=marker, lead_id=uid, created_by_id=uid, problem=marker)
    db.add(project)
    db.flush()
    pid = project.id
    node = DriverNode(project_id=pid, kind="primary", text=marker, author_id=uid)
    stakeholder = Stakeholder(project_id=pid, name=marker, power="high", interest="high",
                              author_id=uid)  # fmt: skip
    db.add_all([node, stakeholder])
    db.flush()
    db.add_all(
        [
            ProjectMember(project_id=pid, user_id=uid, role="lead"),
            ProjectInvite(project_id=pid, email=f"invitee-{tag}@example.org", role="member",
                          token_hash=secrets.token_hex(32), invited_by_id=uid,
                          expires_at=utcnow() + timedelta(days=14)),
            Measure(project_id=pid, name=marker, kind="outcome", author_id=uid),
            PdsaCycle(project_id=pid, number=1, change=marker, change_idea_id=node.id,
                      author_id=uid),
            Conversation(project_id=pid, stakeholder_id=stakeholder.id, held_on=date(2026, 11, 1),
                         summary=marker, author_id=uid),
            ProjectReflection(project_id=pid, author_id=uid, text=marker),
            Handover(project_id=pid, from_user_id=uid, to_user_id=partner, what_works=marker,
                     what_next=marker, who_to_talk_to=marker),
            ProjectAttestation(project_id=pid, supervisor_id=uid, kind="comment", text=marker,
                               payload=marker, signature="sig"),
            EvidencePack(id=secrets.token_hex(8).upper(), project_id=pid, generated_by_id=uid,
                         content=marker, content_sha256="0" * 64, pdf_sha256="0" * 64,
                         json_sha256="0" * 64, signature="sig"),
            ProjectEvent(project_id=pid, actor_id=uid, action="created", detail=marker),
        ]
    )  # fmt: skip
