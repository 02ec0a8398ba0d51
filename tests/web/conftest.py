"""Fixtures for the web tests: the app on SQLite, a small world, a client, and HTML helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.platform import people
from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import PASSWORD, Member, World, build_world


@pytest.fixture
def services(sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """An empty Accord on SQLite (web tests do not repeat the backends).

    Passwords are hashed with argon2id at its cheapest, so that six accounts per test take
    milliseconds; the production parameters are the unit tests' business.
    """
    monkeypatch.setattr(people, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                           parallelism=1))
    wired = Services(sqlite_settings)
    yield wired
    wired.close()


@pytest.fixture
def app(sqlite_settings: Settings, services: Services) -> Flask:
    """The Flask application on those services."""
    flask_app = create_app(sqlite_settings, services)
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
