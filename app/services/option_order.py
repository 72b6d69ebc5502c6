"""The order a learner sees a question's options in: shuffled per learner, stable for them.

The order is derived, never stored: HMAC(secret, learner + module/lesson/question) seeds a
`random.Random`, so a reload or a second device shows the same order, another learner sees
another, and nobody can work it out without the app's secret. Options an author pins keep their
place. Grading reads option keys, so the order changes nothing that is stored.

The steps of an ordering question are shuffled the same way, and never shown already in order.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from typing import Protocol, TypeVar

from app.catalog.schema import Item, Option, Question, QuestionType

SHUFFLED_TYPES = frozenset({QuestionType.single, QuestionType.multiple})


class Pinnable(Protocol):
    @property
    def pinned(self) -> bool: ...


T = TypeVar("T", bound=Pinnable)


def learner_seed(user_id: int | None, browser: str | None) -> str:
    """Who the order is for: the account when signed in, else this browser's CSRF cookie value."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"browser:{browser}" if browser else ""


def shuffle_options(
    options: tuple[T, ...], *, secret: str, learner: str, place: str
) -> tuple[T, ...]:
    """Options in this learner's order; pinned options stay at their index. Pure."""
    if not learner:
        return options
    free = [i for i, option in enumerate(options) if not option.pinned]
    message = f"{learner}\x00{place}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    moved = [options[i] for i in free]
    # Not for secrecy: the seed is an HMAC, and the order only has to be stable per learner.
    random.Random(int.from_bytes(digest, "big")).shuffle(moved)  # nosec B311
    out = list(options)
    for i, option in zip(free, moved, strict=True):
        out[i] = option
    return tuple(out)


def options_for(
    question: Question, module_slug: str, lesson_slug: str, *, secret: str, learner: str
) -> tuple[Option, ...]:
    """A question's options as this learner sees them; engine-written `signals` options keep
    their order (rules in the profile's order, then "No signal")."""
    if question.type not in SHUFFLED_TYPES:
        return question.options
    place = f"{module_slug}/{lesson_slug}/{question.id}"
    return shuffle_options(question.options, secret=secret, learner=learner, place=place)


def items_for(
    question: Question, module_slug: str, lesson_slug: str, *, secret: str, learner: str
) -> tuple[Item, ...]:
    """An ordering question's steps as this learner first sees them: shuffled, and never in the
    right order (which would give the answer away), so rotated by one when the shuffle is."""
    if question.type is not QuestionType.ordering:
        return question.items
    place = f"{module_slug}/{lesson_slug}/{question.id}"
    shown = shuffle_options(question.items, secret=secret, learner=learner, place=place)
    return shown[1:] + shown[:1] if shown == question.items else shown
