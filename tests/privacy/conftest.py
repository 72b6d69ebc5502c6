"""Fixtures for the privacy tests: two trainees with data in every table, and a supervisor."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from app.config import Settings
from tests.privacy.helpers import Person, person
from tests.web.helpers import register
from tests.web.supervision_helpers import user_id


@pytest.fixture
def browsers(server_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with (
        httpx.Client(base_url=server_url, timeout=20) as b,
        httpx.Client(base_url=server_url, timeout=20) as c,
    ):
        yield b, c


@pytest.fixture
def two(
    client: httpx.Client,
    browsers: tuple[httpx.Client, httpx.Client],
    engine: Engine,
    settings: Settings,
) -> tuple[Person, Person]:
    """Two trainees with a row in every personal table, both supervised by a third person."""
    other, supervisor = browsers
    partner = user_id(engine, register(supervisor))
    return person(client, engine, settings, partner, "A"), person(
        other, engine, settings, partner, "B"
    )
