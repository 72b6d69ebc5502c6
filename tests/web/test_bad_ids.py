"""Ids a person can type into an address are parsed once, in one place: out of range or not
plain digits is a clear 4xx, never a database error (issue 13, item 4)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine

from app.deps import MAX_ROW_ID, parse_row_id
from tests.web.helpers import post, register
from tests.web.supervision_helpers import supervisor

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), (" 7 ", 7), ("²", None), ("١٢", None), ("0", None), ("-3", None), ("", None),
     (str(MAX_ROW_ID), MAX_ROW_ID), (str(MAX_ROW_ID + 1), None), (HUGE, None), ("1e3", None)],
)  # fmt: skip
def test_parse_row_id_takes_only_plain_digits_in_range(text: str, value: int | None) -> None:
    assert parse_row_id(text) == value


def test_ids_beyond_the_database_range_are_a_clear_4xx(client: httpx.Client) -> None:
    register(client)
    for path in (f"/lab/datasets/{HUGE}", f"/lab/datasets/{MAX_ROW_ID + 1}"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "<html" in response.text  # the app's own error page, not bare JSON
    assert client.get(f"/lab/datasets/{MAX_ROW_ID}").status_code == 404  # in range: not yours


def test_odd_digits_in_a_supervisors_query_never_give_500(
    client: httpx.Client, engine: Engine
) -> None:
    supervisor(client, engine)
    assert client.get("/supervise", params={"cohort": "²"}).status_code == 200
    assert client.get(f"/supervise/trainees/{HUGE}").status_code == 422
    scope = client.get("/supervise/export", params={"scope": "trainee:²"})
    assert scope.status_code == 422
    invite = post(client, "/supervise/invites", {"cohort": "²"}, page="/supervise")
    assert invite.status_code < 500


def test_odd_digits_in_the_labs_point_numbers_are_named_not_a_500(client: httpx.Client) -> None:
    register(client)
    for field in ("freeze", "parts", "exclude"):
        page = "/lab"
        data = {"values": "\n".join(str(v) for v in range(1, 21)), field: "²"}
        response = post(client, "/lab", {**data, "chart": "run", "profile": "ihi"}, page=page)
        assert response.status_code == 422, field
        assert "is not a point number" in response.text
