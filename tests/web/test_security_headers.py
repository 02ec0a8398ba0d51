"""Security headers on every response, and pages that a strict Content-Security-Policy allows:
no inline script, no style attribute, no event-handler attribute."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import Member, World
from tests.web.conftest import html, route_urls, route_values, sign_in, steward

ONE_YEAR = 365 * 24 * 3600


def policy(response: TestResponse) -> dict[str, list[str]]:
    """The Content-Security-Policy, directive -> sources."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request.path} has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {directive[0]: directive[1:] for directive in directives}


def assert_secure_headers(response: TestResponse) -> None:
    """The headers every response carries, whatever it is."""
    where = f"{response.request.method} {response.request.path} ({response.status_code})"
    csp = policy(response)
    sources = [source for values in csp.values() for source in values]
    assert "'unsafe-inline'" not in sources, where
    assert "'unsafe-eval'" not in sources, where
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["script-src"] == ["'self'"], where
    assert csp["object-src"] == ["'none'"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", where


def assert_no_inline_code(soup: BeautifulSoup, where: str) -> None:
    """Nothing a strict policy would block: inline scripts, styles or event handlers."""
    for script in soup.find_all("script"):
        assert script.get("src"), f"{where}: inline script"
        assert not script.get_text().strip(), f"{where}: script with a body"
    assert soup.find("style") is None, f"{where}: <style> element"
    for element in soup.find_all(True):
        assert "style" not in element.attrs, f"{where}: style= on <{element.name}>"
        handlers = [name for name in element.attrs if name.lower().startswith("on")]
        assert handlers == [], f"{where}: {handlers} on <{element.name}>"
        for name in ("href", "src", "action", "formaction"):
            value = str(element.get(name, "")).strip().lower()
            assert not value.startswith("javascript:"), f"{where}: javascript: {name}"


def check(response: TestResponse, *, signed_in: bool) -> None:
    """Headers of any response; for HTML pages, the markup; for signed-in ones, no-store."""
    assert_secure_headers(response)
    where = f"{response.request.path} ({response.status_code})"
    cache_control = response.headers.get("Cache-Control", "")
    if signed_in:
        assert "no-store" in cache_control, where
    else:
        assert "no-store" not in cache_control, where
    if response.mimetype == "text/html":
        assert_no_inline_code(html(response), where)
    response.close()  # a static file is streamed from disk


@pytest.fixture
def urls(app: Flask, services: Services, world: World) -> dict[str, str]:
    """Every GET address of Accord, naming things of the world."""
    return route_urls(app, route_values(services, world), "GET")


def test_every_page_has_the_headers_and_no_inline_code_for_the_public(
        client: FlaskClient, urls: dict[str, str]) -> None:
    # a visitor who has not signed in opens every address (protected ones redirect)
    statuses = {}
    for endpoint, url in urls.items():
        response = client.get(url)
        statuses[endpoint] = response.status_code
        # every answer carries the headers, and no public page is forced out of caches
        check(response, signed_in=False)
    # the sweep saw public pages, static files and redirects to sign in
    assert statuses["public.home"] == statuses["static"] == statuses["auth.login"] == 200
    assert statuses["manage.accounts"] == 302


@pytest.mark.parametrize("who", ["steward", "government"])
def test_every_page_has_the_headers_and_no_inline_code_when_signed_in(
        client: FlaskClient, services: Services, world: World, urls: dict[str, str],
        who: str) -> None:
    member: Member = steward(services) if who == "steward" else world.government
    sign_in(client, member)
    # a signed-in member opens every address (some are refused to them)
    statuses = {}
    for endpoint, url in urls.items():
        response = client.get(url)
        statuses[endpoint] = response.status_code
        # every answer carries the headers, and none may be stored by a cache
        check(response, signed_in=True)
    # the sweep saw pages they may see and pages they may not
    assert statuses["account.settings"] == 200
    assert statuses["manage.organisations"] == (200 if who == "steward" else 403)


def test_error_pages_and_post_redirects_have_the_headers(
        client: FlaskClient, world: World) -> None:
    responses = [
        # a page that does not exist, an unknown country, a GET to a POST-only address
        client.get("/no-such-page"), client.get("/countries/XYZ"), client.get("/logout"),
        # a form without its CSRF token
        client.post("/login", data={"email": "a@accord.test", "password": "x"}),
    ]
    assert [r.status_code for r in responses] == [404, 404, 405, 400]
    for response in responses:
        check(response, signed_in=False)
    # a successful sign-in answers with a redirect that carries them too
    response = sign_in(client, world.government)
    assert response.status_code == 303
    check(response, signed_in=True)
    # and so does a signed-in member's refused form
    refused = client.post(f"/commitments/{world.commitment_id}/claims", data={})
    assert refused.status_code == 400
    check(refused, signed_in=True)


def test_strict_transport_security_is_sent_only_over_https(
        client: FlaskClient, settings: Settings, services: Services) -> None:
    # over plain http, no HSTS
    assert "Strict-Transport-Security" not in client.get("/").headers
    # with an https base address, every response asks browsers to keep to https for a year
    https = Settings(data_dir=settings.data_dir, database_url=settings.database_url,
                     secret_key="test-secret", base_url="https://accord.example")
    secure_client = create_app(https, services).test_client()
    for url in ("/", "/login", "/static/accord.css", "/no-such-page"):
        with secure_client.get(url) as response:
            header = response.headers.get("Strict-Transport-Security", "")
        directives = dict(part.strip().partition("=")[::2] for part in header.split(";"))
        assert int(directives.get("max-age", "0")) >= ONE_YEAR, url
        assert "includeSubDomains" in directives, url


def test_htmx_is_configured_without_eval_or_injected_styles(
        client: FlaskClient, world: World) -> None:
    for signed_in in (False, True):
        if signed_in:
            sign_in(client, world.government)
        soup = html(client.get(f"/commitments/{world.commitment_id}"))
        # the page configures htmx, which is loaded from Accord's own files
        meta = soup.select_one("meta[name='htmx-config']")
        assert meta is not None
        config = json.loads(meta["content"])
        assert config["allowEval"] is False
        assert config["includeIndicatorStyles"] is False
        scripts = [script["src"] for script in soup.find_all("script")]
        assert scripts == ["/static/vendor/htmx.min.js"]

