"""The lab over HTTP: charts, bad input, datasets only their owner sees, and drills."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import Dataset, DrillAttempt, User
from app.services.drill import make_drill
from tests.unit.test_drill import giveaways
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
        ({"values": lines([1, 2, 3, "abc", *range(10)])}, "Line 4 of the values: “abc” is not"),
        ({"values": lines([1e308, *range(10)])}, "Line 1 of the values: “1e+308” is too large"),
        ({"values": lines(["-1e308", *range(10)])}, "“-1e308” is too large to chart"),
        ({"values": lines(["inf", "nan", *range(10)])}, "Line 2 of the values: “nan” is not"),
        ({"values": ""}, "Paste or type your values"),
        ({"freeze": "25"}, "The baseline must be from 1 to 20 points"),
        ({"parts": "1"}, "A new part must start at a point from 2 to 20, not 1"),
        ({"exclude": "x"}, "“x” is not a point number"),
        ({"target": "1" * 50}, "The target must be a number"),
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


PYTHON_REPR = re.compile(r"built-in method|object at 0x|<bound method")


def assert_no_python_reprs(response: httpx.Response) -> None:
    """A template that prints a Python object (dict.values, a bound method) shows its repr."""
    found = PYTHON_REPR.search(unescape(response.text))
    assert found is None, f"{response.request.url}: {response.text[found.start() - 200 :][:300]}"


def test_no_lab_page_prints_a_python_object(client: httpx.Client) -> None:
    """The lab once showed "<built-in method values of dict object ...>" under Values."""
    register(client)
    for path in ("/lab", "/lab?example=1", "/lab/datasets", "/lab/drill?seed=5"):
        response = client.get(path)
        assert response.status_code == 200
        assert_no_python_reprs(response)
    assert 'id="values-error"' not in client.get("/lab").text
    for form in (lab_form(client), lab_form(client, values="abc"), lab_form(client, values="1")):
        assert_no_python_reprs(client.post("/lab", data=form))
    url = save(client)
    assert_no_python_reprs(client.get(url))
    assert_no_python_reprs(client.post(url, data=lab_form(client, values="x", title="t")))
    token = csrf(client, "/lab/drill?seed=5")
    assert_no_python_reprs(client.post("/lab/drill", data={"csrf_token": token, "seed": "5"}))


def test_two_columns_pasted_with_a_header_give_labels(client: httpx.Client) -> None:
    pasted = "Week;Rate\n" + "\n".join(f"2026-01-{i:02d};{v},5" for i, v in enumerate(SHIFT, 1))
    page = unescape(client.post("/lab", data=lab_form(client, values=pasted)).text)
    assert '<th scope="row">2026-01-01</th>' in page and "<td>62.5</td>" in page
    assert "A shift" in page


def test_baseline_parts_and_exclusions_from_the_form(client: httpx.Client) -> None:
    frozen = unescape(client.post("/lab", data=lab_form(client, freeze="12")).text)
    assert "Dash-dot line: end of the baseline" in frozen
    assert "The centre line comes from a baseline: the first 12 points." in frozen
    parted = unescape(client.post("/lab", data=lab_form(client, parts="13")).text)
    assert "Dotted line: limits recalculated" in parted and "in 2 parts" in parted
    left_out = unescape(client.post("/lab", data=lab_form(client, exclude="3, 5")).text)
    assert "Hollow: left out of the calculations" in left_out


def test_bad_point_numbers_keep_what_was_typed(client: httpx.Client) -> None:
    response = client.post("/lab", data=lab_form(client, freeze="99", exclude="2, 40"))
    assert response.status_code == 422
    page = unescape(response.text)
    assert '<a href="#freeze">The baseline must be from 1 to 20 points' in page
    assert '<a href="#exclude">Choose points from 1 to 20 to leave out, not 40' in page
    assert 'name="freeze" type="text" value="99"' in page
    assert 'name="exclude" type="text" value="2, 40"' in page


def test_a_saved_dataset_keeps_its_baseline_parts_and_exclusions(
    client: httpx.Client, engine: Engine
) -> None:
    register(client)
    form = lab_form(client, title="Frozen", freeze="12", parts="", exclude="4")
    url = client.post("/lab/datasets", data=form).headers["location"]
    page = unescape(client.get(url).text)
    assert 'name="freeze" type="text" value="12"' in page
    assert 'name="exclude" type="text" value="4"' in page
    assert "end of the baseline" in page and "Hollow: left out" in page
    with Session(engine) as db:
        saved = db.exec(select(Dataset)).one()
    assert (saved.freeze_text, saved.parts_text, saved.exclude_text) == ("12", "", "4")
    token = csrf(client, url)
    edit = {**lab_form(client, title="Frozen", parts="13", freeze=""), "csrf_token": token}
    assert client.post(url, data=edit).status_code == 303
    assert "limits recalculated" in unescape(client.get(url).text)
    bad = client.post(url, data={**edit, "parts": "30"})
    assert bad.status_code == 422 and "A new part must start at a point from 2 to 20" in unescape(
        bad.text
    )
    assert 'name="parts" type="text" value="30"' in bad.text


ALL_CHARTS = ["run", "i", "mr", "c"]


@pytest.mark.parametrize("chart", ALL_CHARTS)
@pytest.mark.parametrize(
    "values",
    [
        pytest.param(["7"] * 12, id="all-equal"),
        pytest.param(["5e-324"] * 12, id="all-5e-324"),
        pytest.param(["5e-324", "0"] * 6, id="5e-324-and-0"),
        pytest.param(["1e15", "-1e15"] * 6, id="largest-allowed"),
        pytest.param(["7"], id="one-point"),
        pytest.param(["1", "2"], id="two-points"),
    ],
)
def test_extreme_input_never_gives_500(client: httpx.Client, chart: str, values: list[str]) -> None:
    response = client.post("/lab", data=lab_form(client, values=lines(values), chart=chart))
    assert response.status_code in (200, 422), response.text[:500]
    svg = re.search(r"<svg.*?</svg>", response.text, re.S)
    if svg:
        assert not re.search(r"\b(inf|nan)\b", svg.group(0), re.I)


def test_one_point_is_charted_as_too_few_to_judge(client: httpx.Client) -> None:
    response = client.post("/lab", data=lab_form(client, values="62"))
    assert response.status_code == 200
    page = unescape(response.text)
    assert "<svg" in page and "Too few points to judge: with 1 value" in page
    five = unescape(client.post("/lab", data=lab_form(client, values=lines(range(5)))).text)
    assert "Too few points to judge: with 5 values" in five and "<svg" in five
    assert "No signal:" not in five  # not judged either way


@pytest.mark.parametrize(
    "values_text",
    [
        "1e308\n-1e308\n5e-324",
        "inf\nnan\n1",
        "",
        "abc",
        "7",
        "5e-324\n" * 20,
        "1\n" * 6000,
    ],
)
def test_a_dataset_saved_with_odd_values_still_opens(
    client: httpx.Client, engine: Engine, values_text: str
) -> None:
    email = register(client)
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        dataset = Dataset(
            user_id=user.id,
            title="Odd",
            values_text=values_text,
            chart="i",
            profile="qicharts2",
            freeze_text="x",
            parts_text="99",
            exclude_text="",
        )
        db.add(dataset)
        db.commit()
        db.refresh(dataset)
    response = client.get(f"/lab/datasets/{dataset.id}")
    assert response.status_code == 200, response.text[:500]
    assert "<h1" in response.text and "Odd" in response.text
    assert_no_python_reprs(response)


def figures(html: str) -> list[str]:
    return re.findall(r"<figure.*?</figure>", html, re.S)


def test_the_drill_hides_its_answers_until_they_are_given(client: httpx.Client) -> None:
    seed = 11
    charts = make_drill(seed)
    asked = client.get(f"/lab/drill?seed={seed}").text
    assert len(figures(asked)) == len(charts)
    for figure in figures(asked):
        assert giveaways(unescape(figure)) == [], giveaways(unescape(figure))
    token = csrf(client, f"/lab/drill?seed={seed}")
    half = {"csrf_token": token, "seed": str(seed), "chart-1": "s"}  # not all answered: 422
    missing = client.post("/lab/drill", data=half)
    assert missing.status_code == 422
    assert all(giveaways(unescape(f)) == [] for f in figures(missing.text))
    answers = {f"chart-{i}": "n" for i in range(1, len(charts) + 1)}
    answered = client.post("/lab/drill", data={"csrf_token": token, "seed": str(seed), **answers})
    shown = figures(answered.text)
    for chart, figure in zip(charts, shown, strict=True):
        if chart.has_signal:
            assert giveaways(unescape(figure)), "the answer should show the signal"
