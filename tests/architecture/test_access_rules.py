"""Every route declares who may use it; a route that does not is named by this test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from accord.web.access import rule_for


def routes_without_a_rule(app: Flask) -> list[str]:
    """The routes of ``app`` whose view declares no access rule, as ``/path (endpoint)``."""
    return sorted(f"{rule.rule} ({rule.endpoint})" for rule in app.url_map.iter_rules()
                  if rule_for(app, rule.endpoint) is None)


@pytest.fixture
def app(settings: Settings) -> Iterator[Flask]:
    """A freshly built application, on each backend."""
    services = Services(settings)
    yield create_app(settings, services)
    services.close()


def test_every_route_declares_an_access_rule(app: Flask) -> None:
    # walk every route of the application, including those added by extensions
    undeclared = routes_without_a_rule(app)
    # none may be left without a rule
    assert undeclared == [], f"routes without an access rule: {', '.join(undeclared)}"
    # and the walk did see the application's own routes
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"public.home", "auth.login", "claims.submit", "claims.withdraw"} <= endpoints


def test_the_check_names_a_route_registered_without_a_rule(app: Flask) -> None:
    # someone adds a route and forgets the decorator
    app.add_url_rule("/throwaway/<thing>", "throwaway", lambda thing: thing)
    # the check names it, and only it
    assert routes_without_a_rule(app) == ["/throwaway/<thing> (throwaway)"]
    # and meanwhile the running application refuses it rather than serving it to anyone
    assert app.test_client().get("/throwaway/x").status_code == 403
