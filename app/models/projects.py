"""A trainee's real QI project: team, aim, driver diagram, measures, PDSA cycles, people, evidence.

Every row keeps who wrote it (`author_id`), so a project handed over at rotation still shows whose
work each part was. Text fields are as the trainee typed them; nothing is rewritten on display.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel, UniqueConstraint

from app.models.content import utcnow


class Project(SQLModel, table=True):
    """One improvement project. `lead_id` is the current lead; handover moves it."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    lead_id: int = Field(foreign_key="app_user.id", index=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    problem: str = Field(default="", max_length=4000)
    context: str = Field(default="", max_length=4000)
    baseline: str = Field(default="", max_length=4000)
    # The aim, in its four parts: what, how much, by when, for whom.
    aim_what: str = Field(default="", max_length=400)
    aim_how_much: str = Field(default="", max_length=200)
    aim_by_when: date | None = None
    aim_for_whom: str = Field(default="", max_length=200)
    results: str = Field(default="", max_length=4000)
    sustainability: str = Field(default="", max_length=4000)
    spread: str = Field(default="", max_length=4000)
    status: str = Field(default="active", max_length=20)  # active | closed
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProjectMember(SQLModel, table=True):
    """Someone on the team. Role: lead, member or supervisor. `ended_at` set when they leave."""

    __tablename__ = "project_member"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="app_user.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
    joined_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None


class ProjectInvite(SQLModel, table=True):
    """An invitation to join a team, by email; the table keeps only the token's SHA-256."""

    __tablename__ = "project_invite"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)
    role: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None
    used_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class DriverNode(SQLModel, table=True):
    """A node of the driver diagram under the aim: primary, secondary or change idea.

    Primary drivers have no parent; a secondary driver's parent is a primary; a change idea's
    parent is a secondary or primary driver, or none (the coach flags that).
    """

    __tablename__ = "driver_node"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="driver_node.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)  # primary | secondary | change
    text: str = Field(max_length=400)
    position: int = 0
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class Measure(SQLModel, table=True):
    """An outcome, process or balancing measure with its operational definition and its data.

    The data columns mirror the lab's `Dataset`, so the same parser and chart engine serve both.
    """

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # outcome | process | balancing
    numerator: str = Field(default="", max_length=1000)
    denominator: str = Field(default="", max_length=1000)
    inclusions: str = Field(default="", max_length=1000)
    exclusions: str = Field(default="", max_length=1000)
    source: str = Field(default="", max_length=1000)
    frequency: str = Field(default="", max_length=200)
    chart: str = Field(default="run", max_length=10)
    profile: str = Field(default="ihi", max_length=40)
    direction: str = Field(default="neither", max_length=20)
    values_text: str = ""
    labels_text: str = ""
    denominators_text: str = ""
    freeze_text: str = Field(default="", max_length=20)
    parts_text: str = Field(default="", max_length=400)
    exclude_text: str = Field(default="", max_length=400)
    position: int = 0
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ChangeIdeaMeasure(SQLModel, table=True):
    """Which measures will show a change idea's effect."""

    __tablename__ = "change_idea_measure"
    __table_args__ = (UniqueConstraint("node_id", "measure_id"),)

    id: int | None = Field(default=None, primary_key=True)
    node_id: int = Field(foreign_key="driver_node.id", index=True, ondelete="CASCADE")
    measure_id: int = Field(foreign_key="measure.id", index=True, ondelete="CASCADE")


class PdsaCycle(SQLModel, table=True):
    """Plan (with a prediction), do, study (result against prediction), act.

    `starts_on` places the cycle on every measure chart whose labels are dates.
    """

    __tablename__ = "pdsa_cycle"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    number: int
    change_idea_id: int | None = Field(
        default=None, foreign_key="driver_node.id", ondelete="SET NULL"
    )
    change: str = Field(max_length=400)
    who: str = Field(default="", max_length=400)
    starts_on: date | None = None
    where: str = Field(default="", max_length=400)
    prediction: str = Field(default="", max_length=2000)
    do_notes: str = Field(default="", max_length=4000)
    study: str = Field(default="", max_length=4000)
    act: str = Field(default="", max_length=20)  # "" | adopt | adapt | abandon
    act_notes: str = Field(default="", max_length=2000)
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Stakeholder(SQLModel, table=True):
    """A person or group on the power/interest map."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=200)
    role: str = Field(default="", max_length=200)
    power: str = Field(max_length=10)  # high | low
    interest: str = Field(max_length=10)  # high | low
    notes: str = Field(default="", max_length=2000)
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class Conversation(SQLModel, table=True):
    """A conversation with a stakeholder (or the team), as logged."""

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    stakeholder_id: int | None = Field(
        default=None, foreign_key="stakeholder.id", ondelete="SET NULL"
    )
    held_on: date
    summary: str = Field(max_length=4000)
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class ProjectReflection(SQLModel, table=True):
    """A dated reflection by one team member."""

    __tablename__ = "project_reflection"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    text: str = Field(max_length=4000)
    created_at: datetime = Field(default_factory=utcnow)


class Handover(SQLModel, table=True):
    """The lead hands the project to a successor at rotation; the successor accepts.

    Status: pending | accepted | cancelled. The note is required: what works, what next, who to
    talk to.
    """

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    from_user_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    to_user_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    what_works: str = Field(max_length=4000)
    what_next: str = Field(max_length=4000)
    who_to_talk_to: str = Field(max_length=4000)
    status: str = Field(default="pending", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None


class ProjectAttestation(SQLModel, table=True):
    """A supervisor's dated, signed comment or attestation; `payload` is exactly what was signed."""

    __tablename__ = "project_attestation"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    supervisor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    kind: str = Field(max_length=20)  # comment | attestation
    text: str = Field(max_length=4000)
    payload: str
    signature: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class EvidencePack(SQLModel, table=True):
    """One generated evidence pack. `/verify` compares a file's SHA-256 with these."""

    __tablename__ = "evidence_pack"

    id: str = Field(primary_key=True, max_length=32)  # the public verification id
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    generated_by_id: int | None = Field(
        default=None, foreign_key="app_user.id", ondelete="SET NULL"
    )
    generated_at: datetime = Field(default_factory=utcnow)
    content: str  # the canonical JSON of the pack's content, so the same PDF can be rebuilt
    content_sha256: str = Field(max_length=64)  # of `content`
    pdf_sha256: str = Field(max_length=64)
    json_sha256: str = Field(max_length=64)
    signature: str = Field(max_length=200)  # Ed25519 over the three hashes and the id


class ProjectEvent(SQLModel, table=True):
    """The project's history: who did what, when (shown on the project, kept across handover)."""

    __tablename__ = "project_event"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    actor_id: int | None = Field(default=None, foreign_key="app_user.id", ondelete="SET NULL")
    action: str = Field(max_length=60)
    detail: str = Field(default="", max_length=400)
    at: datetime = Field(default_factory=utcnow)
