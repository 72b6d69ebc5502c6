"""Registration, sign-in and password changes as plain functions; routes only call these."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.config import Settings
from app.models import Grade, Role, User
from app.security.passwords import burn_time, hash_password, password_problem, verify_password
from app.services import audit

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOGIN_FAILED = "Enter a correct email address and password"
EMAIL_TAKEN = "An account with this email address already exists"


@dataclass
class FormResult:
    """Either a user, or field errors in display order (field name -> message)."""

    user: User | None = None
    errors: dict[str, str] = field(default_factory=dict)
    throttled: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why a (normalised) email address cannot be used, or None."""
    if not EMAIL.match(email) or len(email) > 254:
        return "Enter an email address in the correct format, like name@example.nhs.uk"
    return None


def details_problems(
    *, name: str, profession: str, grade: str, regulator_number: str, organisation: str
) -> dict[str, str]:
    """The rules for a person's details, shared by registration and the account page."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter your name"
    elif len(name) > 200:
        errors["name"] = "Your name must be 200 characters or fewer"
    if len(profession) > 100:
        errors["profession"] = "Your profession must be 100 characters or fewer"
    if grade not in {g.value for g in Grade}:
        errors["grade"] = "Select your grade or stage"
    if len(regulator_number.strip()) > 40:
        errors["regulator_number"] = "Your regulator number must be 40 characters or fewer"
    if len(organisation) > 200:
        errors["organisation"] = "Your organisation must be 200 characters or fewer"
    return errors


def find_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalise_email(email))).first()


def _email_taken(db: Session, email: str) -> bool:
    return db.exec(select(User.id).where(User.email == email)).first() is not None


def register(
    db: Session,
    settings: Settings,
    *,
    name: str,
    email: str,
    password: str,
    profession: str,
    grade: str,
    organisation: str,
    role: Role = Role.trainee,
    regulator_number: str = "",
) -> FormResult:
    email = normalise_email(email)
    details = details_problems(
        name=name,
        profession=profession,
        grade=grade,
        regulator_number=regulator_number,
        organisation=organisation,
    )
    errors: dict[str, str] = {"name": details.pop("name")} if "name" in details else {}
    if problem := email_problem(email):
        errors["email"] = problem
    if problem := password_problem(password):
        errors["password"] = problem
    errors.update(details)
    if "email" not in errors and _email_taken(db, email):
        errors["email"] = EMAIL_TAKEN + ". Sign in instead"
    if errors:
        return FormResult(errors=errors)
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password, settings.password_profile),
        role=role,
        profession=profession.strip(),
        grade=Grade(grade),
        organisation=organisation.strip(),
        regulator_number=regulator_number.strip(),
    )
    db.add(user)
    try:
        db.commit()
    except IntegrityError:  # a concurrent registration with the same email
        db.rollback()
        return FormResult(errors={"email": EMAIL_TAKEN})
    db.refresh(user)
    return FormResult(user=user)


def update_details(
    db: Session,
    user: User,
    *,
    name: str,
    profession: str,
    grade: str,
    regulator_number: str,
    organisation: str,
) -> dict[str, str]:
    """Change what exports and certificates read: a trainee moving from F1 to F2 says so here."""
    errors = details_problems(
        name=name,
        profession=profession,
        grade=grade,
        regulator_number=regulator_number,
        organisation=organisation,
    )
    if errors:
        return errors
    user.name = name.strip()
    user.profession = profession.strip()
    user.grade = Grade(grade)
    user.regulator_number = regulator_number.strip()
    user.organisation = organisation.strip()
    db.add(user)
    db.commit()
    return {}


def change_email(
    db: Session, settings: Settings, user: User, new_email: str, password: str
) -> dict[str, str]:
    """A new sign-in address, confirmed with the current password (a left-open session is not
    enough to take over an account by pointing its reset emails elsewhere)."""
    email = normalise_email(new_email)
    errors: dict[str, str] = {}
    right_password = verify_password(user.password_hash, password, settings.password_profile)
    if problem := email_problem(email):
        errors["email"] = problem
    elif email == user.email:
        errors["email"] = "That is already your email address"
    elif right_password and _email_taken(db, email):  # only the owner learns who else has one
        errors["email"] = EMAIL_TAKEN
    if not right_password:
        errors["password"] = "Your password is not correct"  # nosec B105  # a message
    if errors:
        return errors
    audit.record(db, user, "email_changed", f"user:{user.id}", f"{user.email} -> {email}")
    user.email = email
    db.add(user)
    try:
        db.commit()
    except IntegrityError:  # someone took it between the check and the commit
        db.rollback()
        return {"email": EMAIL_TAKEN}
    return {}


def authenticate(db: Session, settings: Settings, email: str, password: str) -> User | None:
    """The user if the password is right. Unknown emails cost the same time as wrong passwords."""
    user = find_by_email(db, email)
    if user is None:
        burn_time(settings.password_profile)
        return None
    if verify_password(user.password_hash, password, settings.password_profile):
        return user
    return None


def change_password(
    db: Session, settings: Settings, user: User, current: str, new: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not verify_password(user.password_hash, current, settings.password_profile):
        errors["current_password"] = "Your current password is not correct"  # nosec B105  # a message
    if problem := password_problem(new):
        errors["new_password"] = problem
    if errors:
        return errors
    user.password_hash = hash_password(new, settings.password_profile)
    db.add(user)
    audit.record(db, user, "password_changed", f"user:{user.id}")
    db.commit()
    return {}


def set_role(db: Session, actor: User, user_id: int, role: str) -> str | None:
    """Change a user's role; returns a problem, or None. Admins cannot demote themselves."""
    if role not in {r.value for r in Role}:
        return "Choose a valid role"
    user = db.get(User, user_id)
    if user is None:
        return "No such user"
    if user.id == actor.id and role != Role.admin:
        return "You cannot remove your own admin role"
    before = user.role
    user.role = Role(role)
    db.add(user)
    audit.record(db, actor, "role_changed", f"user:{user.id}", f"{before} -> {role}")
    db.commit()
    return None
