"""The lab over HTTP: charts, bad input, datasets only their owner sees, and drills."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import DrillAttempt
from app.services.drill import make_drill
from tests.web.helpers import csrf, register

SHIFT = [62, 58, 65, 60, 57, 63, 61, 59, 64, 60, 58, 62, 70, 72, 69, 74, 71, 73, 75, 72]


def lines(values) -> str:
    return "\n".join(str(v) for v in values)


def lab_form(client: httpx.Client, **fields: str) -> dict[str, str]:
    data = {"values": lines(SHIFT), "chart": "run", "profile": "ihi", "direction": "neither"}
    return {"csrf_token": csrf(client, "/lab"), **data, **fields}


def test_the_lab_draws_a_chart_and_names_the_signal(client: httpx.Client) -> None:
    response = client.post("/lab", data=lab_form(client))
    assert response.status_code == 200
    assert "<svg" in response.text and 'role="img"' in response.text
    page = unescape(response.text)
    assert "A shift: 8 points in a row above the median" in page
    assert "<html" in response.text


def test_htmx_gets_only_the_result_fragment(client: httpx.Client) -> None:
    response = client.post("/lab", data=lab_form(client), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="lab-result"')
    assert "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]


def test_the_example_shows_a_chart(client: httpx.Client) -> None:
    assert "<svg" in client.get("/lab?example=1").text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"values": lines([1, 2, 3, "abc", *range(10)])}, "Line 4 of the values is “abc”"),
        ({"values": lines(range(4))}, "Enter at least 10 values"),
        ({"values": lines([1] * 5001)}, "the lab takes at most 5,000"),
        ({"chart": "p", "denominators": ""}, "Enter a denominator for each value"),
        ({"chart": "p", "denominators": lines([100] * 19 + [0])}, "Line 20 of the denominators"),
        ({"labels": lines(range(3))}, "There are 3 labels for 20 values"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    client: httpx.Client, fields: dict[str, str], message: str
) -> None:
    form = lab_form(client, **fields)
    response = client.post("/lab", data=form)
    assert response.status_code == 422
    page = unescape(response.text)
    assert message in page
    assert "There is a problem" in page
    textarea = re.search(r'<textarea[^>]*name="values"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and textarea.group(1) == form["values"]
    fragment = client.post("/lab", data=form, headers={"HX-Request": "true"})
    assert fragment.status_code == 422 and message in unescape(fragment.text)


def save(client: httpx.Client, title: str = "Sepsis antibiotics") -> str:
    response = client.post("/lab/datasets", data=lab_form(client, title=title))
    assert response.status_code == 303, response.text[:300]
    return response.headers["location"]


def test_saving_needs_an_account(client: httpx.Client) -> None:
    response = client.post("/lab/datasets", data=lab_form(client, title="x"))
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_save_annotate_and_come_back(client: httpx.Client) -> None:
    register(client)
    url = save(client)
    page = client.get(url)
    assert page.status_code == 200 and "<svg" in page.text
    assert 'value="Sepsis antibiotics"' in page.text
    token = csrf(client, url)
    note = client.post(
        f"{url}/annotations", data={"csrf_token": token, "point": "13", "text": "PDSA 2 started"}
    )
    assert note.status_code == 303
    page = unescape(client.get(url).text)
    assert "Point 13: PDSA 2 started" in page
    assert "PDSA 2 started</text>" in page  # drawn on the chart's legend too
    bad = client.post(f"{url}/annotations", data={"csrf_token": token, "point": "99", "text": "x"})
    assert bad.status_code == 422 and "Choose a point from 1 to 20" in unescape(bad.text)
    assert 'value="99"' in bad.text
    listing = client.get("/lab/datasets").text
    assert "Sepsis antibiotics" in listing


def test_only_the_owner_ever_sees_a_dataset(client: httpx.Client, server_url: str) -> None:
    register(client)
    url = save(client, "Private falls data")
    with httpx.Client(base_url=server_url) as other:
        register(other)
        assert other.get(url).status_code == 404
        token = csrf(other, "/lab")
        update = other.post(url, data={**lab_form(other, title="stolen"), "csrf_token": token})
        assert update.status_code == 404
        note = other.post(
            f"{url}/annotations", data={"csrf_token": token, "point": "1", "text": "x"}
        )
        assert note.status_code == 404
        assert "Private falls data" not in other.get("/lab/datasets").text
    assert "Private falls data" in client.get(url).text


def test_the_drill_is_replayable_and_scored(client: httpx.Client, engine: Engine) -> None:
    register(client)
    first = client.get("/lab/drill")
    assert first.status_code == 303
    seed = int(first.headers["location"].split("seed=")[1])
    page = client.get(f"/lab/drill?seed={seed}").text
    assert page.count("<svg") == 6
    charts = make_drill(seed)
    answers = {f"chart-{i}": ("s" if c.has_signal else "n") for i, c in enumerate(charts, 1)}
    answers["chart-1"] = "n" if answers["chart-1"] == "s" else "s"  # one mistake
    token = csrf(client, f"/lab/drill?seed={seed}")
    result = client.post("/lab/drill", data={"csrf_token": token, "seed": str(seed), **answers})
    assert result.status_code == 200
    assert "You got 5 of 6 right" in result.text
    missing = client.post("/lab/drill", data={"csrf_token": token, "seed": str(seed)})
    assert missing.status_code == 422 and "Say whether chart 1 shows a signal" in missing.text
    with Session(engine) as db:
        (attempt,) = db.exec(select(DrillAttempt)).all()
    assert attempt.seed == seed and attempt.misses + attempt.false_alarms == 1


def test_making_data_count_charts_show_their_icons(client: httpx.Client) -> None:
    values = lines([50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 60, 62, 61, 63, 60, 62, 61, 64])
    form = lab_form(client, values=values, chart="i", profile="mdc_v5")
    form.update(direction="higher_is_better", target="55")
    page = unescape(client.post("/lab", data=form).text)
    assert "Special cause variation: improvement" in page
    assert "Assurance: hit and miss" in page
    run = unescape(client.post("/lab", data=lab_form(client)).text)
    assert "Assurance:" not in run  # icons belong to Making Data Count only
