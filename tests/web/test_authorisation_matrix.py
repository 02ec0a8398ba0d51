"""Every route tried by every kind of visitor, the expected answer derived from the policy table.

For each visitor and each route (each method), the table says whether the visitor may perform
the route's declared action on the thing the route names. Allowed: the request is not refused
(no 403, no redirect to sign in, no server error). Refused: the public is sent to sign in and a
signed-in account gets 403. Requests carry a valid CSRF token and no other data, so an allowed
form answers 422 without changing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accord.domain.account import Role
from accord.domain.organisation import OrganisationKind
from accord.platform.policy import ANY, SYSTEM, Actor, Resource, permits
from accord.services import Services
from accord.web.access import rule_for
from tests.scenario import PASSWORD, Member, World, claim
from tests.web.conftest import form_fields, html, sign_in

SYSTEM_ROUTES = {"static"}
SESSION_ENDING = {"auth.logout", "account.sign_out_everywhere"}


@dataclass(frozen=True)
class Place:
    """The ids that routes name, and the thing each one is, for the policy's conditions."""

    values: dict[str, str]
    resources: dict[str, Resource]


@dataclass(frozen=True)
class Visitor:
    """A kind of visitor: how to get a browser for them, and who the table sees."""

    name: str
    browser: Callable[[], FlaskClient]
    actor: Actor | None


@pytest.mark.parametrize("visitor_name", [
    "public", "government", "foreign_government", "civil_society", "foreign_civil_society",
    "administrator", "auditor", "steward", "deactivated", "suspended",
])
def test_each_visitor_gets_what_the_table_allows_on_every_route(
        app: Flask, services: Services, world: World, visitor_name: str) -> None:
    places = _places(services, world)
    visitor = _visitors(app, services, world)[visitor_name]
    mismatches = []
    requests = [(place, *request) for place in places for request in _requests(app, place)]
    client, token = None, ""
    for place, endpoint, method, url, argument in requests:
        rule = rule_for(app, endpoint)
        assert rule is not None, endpoint
        resource = place.resources.get(argument or "", ANY)
        allowed = permits(visitor.actor, rule.action, resource)
        if client is None:
            client = visitor.browser()
            token = _token(client)
        response = (client.get(url) if method == "GET"
                    else client.post(url, data={"csrf_token": token}))
        if endpoint in SESSION_ENDING:
            client = None  # the next request signs in afresh
        outcome = _outcome(response.status_code, response.headers.get("Location", ""))
        expected = "allowed" if allowed else (
            "sign in" if visitor.actor is None else "forbidden")
        if outcome != expected:
            mismatches.append(f"{method} {url}: expected {expected}, got "
                              f"{response.status_code} ({outcome})")
    assert mismatches == []


def _outcome(status: int, location: str) -> str:
    if status >= 500:
        return "server error"
    if status in (302, 303) and "/login" in location:
        return "sign in"
    if status in (401, 403):
        return "forbidden"
    return "allowed"


def _requests(app: Flask, place: Place) -> list[tuple[str, str, str, str | None]]:
    """Every route and method, with the place's ids in its address."""
    requests = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SYSTEM_ROUTES:
            continue
        unknown = set(rule.arguments) - set(place.values)
        assert not unknown, f"{rule.rule}: no sample value for {sorted(unknown)}"
        url = rule.build({name: place.values[name] for name in rule.arguments})
        assert url is not None
        named = next((name for name in rule.arguments if name in place.resources), None)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            requests.append((rule.endpoint, method, url[1], named))
    return requests


def _places(services: Services, world: World) -> list[Place]:
    """Two sets of ids: Ghana's (a civil-society group's claim, organisation and member) and
    Colombia's (the same for its government), so that "own" and "other" are both tried."""
    token = services.accounts.invite(
        _steward(services, world),
        organisation_id=UUID(str(world.civil_society.actor.organisation_id)), role=Role.MEMBER,
        email="invited@accord.test", display_name="Invited Person").token
    places = [
        _place(world, world.civil_society, world.commitment_id, "GHA", token),
        _place(world, world.foreign_government, world.foreign_commitment_id, "COL", token),
    ]
    services.caught_up()
    return places


def _place(world: World, member: Member, commitment_id: UUID, country: str, token: str
           ) -> Place:
    organisation_id = str(member.actor.organisation_id)
    claim_id = claim(world.app, member, commitment_id).id
    plan_id = f"AP_{country}01"
    world.app.register_action_plan(SYSTEM, plan_id=plan_id, country=country, number=1,
                                   title=f"{country} action plan")
    return Place(
        values={"commitment_id": str(commitment_id), "claim_id": claim_id,
                "organisation_id": organisation_id, "account_id": member.actor.account_id,
                "code": country, "token": token, "plan_id": plan_id,
                "sha256": "0" * 64, "name": "evidence.pdf", "theme": "open_contracting"},
        resources={"commitment_id": Resource(country=country),
                   "plan_id": Resource(country=country),
                   "organisation_id": Resource(organisation_id=organisation_id),
                   "account_id": Resource(organisation_id=organisation_id)},
    )


def _visitors(app: Flask, services: Services, world: World) -> dict[str, Visitor]:
    def signed_in(email: str) -> Callable[[], FlaskClient]:
        def browser() -> FlaskClient:
            client = app.test_client()
            response = sign_in(client, _Member(email))
            assert response.status_code == 303, email
            return client
        return browser

    def member(name: str, actor: Actor, email: str) -> Visitor:
        return Visitor(name, signed_in(email), actor)

    steward = _steward(services, world)
    administrator = _account(services, world, OrganisationKind.CIVIL_SOCIETY, Role.ADMINISTRATOR,
                             "admin-watch@accord.test",
                             organisation_id=world.civil_society.actor.organisation_id)
    visitors = {
        "public": Visitor("public", app.test_client, None),
        "government": member("government", world.government.actor, world.government.email),
        "foreign_government": member("foreign_government", world.foreign_government.actor,
                                     world.foreign_government.email),
        "civil_society": member("civil_society", world.other_civil_society.actor,
                                world.other_civil_society.email),
        "foreign_civil_society": member("foreign_civil_society",
                                        world.foreign_civil_society.actor,
                                        world.foreign_civil_society.email),
        "administrator": member("administrator", administrator, "admin-watch@accord.test"),
        "auditor": member("auditor", world.auditor.actor, world.auditor.email),
        "steward": member("steward", steward, "steward@accord.test"),
        "deactivated": _lost_session(app, services, world, "deactivated"),
        "suspended": _lost_session(app, services, world, "suspended"),
    }
    return visitors


@dataclass(frozen=True)
class _Member:
    email: str


def _steward(services: Services, world: World) -> Actor:
    return _account(services, world, OrganisationKind.STEWARD, Role.ADMINISTRATOR,
                    "steward@accord.test")


def _account(services: Services, world: World, kind: OrganisationKind, role: Role, email: str,
             organisation_id: str | None = None) -> Actor:
    """An active account with a password (made once per world)."""
    existing = services.people.authenticate(email, PASSWORD)
    if existing is not None:
        return world.app.actor(UUID(existing))
    if organisation_id is None:
        organisation_id = world.app.register_organisation(
            SYSTEM, name=f"{kind.value} organisation", kind=kind, countries=[]).id
    account = world.app.invite_account(SYSTEM, organisation_id=UUID(organisation_id), role=role)
    world.app.activate_account(UUID(account.id))
    services.people.save(account.id, email=email, display_name=email, password=PASSWORD)
    return world.app.actor(UUID(account.id))


def _lost_session(app: Flask, services: Services, world: World, how: str) -> Visitor:
    """A member who signed in, then was deactivated or whose organisation was suspended.

    The table sees them as the public: their session no longer signs anyone in.
    """
    kind = OrganisationKind.GOVERNMENT
    organisation = world.app.register_organisation(
        SYSTEM, name=f"{how} ministry", kind=kind, countries=["GHA"])
    email = f"{how}@accord.test"
    actor = _account(services, world, kind, Role.ADMINISTRATOR, email,
                     organisation_id=organisation.id)
    client = app.test_client()
    assert sign_in(client, _Member(email)).status_code == 303
    cookie = client.get_cookie("session")
    assert cookie is not None
    if how == "deactivated":
        services.accounts.deactivate(SYSTEM, UUID(actor.account_id), "Left the ministry.")
    else:
        world.app.suspend_organisation(SYSTEM, UUID(organisation.id), "Under review.")

    def browser() -> FlaskClient:
        fresh = app.test_client()
        fresh.set_cookie("session", cookie.value)
        return fresh

    return Visitor(how, browser, None)


def _token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, as a form on any page would carry it."""
    return form_fields(html(client.get("/login")), "form[action^='/login']")["csrf_token"]
