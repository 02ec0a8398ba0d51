"""Public answers repeated from a worker's memory while nothing new is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient

from accord.projections.day import reset_day, set_day
from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from accord.web.page_cache import EXTENSION
from tests.scenario import World, claim
from tests.web.conftest import html, sign_in, text


@pytest.fixture
def renders(app: Flask) -> Iterator[list[str]]:
    """The names of the templates rendered, in order."""
    rendered: list[str] = []

    def record(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
        rendered.append(template.name)

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)


def test_a_public_page_asked_for_again_is_answered_without_rendering_it_again(
        app: Flask, client: FlaskClient, world: World, renders: list[str]) -> None:
    first = client.get("/countries/GHA")
    assert first.status_code == 200
    assert "public/country.html" in renders
    renders.clear()

    # The same address again, with nothing recorded meanwhile: the same answer, not rendered.
    again = client.get("/countries/GHA")
    assert renders == []
    assert again.get_data() == first.get_data()
    for header in ("Content-Security-Policy", "ETag", "Cache-Control", "Content-Type"):
        assert again.headers[header] == first.headers[header]

    # It still answers 304 to a browser that holds it.
    revalidated = client.get("/countries/GHA", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304


def test_a_new_event_makes_the_page_rendered_again_with_the_change(
        app: Flask, client: FlaskClient, services: Services, world: World,
        renders: list[str]) -> None:
    address = f"/commitments/{world.commitment_id}"
    before = text(html(client.get(address)), "body")
    assert "reports substantial" not in before

    claim(services.app, world.government, world.commitment_id, "substantial")
    renders.clear()
    after = client.get(address)
    assert "public/commitment.html" in renders
    assert "reports substantial" in after.get_data(as_text=True)


def test_a_new_day_makes_the_page_rendered_again(
        client: FlaskClient, world: World, renders: list[str]) -> None:
    # What is overdue changes with the day that end dates are compared with (UTC, whatever
    # the server's time zone): a page kept from the day before is not answered again.
    client.get("/countries/GHA")
    renders.clear()
    token = set_day(date(2020, 1, 1))
    try:
        assert client.get("/countries/GHA").status_code == 200
    finally:
        reset_day(token)
    assert "public/country.html" in renders


def test_other_queries_and_htmx_requests_are_kept_apart(
        client: FlaskClient, world: World, renders: list[str]) -> None:
    client.get("/countries/GHA")
    renders.clear()
    client.get("/countries/GHA?agreement=contested")
    fragment = client.get("/countries/GHA", headers={"HX-Request": "true"})
    assert len(renders) >= 2
    assert "<html" not in fragment.get_data(as_text=True)


def test_a_visitor_with_cookies_gets_a_page_rendered_for_them(
        client: FlaskClient, world: World, renders: list[str]) -> None:
    client.get("/countries/GHA")
    sign_in(client, world.government)
    renders.clear()
    page = client.get("/countries/GHA")
    assert page.status_code == 200
    assert "public/country.html" in renders
    assert page.headers["Cache-Control"] == "no-store"


def test_no_memory_is_given_to_pages_when_the_budget_is_zero(
        settings: Settings, services: Services, world: World) -> None:
    app = create_app(Settings(**{**vars(settings), "page_cache_mb": 0}), services)
    assert EXTENSION not in app.extensions
    assert app.test_client().get("/countries/GHA").status_code == 200
