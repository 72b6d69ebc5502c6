"""The anonymous stand-in an erased account's answers and certificates move to.

One per erased account, so question statistics (learners, right first time) still add up: each
stand-in counts as one learner, as the person did. It has no name, an address at the reserved
`.invalid` domain that cannot receive mail, a password hash no password matches, no sessions, and
no link back to the person.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session

from app.models import Role, User

ERASED_DOMAIN = "erased.invalid"
ERASED_NAME = "Erased account"
UNUSABLE_HASH = "!erased"  # not an argon2 hash: verify_password answers False for any password


def is_placeholder(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


class Placeholder:
    """Made on first use, so an account with nothing to keep leaves no stand-in behind."""

    def __init__(self, role: str) -> None:
        # Learners' answers count in question statistics, educators' and admins' do not:
        # the stand-in keeps that side of the line so the statistics do not move.
        learner = role in (Role.trainee, Role.supervisor)
        self.role = Role.trainee if learner else Role.educator
        self._id: int | None = None

    def id(self, db: Session) -> int:
        if self._id is None:
            user = User(
                email=f"erased-{secrets.token_hex(8)}@{ERASED_DOMAIN}",
                name=ERASED_NAME,
                password_hash=UNUSABLE_HASH,
                role=self.role,
            )
            db.add(user)
            db.flush()
            assert user.id is not None
            self._id = user.id
        return self._id
