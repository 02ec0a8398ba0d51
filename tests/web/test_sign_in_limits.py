"""Sign-in limits (kept in the database, so they hold across workers) and password rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.domain.account import Role
from accord.platform import throttle
from accord.platform.policy import SYSTEM
from accord.platform.records import now
from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import PASSWORD, World
from tests.web.conftest import form_fields, html, sign_in, signed_in_name, text

LONG_PASSWORD = "seven ferrets juggle marmalade under a violet lighthouse at dawn, quietly!"
FORM = "main form[method=post]"


def attempt(client: FlaskClient, email: str, password: str, address: str = "127.0.0.1"
            ) -> TestResponse:
    """One sign-in through the form, from ``address``."""
    fields = form_fields(html(client.get("/login")), "form[action^='/login']")
    return client.post("/login", data={**fields, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def assert_too_many(response: TestResponse, services: Services, email: str, address: str
                    ) -> None:
    """A 429 that says, in the page and in Retry-After, when to try again."""
    assert response.status_code == 429
    until = services.throttle.blocked_until(email, address)
    assert until is not None
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60 + 1
    assert abs(now() + timedelta(seconds=retry_after) - until) < timedelta(seconds=5)
    message = (f"Too many failed attempts to sign in. Try again after {until:%H:%M} (UTC).")
    soup = html(response)
    assert [a.get_text(strip=True) for a in soup.select(".error-summary a")] == [message]
    assert message in text(soup, "#email-error")


@pytest.fixture
def second_app(settings: Settings) -> Iterator[Flask]:
    """Another Accord process on the same database (another gunicorn worker or server)."""
    other = Services(settings)
    flask_app = create_app(settings, other)
    flask_app.config["TESTING"] = True
    yield flask_app
    other.close()


def test_the_eleventh_attempt_on_one_account_is_refused_even_with_the_right_password(
        client: FlaskClient, world: World, services: Services) -> None:
    email = world.government.email
    # ten wrong passwords for one account, each from a different address, in any case
    for number in range(10):
        typed = f" {email.upper()}" if number % 2 else email
        response = attempt(client, typed, "wrong password", f"203.0.113.{number}")
        assert response.status_code == 422
    # the eleventh attempt, from yet another address and with the right password, is refused
    response = attempt(client, email, PASSWORD, "198.51.100.1")
    assert_too_many(response, services, email, "198.51.100.1")
    assert signed_in_name(client) is None
    # other accounts can still sign in from there
    assert attempt(client, world.civil_society.email, PASSWORD, "198.51.100.1").status_code == 303


def test_failures_older_than_fifteen_minutes_do_not_count(
        client: FlaskClient, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # ten wrong passwords, sixteen minutes ago
    monkeypatch.setattr(throttle, "now", lambda: now() - timedelta(minutes=16))
    for _ in range(10):
        assert attempt(client, world.government.email, "wrong password").status_code == 422
    monkeypatch.undo()
    # now the right password signs in
    assert attempt(client, world.government.email, PASSWORD).status_code == 303
    assert signed_in_name(client) == "Ministry of Integrity member"


def test_ten_failures_from_one_address_block_that_address_whatever_the_email(
        app: Flask, client: FlaskClient, world: World, services: Services) -> None:
    # someone tries ten different e-mail addresses from one network address
    for number in range(10):
        response = attempt(client, f"guess{number}@accord.test", "wrong password", "192.0.2.9")
        assert response.status_code == 422
    # from that address, even a real member with the right password is refused
    response = attempt(client, world.government.email, PASSWORD, "192.0.2.9")
    assert_too_many(response, services, world.government.email, "192.0.2.9")
    # from another address, the member signs in
    elsewhere = app.test_client()
    assert attempt(elsewhere, world.government.email, PASSWORD, "192.0.2.10").status_code == 303


def test_the_limit_holds_across_two_app_instances_on_one_database(
        client: FlaskClient, second_app: Flask, world: World, services: Services) -> None:
    email = world.civil_society.email
    other = second_app.test_client()
    # ten failures, alternating between two processes and two addresses
    for number in range(10):
        browser = client if number % 2 else other
        response = attempt(browser, email, "wrong password", f"203.0.113.{number % 2}")
        assert response.status_code == 422
    # both processes now refuse the account, with the right password, from a new address
    for browser in (client, other):
        assert_too_many(attempt(browser, email, PASSWORD, "198.51.100.2"), services, email,
                        "198.51.100.2")


def test_a_wrong_password_and_an_unknown_email_get_exactly_the_same_page(
        client: FlaskClient, world: World) -> None:
    def page(email: str, password: str) -> tuple[int, str]:
        response = attempt(client, email, password)
        main = html(response).select_one("main")
        # what may differ: the address typed, which is given back, and the CSRF token
        main.select_one("input#email")["value"] = ""
        main.select_one("input#csrf_token")["value"] = ""
        return response.status_code, str(main)

    # one attempt names a real account with a wrong password, the other an unknown address
    wrong_password = page(world.government.email, "not the password")
    unknown_email = page("nobody@accord.test", PASSWORD)
    # the answers are the same, word for word
    assert wrong_password == unknown_email
    assert wrong_password[0] == 422
    assert "The e-mail address or the password is not right." in wrong_password[1]


def password_inputs(soup: BeautifulSoup) -> list[dict[str, str]]:
    """The attributes of every password input of the page's main form."""
    inputs = [dict(element.attrs) for element in soup.select(f"{FORM} input[type=password]")]
    assert inputs, "the page has no password input"
    return inputs


@pytest.fixture
def invitation_page(client: FlaskClient, world: World, services: Services) -> str:
    """The address of a new invitation into the Ghanaian government."""
    invitation = services.accounts.invite(
        SYSTEM, organisation_id=UUID(world.government.actor.organisation_id), role=Role.MEMBER,
        email="newcomer@accord.test", display_name="New Comer")
    return f"/invitations/{invitation.token}"


@pytest.mark.parametrize(("password", "message"), [
    ("short1!", "The password must be at least 8 characters long."),
    ("baseball", "This password is one of the most common ones; choose another."),
    ("Sunshine", "This password is one of the most common ones; choose another."),
])
def test_the_invitation_refuses_short_and_common_passwords(
        client: FlaskClient, invitation_page: str, password: str, message: str) -> None:
    soup = html(client.get(invitation_page))
    fields = {**form_fields(soup, FORM), "password": password, "confirm_password": password}
    # the invited person chooses a poor password
    response = client.post(invitation_page, data=fields)
    # the form comes back with the reason, linked to the password field, and nobody signed in
    assert response.status_code == 422
    assert [a["href"] for a in html(response).select(".error-summary a")] == ["#password"]
    assert message in text(html(response), "#password-error")
    assert signed_in_name(client) is None


def test_the_invitation_accepts_a_long_passphrase_that_then_signs_in(
        app: Flask, client: FlaskClient, invitation_page: str) -> None:
    soup = html(client.get(invitation_page))
    fields = {**form_fields(soup, FORM), "password": LONG_PASSWORD,
              "confirm_password": LONG_PASSWORD}
    # a passphrase of more than 64 characters is accepted
    assert len(LONG_PASSWORD) > 64
    assert client.post(invitation_page, data=fields).status_code == 303
    # and it signs in, whole, on another device
    other = app.test_client()
    assert attempt(other, "newcomer@accord.test", LONG_PASSWORD).status_code == 303
    assert signed_in_name(other) == "New Comer"


@pytest.mark.parametrize(("new", "status", "message"), [
    ("2short", 422, "The password must be at least 8 characters long."),
    ("football", 422, "This password is one of the most common ones; choose another."),
    (LONG_PASSWORD, 303, None),
])
def test_a_password_change_refuses_short_and_common_passwords_and_takes_long_ones(
        client: FlaskClient, world: World, new: str, status: int, message: str | None) -> None:
    sign_in(client, world.government)
    fields = form_fields(html(client.get("/account/password")), FORM)
    fields.update(current_password=PASSWORD, new_password=new, confirm_password=new)
    # the member chooses a new password
    response = client.post("/account/password", data=fields)
    # a poor one is refused at the new-password field; a long one is taken
    assert response.status_code == status
    if message is not None:
        assert message in text(html(response), "#new_password-error")
    else:
        assert attempt(client, world.government.email, LONG_PASSWORD).status_code == 303


def test_password_inputs_allow_long_passwords_and_pasting(
        client: FlaskClient, world: World, invitation_page: str) -> None:
    pages = [html(client.get("/login")), html(client.get(invitation_page))]
    sign_in(client, world.government)
    pages.append(html(client.get("/account/password")))
    for soup in pages:
        for attributes in password_inputs(soup):
            # no length limit below 64 characters
            assert int(attributes.get("maxlength", "1000")) >= 64, attributes
            # nothing stops pasting: no event handler, no autocomplete="off"
            assert not [name for name in attributes if re.match(r"on", name)], attributes
            assert attributes.get("autocomplete") in (
                "current-password", "new-password"), attributes
