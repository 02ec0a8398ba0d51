"""Signing in and out."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from accord.services import Services
from tests.scenario import World
from tests.web.conftest import form_fields, html, sign_in, text

WRONG = "The e-mail address or the password is not right."


def signed_in_as(client: FlaskClient) -> str | None:
    """Who the site header says is signed in, or None when it offers to sign in."""
    header = html(client.get("/")).select_one(".site-header__account")
    return None if header.select_one("a[href='/login']") else text(header, "span")


@pytest.mark.parametrize(("next_url", "destination"), [
    (None, "/"),
    ("/countries/GHA", "/countries/GHA"),
    ("/countries/GHA?theme=open_data", "/countries/GHA?theme=open_data"),
])
def test_signing_in_goes_to_the_local_page_asked_for_or_home(
        client: FlaskClient, world: World, next_url: str | None, destination: str) -> None:
    # the government member signs in, perhaps sent from another page
    response = sign_in(client, world.government, next_url=next_url)
    # they are sent on with 303, and the page they land on says who they are
    assert response.status_code == 303
    assert response.location == destination
    landing = html(client.get(destination))
    assert text(landing, ".notice") == "You are signed in."
    assert signed_in_as(client) == "Signed in as Ministry of Integrity member"


@pytest.mark.parametrize("next_url", [
    "//evil.example", "https://evil.example/x", "/\\evil", "\\\\evil.example",
    "http:/evil.example", "javascript:alert(1)", "evil.example/x",
])
def test_signing_in_never_redirects_to_another_site(
        client: FlaskClient, world: World, next_url: str) -> None:
    # the sign-in link was crafted to send the member elsewhere afterwards
    response = sign_in(client, world.civil_society, next_url=next_url)
    # they are signed in, and sent home instead
    assert response.status_code == 303
    assert response.location == "/"
    assert signed_in_as(client) == "Signed in as Budget Watch member"


def test_the_sign_in_form_does_not_carry_a_foreign_next_address(
        client: FlaskClient, world: World) -> None:
    soup = html(client.get("/login", query_string={"next": "//evil.example"}))
    assert soup.select_one("form[method=post]")["action"] == "/login"


@pytest.mark.parametrize(("email", "password"), [
    ("government-gha@accord.test", "not the password"),
    ("nobody@accord.test", "a long test passphrase"),
])
def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
        client: FlaskClient, world: World, email: str, password: str) -> None:
    # someone tries to sign in with credentials that do not match an account
    fields = form_fields(html(client.get("/login")), "form[method=post]")
    response = client.post("/login", data={**fields, "email": email, "password": password})
    soup = html(response)
    # the form comes back, saying only that the pair is not right
    assert response.status_code == 422
    assert [a.get_text(strip=True) for a in soup.select(".error-summary a")] == [WRONG]
    assert soup.select_one(".error-summary a")["href"] == "#password"
    assert WRONG in text(soup, "#password-error")
    # the address is kept, the password is not
    assert soup.select_one("input#email")["value"] == email
    assert not soup.select_one("input#password").get("value")
    # and nobody is signed in
    assert signed_in_as(client) is None


def test_an_empty_sign_in_form_names_both_fields(client: FlaskClient, world: World) -> None:
    fields = form_fields(html(client.get("/login")), "form[method=post]")
    response = client.post("/login", data=fields)
    assert response.status_code == 422
    links = [a["href"] for a in html(response).select(".error-summary a")]
    assert links == ["#email", "#password"]


def test_signing_in_starts_a_new_session(
        client: FlaskClient, world: World, services: Services) -> None:
    # the visitor opens the sign-in form, which gives their browser a session
    fields = form_fields(html(client.get("/login")), "form[method=post]")
    before = client.get_cookie("session")
    assert before is not None
    # they sign in
    client.post("/login", data={**fields, "email": world.government.email,
                                "password": "a long test passphrase"})
    # the session cookie has changed, and the token of the old session no longer works
    after = client.get_cookie("session")
    assert after is not None
    assert after.value != before.value
    with client.session_transaction() as session:
        # the cookie holds a session token, kept on the server, not the account id
        token = session["_user_id"]
    assert token != world.government.actor.account_id
    assert services.sessions.account_for(token) == world.government.actor.account_id
    response = client.post("/logout", data={"csrf_token": fields["csrf_token"]})
    assert response.status_code == 400
    assert signed_in_as(client) == "Signed in as Ministry of Integrity member"


def test_signing_out_without_the_csrf_token_is_refused(
        client: FlaskClient, world: World) -> None:
    # a signed-in member is sent a sign-out request without the form's token
    sign_in(client, world.government)
    response = client.post("/logout")
    # it is refused with an explanation, and they stay signed in
    assert response.status_code == 400
    assert "security token" in text(html(response), "main .lead")
    assert signed_in_as(client) == "Signed in as Ministry of Integrity member"


def test_signing_out_with_the_form_ends_the_session(client: FlaskClient, world: World) -> None:
    # a signed-in member uses the sign-out button in the header
    sign_in(client, world.government)
    fields = form_fields(html(client.get("/")), "form[action='/logout']")
    response = client.post("/logout", data=fields)
    # they are sent home, told they are signed out, and the header offers to sign in again
    assert response.status_code == 303
    assert response.location == "/"
    home = html(client.get("/"))
    assert text(home, ".notice") == "You are signed out."
    assert home.select_one(".site-header__account a")["href"] == "/login"
    # the session no longer names the account, and the claim form is gone
    with client.session_transaction() as session:
        assert "_user_id" not in session
    commitment = html(client.get(f"/commitments/{world.commitment_id}"))
    assert commitment.select_one("form[action$='/claims']") is None


def test_a_session_cookie_copied_before_signing_out_no_longer_signs_in(
        client: FlaskClient, world: World) -> None:
    # someone copies a signed-in member's session cookie
    sign_in(client, world.government)
    copied = client.get_cookie("session")
    assert copied is not None
    # the member signs out
    client.post("/logout", data=form_fields(html(client.get("/")), "form[action='/logout']"))
    # the copy no longer signs anyone in
    client.set_cookie("session", copied.value)
    assert signed_in_as(client) is None
