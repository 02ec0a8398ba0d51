"""Security events are logged as one JSON line each, with the account, the address and the time
in UTC, and never with a password, a token or an e-mail address."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accord.services import Services
from tests.scenario import PASSWORD, Member, World
from tests.web.conftest import form_fields, html, route_values, sign_in, steward

SECURITY = "accord.security"
ADDRESS = "203.0.113.7"
FORM = "main form[method=post]"


@pytest.fixture
def security_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The security log, captured from INFO up."""
    caplog.set_level(logging.INFO, logger=SECURITY)
    return caplog


def logged(caplog: pytest.LogCaptureFixture, step: Callable[[], Any]) -> list[dict[str, Any]]:
    """The security lines that ``step`` logs, each checked to be one line of JSON."""
    caplog.clear()
    step()
    messages = [record.getMessage() for record in caplog.records if record.name == SECURITY]
    assert all("\n" not in message for message in messages), messages
    return [json.loads(message) for message in messages]


def assert_one(lines: list[dict[str, Any]], event: str, account_id: str | None,
               address: str = ADDRESS) -> dict[str, Any]:
    """Exactly one line, for ``event``, naming the account, the address and the UTC time."""
    assert [line["event"] for line in lines] == [event]
    line = lines[0]
    assert line["account_id"] == account_id
    assert line["address"] == address
    at = datetime.fromisoformat(line["at"])
    assert at.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - at) < timedelta(minutes=1)
    return line


def post_form(client: FlaskClient, page: str, **answers: str) -> int:
    """Send the page's main form with ``answers`` from ADDRESS; return the status."""
    soup = html(client.get(page))
    action = str(soup.select_one(FORM).get("action") or page)
    return client.post(action, data={**form_fields(soup, FORM), **answers},
                       environ_base={"REMOTE_ADDR": ADDRESS}).status_code


def attempt(client: FlaskClient, member: Member, password: str) -> int:
    """One sign-in from ADDRESS; returns the status."""
    return post_form(client, "/login", email=member.email, password=password)


def test_signing_in_logs_one_line_on_failure_and_one_on_success(
        client: FlaskClient, world: World, security_log: pytest.LogCaptureFixture) -> None:
    # a wrong password: one failure, naming the account under attack (not the e-mail)
    lines = logged(security_log, lambda: attempt(client, world.government, "wrong password"))
    failure = assert_one(lines, "sign_in_failed", world.government.actor.account_id)
    assert failure["reason"] == "wrong_email_or_password"
    # an unknown e-mail: one failure, naming no account
    stranger = Member(world.government.actor, "nobody@accord.test", "Nobody")
    lines = logged(security_log, lambda: attempt(client, stranger, "wrong password"))
    assert assert_one(lines, "sign_in_failed", None)["reason"] == "wrong_email_or_password"
    # the right one: one success, naming the account
    lines = logged(security_log, lambda: attempt(client, world.government, PASSWORD))
    assert_one(lines, "sign_in_succeeded", world.government.actor.account_id)


def test_hitting_the_rate_limit_logs_one_line(
        client: FlaskClient, world: World, security_log: pytest.LogCaptureFixture) -> None:
    for _ in range(10):
        assert attempt(client, world.civil_society, "wrong password") == 422
    # the eleventh attempt is refused, and logged as such (not as one more failure)
    lines = logged(security_log, lambda: attempt(client, world.civil_society, PASSWORD))
    line = assert_one(lines, "sign_in_rate_limited", None)
    assert datetime.fromisoformat(line["until"]) > datetime.now(UTC)


def test_a_csrf_failure_logs_one_line_naming_the_signed_in_account(
        client: FlaskClient, world: World, security_log: pytest.LogCaptureFixture) -> None:
    sign_in(client, world.government)
    # the member's claim arrives without its token
    lines = logged(security_log, lambda: client.post(
        f"/commitments/{world.commitment_id}/claims", data={"narrative": "Done."},
        environ_base={"REMOTE_ADDR": ADDRESS}))
    line = assert_one(lines, "csrf_failed", world.government.actor.account_id)
    assert line["path"] == f"/commitments/{world.commitment_id}/claims"


def test_an_authorisation_failure_logs_one_line(
        client: FlaskClient, world: World, security_log: pytest.LogCaptureFixture) -> None:
    sign_in(client, world.civil_society)
    # a civil-society member opens the stewards' list of accounts
    lines = logged(security_log, lambda: client.get(
        "/manage/accounts", environ_base={"REMOTE_ADDR": ADDRESS}))
    line = assert_one(lines, "authorisation_failed", world.civil_society.actor.account_id)
    assert (line["action"], line["path"]) == ("read_directory", "/manage/accounts")


@pytest.mark.parametrize(("page", "answers", "event"), [
    ("role", {"role": "administrator"}, "role_changed"),
    ("deactivate", {"reason": "Left the ministry."}, "account_deactivated"),
])
def test_a_role_change_and_a_deactivation_log_one_line_each(
        client: FlaskClient, services: Services, world: World,
        security_log: pytest.LogCaptureFixture, page: str, answers: dict[str, str],
        event: str) -> None:
    acting = steward(services)
    sign_in(client, acting)
    target = world.government.actor.account_id
    # the steward sends the form about the government member's account
    lines = logged(security_log, lambda: post_form(
        client, f"/manage/accounts/{target}/{page}", **answers))
    # one line names the steward, and the account they acted on
    assert assert_one(lines, event, acting.actor.account_id)["target_account_id"] == target


def test_no_line_holds_a_password_a_token_or_an_email_address(
        app: Flask, client: FlaskClient, services: Services, world: World,
        security_log: pytest.LogCaptureFixture) -> None:
    invitation_token = route_values(services, world)["token"]
    invitation = f"/invitations/{invitation_token}"
    new_password = "a fresh passphrase for the newcomer"
    secrets = [PASSWORD, new_password, invitation_token, "invited@accord.test",
               *(member.email for member in world.members)]
    # a journey through everything that logs: failures, a refused and a cross-site
    # invitation form, acceptance, remembered sign-in, authorisation failure, sign-out
    attempt(client, world.government, "wrong password")
    fields = form_fields(html(client.get(invitation)), FORM)
    client.post(invitation, data={**fields, "password": new_password}, headers={"Origin": "null"})
    client.post(invitation, data={"display_name": "Invited", "password": new_password})
    post_form(client, invitation, password=new_password, confirm_password=new_password)
    remembered = app.test_client()
    post_form(remembered, "/login", email=world.auditor.email, password=PASSWORD, remember="y")
    remembered.get("/manage/organisations/new")
    with remembered.session_transaction() as session:
        secrets += [session["_user_id"], remembered.get_cookie("remember_token").value]
    remembered.post("/logout", data={"csrf_token": form_fields(
        html(remembered.get("/")), "form[action='/logout']")["csrf_token"]})
    for _ in range(11):
        attempt(client, world.foreign_government, "wrong password")
    # every kind of line was logged
    lines = [record.getMessage() for record in security_log.records if record.name == SECURITY]
    events = {json.loads(line)["event"] for line in lines}
    assert {"sign_in_failed", "cross_site_request_refused", "csrf_failed",
            "invitation_accepted", "sign_in_succeeded", "authorisation_failed",
            "signed_out", "sign_in_rate_limited"} <= events
    # and none of them holds a secret or an address
    for line in lines:
        for secret in secrets:
            assert secret not in line, f"{secret!r} in {line}"
        assert "@" not in line, line
