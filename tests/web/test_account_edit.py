"""/account over real HTTP: a person's details, and an email change that needs the password."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.models import User
from tests.web.helpers import PASSWORD, login, logout, post, register

DETAILS = {
    "name": "Dr Rotating Trainee",
    "profession": "Doctor",
    "grade": "F2",
    "regulator_number": "7654321",
    "organisation": "South Deanery",
}


def saved(engine: Engine, email: str) -> User:
    with Session(engine) as db:
        return db.exec(select(User).where(User.email == email)).one()


def test_a_trainee_who_rotates_to_f2_is_f2_in_exports(client: httpx.Client, engine: Engine) -> None:
    email = register(client, grade="F1")
    page = client.get("/account").text
    assert 'value="F1" checked' in page and 'action="/account/details"' in page
    response = post(client, "/account/details", DETAILS, page="/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/account?saved=1#details"
    user = saved(engine, email)
    assert (user.name, user.profession, str(user.grade)) == ("Dr Rotating Trainee", "Doctor", "F2")
    assert (user.regulator_number, user.organisation) == ("7654321", "South Deanery")
    page = client.get("/account?saved=1").text
    assert "Your details have been saved" in page and 'value="F2" checked' in page
    export = client.get("/learning/record.csv").text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(export)))
    assert rows and {r["grade"] for r in rows} == {"F2"}
    assert {r["organisation"] for r in rows} == {"South Deanery"}


def test_bad_details_are_a_422_with_every_input_kept(client: httpx.Client, engine: Engine) -> None:
    email = register(client, grade="F1")
    typed = {**DETAILS, "name": "  ", "grade": "F9", "organisation": "<b>" + "x" * 200}
    response = post(client, "/account/details", typed, page="/account")
    assert response.status_code == 422
    body = response.text
    assert "There is a problem" in body
    assert 'href="#name"' in body and "Enter your name" in body
    assert 'href="#grade"' in body and "Select your grade or stage" in body
    assert "Your organisation must be 200 characters or fewer" in body
    assert 'value="7654321"' in body and 'value="Doctor"' in body
    assert 'value="&lt;b&gt;xxx' in body  # kept, and escaped
    user = saved(engine, email)
    assert user.name == "Test Trainee" and str(user.grade) == "F1"  # nothing half-saved


def test_changing_the_email_needs_the_password(client: httpx.Client, engine: Engine) -> None:
    email = register(client)
    new = "moved-" + email
    wrong = post(client, "/account/email", {"email": new, "password": "not it"}, page="/account")
    assert wrong.status_code == 422
    assert "Your password is not correct" in wrong.text and f'value="{new}"' in wrong.text
    assert saved(engine, email).email == email

    done = post(client, "/account/email", {"email": new.upper(), "password": PASSWORD}, "/account")
    assert done.status_code == 303 and done.headers["location"] == "/account?email_changed=1"
    assert f"Your email address is now {new}" in client.get(done.headers["location"]).text
    logout(client)
    assert login(client, email).status_code == 422
    assert login(client, new).status_code == 303


def test_an_email_already_in_use_is_refused(client: httpx.Client, server_url: str) -> None:
    with httpx.Client(base_url=server_url) as other:
        taken = register(other)
    register(client)
    response = post(client, "/account/email", {"email": taken, "password": PASSWORD}, "/account")
    assert response.status_code == 422
    assert "An account with this email address already exists" in response.text
    assert f'value="{taken}"' in response.text
    # Without the password nobody learns whether an address has an account.
    guess = post(client, "/account/email", {"email": taken, "password": "wrong"}, "/account")
    assert guess.status_code == 422 and "already exists" not in guess.text
    bad = post(client, "/account/email", {"email": "nope", "password": PASSWORD}, "/account")
    assert bad.status_code == 422 and "correct format" in bad.text


def test_signed_out_visitors_cannot_edit(server_url: str, client: httpx.Client) -> None:
    response = post(client, "/account/details", DETAILS, page="/login")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
