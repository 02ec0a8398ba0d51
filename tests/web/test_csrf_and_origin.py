"""Every state change needs the session's CSRF token and must come from Accord's own pages."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accord.services import Services
from tests.scenario import PASSWORD, World
from tests.web.conftest import (
    csrf_token,
    form_fields,
    html,
    route_urls,
    route_values,
    sign_in,
    signed_in_name,
    steward,
    text,
)

NARRATIVE = "Every contract award since March is on the portal, with its amendments."
NOT_SENT = "Your form was not sent"


def claim_answers(client: FlaskClient, world: World) -> dict[str, str]:
    """The claim form on the Ghanaian commitment, filled in (with its CSRF token)."""
    page = html(client.get(f"/commitments/{world.commitment_id}"))
    return {**form_fields(page, "form[action$='/claims']"), "status": "limited",
            "period_start": "2024-01-01", "period_end": "2024-06-30", "narrative": NARRATIVE,
            "evidence": "https://example.org/portal"}


@pytest.mark.parametrize("who", ["public", "steward"])
def test_every_post_route_refuses_a_request_without_the_csrf_token(
        app: Flask, client: FlaskClient, services: Services, world: World, who: str) -> None:
    urls = route_urls(app, route_values(services, world), "POST")
    if who == "steward":
        sign_in(client, steward(services))
    before = services.app.max_notification_id()
    # a request to every address that accepts POST, with plausible fields but no token
    for endpoint, url in urls.items():
        response = client.post(url, data={"reason": "Because.", "name": "New name"})
        # each is refused with 400 and the page that says the form was not sent
        assert response.status_code == 400, endpoint
        assert text(html(response), "h1") == NOT_SENT, endpoint
    # nothing was recorded, and nobody was signed out (or in)
    assert services.app.max_notification_id() == before
    assert signed_in_name(client) == ("steward person" if who == "steward" else None)
    # and the walk did cover the forms that matter
    assert {"auth.login", "auth.logout", "account.sign_out_everywhere", "claims.submit",
            "manage.invite", "manage.deactivate", "manage.reactivate"} <= set(urls)


def test_a_refused_claim_shows_what_was_typed_so_that_it_is_not_lost(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    answers = claim_answers(client, world)
    # the member's session ended meanwhile (say, signed in elsewhere): the token is stale
    answers["csrf_token"] = "stale"
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=answers)
    soup = html(response)
    # the page says nothing was recorded, and gives back the narrative and the evidence
    assert response.status_code == 400
    assert text(soup, "h1") == NOT_SENT
    typed = {" ".join(dt.get_text().split()): dd.get_text() for dt, dd in zip(
        soup.select(".typed dt"), soup.select(".typed dd"), strict=True)}
    assert typed["What has been done, and how you know"] == NARRATIVE
    assert typed["Evidence links"] == "https://example.org/portal"
    # but not the hidden fields, nor the token
    assert "stale" not in soup.get_text()
    assert answers["claim_id"] not in response.get_data(as_text=True)


@pytest.mark.parametrize(("address", "fields"), [
    ("/login", {"email": "government-gha@accord.test", "password": PASSWORD}),
    ("/account/password", {"current_password": PASSWORD, "new_password": "secret new one 1",
                           "confirm_password": "secret new one 1"}),
])
def test_a_refused_form_never_shows_a_password(
        client: FlaskClient, world: World, address: str, fields: dict[str, str]) -> None:
    sign_in(client, world.government)
    # a form with passwords in it arrives without its token
    response = client.post(address, data=fields)
    body = response.get_data(as_text=True)
    # it is refused, and no password appears anywhere in the page
    assert response.status_code == 400
    assert text(html(response), "h1") == NOT_SENT
    for name, value in fields.items():
        if "password" in name:
            assert value not in body, name


def test_a_refused_invitation_keeps_the_name_but_not_the_password(
        client: FlaskClient, services: Services, world: World) -> None:
    token = route_values(services, world)["token"]
    response = client.post(f"/invitations/{token}", data={
        "display_name": "Ama Mensah", "password": "a brand new passphrase",
        "confirm_password": "a brand new passphrase"})
    assert response.status_code == 400
    assert [dd.get_text() for dd in html(response).select(".typed dd")] == ["Ama Mensah"]
    assert "a brand new passphrase" not in response.get_data(as_text=True)


def test_an_htmx_request_carries_the_token_in_the_x_csrftoken_header(
        client: FlaskClient, services: Services, world: World) -> None:
    sign_in(client, world.government)
    # the signed-in layout tells htmx to send the session's token with every request
    headers = json.loads(html(client.get("/")).body["hx-headers"])
    assert list(headers) == ["X-CSRFToken"]
    # the same session token (each page signs it anew, with the time of signing)
    assert headers["X-CSRFToken"].split(".")[0] == csrf_token(client).split(".")[0]
    answers = claim_answers(client, world)
    del answers["csrf_token"]
    url = f"/commitments/{world.commitment_id}/claims"
    # with a wrong header, the htmx request is refused and nothing recorded
    before = services.app.max_notification_id()
    refused = client.post(url, data=answers,
                          headers={"HX-Request": "true", "X-CSRFToken": "forged"})
    assert refused.status_code == 400
    assert refused.headers["HX-Retarget"] == "#main"
    assert services.app.max_notification_id() == before
    # with the header from the layout (and no token in the form), the answers go to the
    # check page, and from there the claim is recorded
    response = client.post(url, data=answers, headers={"HX-Request": "true", **headers})
    assert response.status_code == 303
    response = client.post(response.location, headers={"HX-Request": "true", **headers})
    assert response.status_code == 303
    assert services.app.max_notification_id() == before + 1


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://localhost.evil.example"},
])
def test_a_cross_site_post_is_refused_even_with_a_valid_token(
        client: FlaskClient, services: Services, world: World, headers: dict[str, str]) -> None:
    sign_in(client, world.government)
    answers = claim_answers(client, world)
    before = services.app.max_notification_id()
    # another site makes the member's browser send the claim form, token and all
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=answers,
                           headers=headers)
    # it is refused with 403 and an explanation, and nothing is recorded
    assert response.status_code == 403
    assert "only from its own pages" in text(html(response), "main .lead")
    assert services.app.max_notification_id() == before
    # nor can another site sign a browser in to an account of its choosing
    fields = form_fields(html(client.get("/login")), "form[action^='/login']")
    login = client.post("/login", headers=headers, data={
        **fields, "email": world.civil_society.email, "password": PASSWORD})
    assert login.status_code == 403
    assert signed_in_name(client) == "Ministry of Integrity member"


@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Origin": "http://localhost"},
    {},
])
def test_a_same_origin_post_with_the_token_is_accepted(
        client: FlaskClient, services: Services, world: World, headers: dict[str, str]) -> None:
    sign_in(client, world.government)
    before = services.app.max_notification_id()
    # the member sends the form, then the check page, from Accord's own pages (or with a
    # client that says nothing)
    answers = claim_answers(client, world)
    response = client.post(f"/commitments/{world.commitment_id}/claims", data=answers,
                           headers=headers)
    assert response.status_code == 303
    response = client.post(response.location, headers=headers,
                           data={"csrf_token": answers["csrf_token"]})
    # the claim is recorded
    assert response.status_code == 303
    assert services.app.max_notification_id() == before + 1
