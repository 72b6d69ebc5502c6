"""SQLModel tables, one file per area. Importing this package registers every table's metadata."""

from app.models.content import LessonVersion
from app.models.lab import Annotation, Dataset, DrillAttempt
from app.models.learning import Attempt, LessonCompletion, LessonProgress, ScenarioRun
from app.models.people import (
    Grade,
    LoginFailure,
    PasswordReset,
    RegistrationAttempt,
    Role,
    User,
    UserSession,
)
from app.models.projects import (
    ChangeIdeaMeasure,
    Conversation,
    DriverNode,
    EvidencePack,
    Handover,
    Measure,
    PdsaCycle,
    Project,
    ProjectAttestation,
    ProjectEvent,
    ProjectInvite,
    ProjectMember,
    ProjectReflection,
    Stakeholder,
)
from app.models.records import AuditEvent, Certificate, ModuleCompletion, Reflection
from app.models.review import ReviewCard, ReviewLog
from app.models.supervision import Cohort, CohortMember, CohortSupervisor, Invite, Supervision

__all__ = [
    "Annotation",
    "Attempt",
    "AuditEvent",
    "Certificate",
    "ChangeIdeaMeasure",
    "Cohort",
    "CohortMember",
    "CohortSupervisor",
    "Conversation",
    "Dataset",
    "DrillAttempt",
    "DriverNode",
    "EvidencePack",
    "Grade",
    "Handover",
    "Invite",
    "LessonCompletion",
    "LessonProgress",
    "LessonVersion",
    "LoginFailure",
    "Measure",
    "ModuleCompletion",
    "PasswordReset",
    "PdsaCycle",
    "Project",
    "ProjectAttestation",
    "ProjectEvent",
    "ProjectInvite",
    "ProjectMember",
    "ProjectReflection",
    "Reflection",
    "RegistrationAttempt",
    "ReviewCard",
    "ReviewLog",
    "Role",
    "ScenarioRun",
    "Stakeholder",
    "Supervision",
    "User",
    "UserSession",
]
