"""Fixtures for the web tests: the app on SQLite, a small world, a client, and HTML helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from accord.domain.account import Role
from accord.domain.organisation import OrganisationKind
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import PASSWORD, Member, World, build_world, claim


@pytest.fixture
def app(settings: Settings, services: Services) -> Flask:
    """The Flask application on those services."""
    flask_app = create_app(settings, services)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def world(services: Services) -> World:
    """The scenario's organisations, accounts (with passwords) and commitments."""
    return build_world(services.app, services.people)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without cookies yet."""
    return app.test_client()


def html(response: TestResponse) -> BeautifulSoup:
    """The response body as parsed HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text(soup: BeautifulSoup, selector: str) -> str:
    """The whitespace-normalised text of the first element matching ``selector``."""
    element = soup.select_one(selector)
    assert element is not None, f"nothing matches {selector!r}"
    return " ".join(element.get_text(" ").split())


def form_fields(page: str | BeautifulSoup, selector: str = "form") -> dict[str, str]:
    """What a browser would send for the form at ``selector``: inputs, checked radios, text."""
    soup = page if isinstance(page, BeautifulSoup) else BeautifulSoup(page, "html.parser")
    form = soup.select_one(selector)
    assert form is not None, f"no form matches {selector!r}"
    fields: dict[str, str] = {}
    for element in form.select("input[name], textarea[name]"):
        if element.get("type") in ("radio", "checkbox") and not element.has_attr("checked"):
            continue
        if element.name == "textarea":  # browsers drop the newline that follows <textarea>
            value = element.get_text().removeprefix("\r\n").removeprefix("\n")
        else:
            value = str(element.get("value", ""))
        fields[str(element["name"])] = value
    return fields


def sign_in(client: FlaskClient, member: Member, *, password: str = PASSWORD,
            next_url: str | None = None) -> TestResponse:
    """Sign in through the form, as a browser would (reading the CSRF token from it)."""
    fields = form_fields(html(client.get("/login")), "form[action^='/login']")
    fields.update(email=member.email, password=password)
    query = {"next": next_url} if next_url is not None else {}
    return client.post("/login", query_string=query, data=fields)


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, from the sign-in form (served to anyone)."""
    return form_fields(html(client.get("/login")), "form[action^='/login']")["csrf_token"]


def enrol(services: Services, organisation_id: str, key: str, *,
          role: Role = Role.ADMINISTRATOR) -> Member:
    """An active account in the organisation, signing in as ``key``@accord.test with PASSWORD."""
    account_id = UUID(services.app.invite_account(
        SYSTEM, organisation_id=UUID(organisation_id), role=role).id)
    services.app.activate_account(account_id)
    email = f"{key}@accord.test"
    services.people.save(str(account_id), email=email, display_name=f"{key} person",
                         password=PASSWORD)
    return Member(services.app.actor(account_id), email, key)


def steward(services: Services) -> Member:
    """An administrator of a new stewards' organisation."""
    stewards = services.app.register_organisation(
        SYSTEM, name="Accord stewards", kind=OrganisationKind.STEWARD, countries=[])
    return enrol(services, stewards.id, "steward")


def signed_in_name(client: FlaskClient) -> str | None:
    """The name on the client's account page, or None when it is sent to sign in instead."""
    response = client.get("/account")
    if response.status_code != 200:
        assert response.status_code == 302
        assert response.location.startswith("/login")
        return None
    return text(html(response), ".summary-list dd")


def route_values(services: Services, world: World) -> dict[str, str]:
    """A value for each argument of Accord's routes: things of the world, a claim, an
    open invitation into the Ghanaian government and Ghana's action plan."""
    invitation = services.accounts.invite(
        SYSTEM, organisation_id=UUID(world.government.actor.organisation_id),
        role=Role.MEMBER, email="invited@accord.test", display_name="Invited Person")
    services.app.register_action_plan(SYSTEM, plan_id="AP_GHA01", country="GHA", number=1,
                                      title="Ghana's action plan")
    return {"plan_id": "AP_GHA01", "organisation_id": world.government.actor.organisation_id,
            "account_id": world.government.actor.account_id,
            "commitment_id": str(world.commitment_id),
            "claim_id": claim(services.app, world.government, world.commitment_id).id,
            "token": invitation.token, "code": "GHA", "filename": "accord.css",
            "sha256": "0" * 64, "name": "evidence.pdf", "theme": "open_contracting"}


def route_urls(app: Flask, values: dict[str, str], method: str) -> dict[str, str]:
    """Endpoint to address, for every route of ``app`` that answers ``method``."""
    with app.test_request_context():
        return {rule.endpoint: url_for(rule.endpoint, **{name: values[name]
                                                         for name in rule.arguments})
                for rule in app.url_map.iter_rules() if method in (rule.methods or ())}


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    """The statements sent to the read models inside the block."""
    sent: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(services.database.reader, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(services.database.reader, "before_cursor_execute", record)
