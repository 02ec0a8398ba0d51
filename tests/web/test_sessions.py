"""Sessions live on the server: signing out, password changes, deactivation and suspension end
them at once, remembered sessions included; the cookies that name them are locked down."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import PASSWORD, Member, World
from tests.web.conftest import form_fields, html, sign_in, signed_in_name, steward, text

REMEMBER = "remember_token"
GOVERNMENT = "Ministry of Integrity member"
FORM = "main form[method=post]"


def sign_in_remembered(client: FlaskClient, member: Member) -> None:
    """Sign in through the form with "keep me signed in" ticked."""
    fields = form_fields(html(client.get("/login")), "form[action^='/login']")
    fields.update(email=member.email, password=PASSWORD, remember="y")
    assert client.post("/login", data=fields).status_code == 303


def post_form(client: FlaskClient, page: str, selector: str, **answers: str) -> str:
    """Send the form at ``selector`` on ``page`` with ``answers``; return where it leads."""
    soup = html(client.get(page))
    action = str(soup.select_one(selector).get("action") or page)
    response = client.post(action, data={**form_fields(soup, selector), **answers})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.location


def with_cookie(app: Flask, name: str, value: str) -> FlaskClient:
    """Another browser holding only a copy of one cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def test_each_sign_in_starts_a_new_server_session_and_ends_the_one_before(
        app: Flask, client: FlaskClient, world: World, services: Services) -> None:
    # something is put in the visitor's session before they sign in
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    # a member signs in, and someone copies the session cookie
    sign_in(client, world.government)
    copied = client.get_cookie("session").value
    with client.session_transaction() as session:
        first_token = session["_user_id"]
    # the member signs in again in the same browser
    sign_in(client, world.government)
    with client.session_transaction() as session:
        second_token = session["_user_id"]
    # the browser holds a new session token, and nothing from before; the old one is ended
    assert second_token != first_token
    with client.session_transaction() as session:
        assert "planted" not in session
    assert services.sessions.account_for(first_token) is None
    assert signed_in_name(client) == GOVERNMENT
    assert signed_in_name(with_cookie(app, "session", copied)) is None


def test_signing_out_ends_the_session_and_the_remember_cookie_on_the_server(
        app: Flask, client: FlaskClient, world: World) -> None:
    # a member signs in, remembered; someone copies both cookies
    sign_in_remembered(client, world.civil_society)
    session_cookie = client.get_cookie("session").value
    remember_cookie = client.get_cookie(REMEMBER).value
    assert signed_in_name(with_cookie(app, REMEMBER, remember_cookie)) == "Budget Watch member"
    # the member signs out with the button in the header
    assert post_form(client, "/", "form[action='/logout']") == "/"
    # the browser drops the remember cookie, and neither copy signs anyone in any more
    assert client.get_cookie(REMEMBER) is None
    assert signed_in_name(client) is None
    assert signed_in_name(with_cookie(app, "session", session_cookie)) is None
    assert signed_in_name(with_cookie(app, REMEMBER, remember_cookie)) is None


def test_signing_out_everywhere_ends_every_session_of_the_account(
        app: Flask, client: FlaskClient, world: World) -> None:
    # the member is signed in on two devices, one of them remembered
    laptop, phone = client, app.test_client()
    sign_in(laptop, world.government)
    sign_in_remembered(phone, world.government)
    remembered = phone.get_cookie(REMEMBER).value
    # on the laptop they press "Sign out everywhere" on their account page
    location = post_form(laptop, "/account", "form[action='/account/sign-out-everywhere']")
    # the laptop is sent home, signed out, and told why
    assert location == "/"
    assert text(html(laptop.get(location)), ".notice") == (
        "You have been signed out on every device.")
    # neither device, nor a copy of the remember cookie, is signed in any more
    assert signed_in_name(laptop) is None
    assert signed_in_name(phone) is None
    assert signed_in_name(with_cookie(app, REMEMBER, remembered)) is None


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
        app: Flask, client: FlaskClient, world: World) -> None:
    laptop, phone = client, app.test_client()
    sign_in(laptop, world.government)
    sign_in(phone, world.government)
    copied = laptop.get_cookie("session").value
    # on the laptop, the member changes their password
    new = "another long test passphrase"
    location = post_form(laptop, "/account/password", FORM,
                         current_password=PASSWORD, new_password=new, confirm_password=new)
    # the laptop goes on, signed in, and says the other sessions ended
    assert location == "/account"
    assert text(html(laptop.get(location)), ".notice") == (
        "Your password has been changed. You have been signed out everywhere else.")
    assert signed_in_name(laptop) == GOVERNMENT
    # the phone is signed out, and so is a copy of the laptop's cookie from before the change
    assert signed_in_name(phone) is None
    assert signed_in_name(with_cookie(app, "session", copied)) is None
    # only the new password signs in from now on
    assert sign_in(phone, world.government).status_code == 422
    assert sign_in(phone, world.government, password=new).status_code == 303
    assert signed_in_name(phone) == GOVERNMENT


def test_a_deactivated_account_is_signed_out_at_once_and_cannot_sign_in(
        app: Flask, client: FlaskClient, world: World, services: Services) -> None:
    # a member is signed in, remembered
    sign_in_remembered(client, world.civil_society)
    remembered = client.get_cookie(REMEMBER).value
    # a steward deactivates the account with the form
    stewards = app.test_client()
    sign_in(stewards, steward(services))
    account = world.civil_society.actor.account_id
    location = post_form(stewards, f"/manage/accounts/{account}/deactivate", FORM,
                         reason="Left the organisation.")
    assert location == f"/manage/accounts/{account}"
    # the member's very next request is anonymous, with or without the remember cookie
    assert signed_in_name(client) is None
    assert signed_in_name(with_cookie(app, REMEMBER, remembered)) is None
    # and signing in again is refused, saying so
    response = sign_in(app.test_client(), world.civil_society)
    assert response.status_code == 422
    assert "This account cannot sign in at the moment." in text(html(response), "#password-error")
    # the sessions ended for good: once the account is reactivated, the old ones stay ended
    page = html(stewards.get(location))
    stewards.post(page.select_one("form[action$='/reactivate']")["action"],
                  data=form_fields(page, "form[action$='/reactivate']"))
    assert signed_in_name(client) is None
    assert signed_in_name(with_cookie(app, REMEMBER, remembered)) is None
    assert sign_in(client, world.civil_society).status_code == 303


def test_suspending_an_organisation_makes_its_members_next_request_anonymous(
        app: Flask, client: FlaskClient, world: World, services: Services) -> None:
    # a government member is signed in and sees the claim form
    sign_in(client, world.government)
    commitment = f"/commitments/{world.commitment_id}"
    assert html(client.get(commitment)).select_one("form[action$='/claims']") is not None
    # a steward suspends the member's organisation
    stewards = app.test_client()
    sign_in(stewards, steward(services))
    organisation = world.government.actor.organisation_id
    post_form(stewards, f"/manage/organisations/{organisation}/suspend", FORM,
              reason="Under investigation.")
    # the member's next request is anonymous: no claim form, an offer to sign in
    page = html(client.get(commitment))
    assert page.select_one("form[action$='/claims']") is None
    assert page.select_one(".site-header__account a")["href"] == "/login"
    assert signed_in_name(client) is None
    # reinstating the organisation does not bring the old session back: it was ended
    post_form(stewards, f"/manage/organisations/{organisation}/reinstate", FORM,
              reason="Cleared.")
    assert signed_in_name(client) is None
    assert sign_in(client, world.government).status_code == 303


def test_a_remembered_session_outlives_the_session_cookie_until_sign_out(
        app: Flask, client: FlaskClient, world: World) -> None:
    # without the box ticked, no remember cookie is set
    sign_in(client, world.government)
    assert client.get_cookie(REMEMBER) is None
    # with it ticked, a remember cookie is set for 30 days
    remembered_browser = app.test_client()
    sign_in_remembered(remembered_browser, world.government)
    cookie = remembered_browser.get_cookie(REMEMBER)
    assert cookie is not None
    assert timedelta(days=29) < cookie.expires - datetime.now(UTC) <= timedelta(days=30)
    # the browser is closed (the session cookie goes) and reopened: still signed in
    remembered_browser.delete_cookie("session")
    assert signed_in_name(remembered_browser) == GOVERNMENT
    # after signing out there, the remember cookie no longer signs in
    post_form(remembered_browser, "/", "form[action='/logout']")
    assert signed_in_name(with_cookie(app, REMEMBER, cookie.value)) is None
    # while the other, unremembered session goes on
    assert signed_in_name(client) == GOVERNMENT


def test_cookies_are_http_only_lax_and_not_secure_over_plain_http(
        client: FlaskClient, world: World) -> None:
    # a member signs in, remembered, over http
    sign_in_remembered(client, world.government)
    # both cookies are kept from scripts and from cross-site requests, but not Secure
    for name in ("session", REMEMBER):
        cookie = client.get_cookie(name)
        assert (cookie.http_only, cookie.same_site, cookie.secure) == (True, "Lax", False), name


def test_cookies_are_secure_when_accord_is_served_over_https(
        settings: Settings, services: Services, world: World) -> None:
    # Accord is configured with an https base address
    https = Settings(data_dir=settings.data_dir, database_url=settings.database_url,
                     secret_key="test-secret", base_url="https://accord.example")
    app = create_app(https, services)
    app.config["TESTING"] = True
    client = app.test_client()
    # a member signs in, remembered
    sign_in_remembered(client, world.government)
    # every cookie set is Secure as well as HttpOnly and SameSite=Lax
    for name in ("session", REMEMBER):
        cookie = client.get_cookie(name)
        assert (cookie.http_only, cookie.same_site, cookie.secure) == (True, "Lax", True), name
