"""The account pages: invitations, error summaries, account settings, the directory for
administrators and auditors, and the `accord accounts` commands."""

from __future__ import annotations

import email
import os
import subprocess
import sys
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from accord.domain.account import Role
from accord.services import Services
from accord.settings import Settings
from accord.web import create_app
from tests.scenario import World, claim
from tests.web.conftest import (
    csrf_token,
    enrol,
    form_fields,
    html,
    sign_in,
    signed_in_name,
    steward,
    text,
)

FORM = "main form[method=post]"
ACCORD = Path(sys.executable).parent / "accord"


def outbox(settings: Settings) -> list[Message]:
    """The e-mails Accord wrote to its outbox, oldest first."""
    files = sorted((settings.data_dir / "outbox").glob("*.eml"))
    return [email.message_from_bytes(path.read_bytes()) for path in files]


def invitation_path(message: Message) -> str:
    """The path of the invitation link in an e-mail."""
    links = [line.strip() for line in message.get_payload(decode=True).decode().splitlines()
             if "/invitations/" in line]
    assert len(links) == 1, links
    assert links[0].startswith("http://127.0.0.1:8000/invitations/")
    return urlsplit(links[0]).path


def send(client: FlaskClient, page: str, **answers: str) -> tuple[int, BeautifulSoup]:
    """Fill in the page's form with ``answers`` and send it."""
    soup = html(client.get(page))
    action = str(soup.select_one(FORM).get("action") or page)
    response = client.post(action, data={**form_fields(soup, FORM), **answers},
                           follow_redirects=True)
    return response.status_code, html(response)


def test_a_steward_invites_a_person_who_accepts_through_the_link(
        app: Flask, client: FlaskClient, services: Services, settings: Settings,
        world: World) -> None:
    organisation = world.government.actor.organisation_id
    # a steward follows "Invite someone" on the ministry's page and fills in the form
    sign_in(client, steward(services))
    page = html(client.get(f"/manage/organisations/{organisation}"))
    invite = page.find("a", string="Invite someone")["href"]
    status, soup = send(client, invite, display_name="Ama Mensah", email="Ama@Ministry.test")
    assert status == 200
    assert text(soup, ".notice") == "The invitation is on its way to ama@ministry.test."
    assert "Ama Mensah" in text(soup, "table")
    assert "Ama Mensah" in text(html(client.get("/manage/invitations")), "table")
    # the person receives an e-mail with the link
    [message] = outbox(settings)
    assert message["To"] == "ama@ministry.test"
    link = invitation_path(message)
    # they open it, choose a password, and are signed in
    person = app.test_client()
    assert "ama@ministry.test" in text(html(person.get(link)), "main .lead")
    status, soup = send(person, link, password="a good long passphrase",
                        confirm_password="a good long passphrase")
    assert status == 200
    assert text(soup, ".notice") == (
        "Welcome to Accord: your account is ready and you are signed in.")
    assert signed_in_name(person) == "Ama Mensah"
    # the link is used up: it answers 404 to anyone, and the invitation is no longer open
    for response in (person.get(link), app.test_client().get(link), person.post(link, data={
            "csrf_token": csrf_token(person), "password": "another passphrase"})):
        assert response.status_code == 404
    assert "invitation link is not valid" in text(html(client.get(link)), "main .lead")
    assert "No open invitations." in text(html(client.get("/manage/invitations")), "main")


INVALID = [
    ("invite", {"display_name": "", "email": "", "role": ""},
     {"#display_name": "Enter the person's name.",
      "#email": "Enter the person's e-mail address.", "#role": "Choose a role."}),
    ("invite", {"display_name": "Kofi", "email": "kofi-at-example"},
     {"#email": "Enter an e-mail address in the right format, like name@example.org."}),
    ("invitation", {"display_name": "", "password": "a good long passphrase",
                    "confirm_password": "a different passphrase"},
     {"#display_name": "Enter your name.",
      "#confirm_password": "The two passwords are not the same."}),
    ("password", {"current_password": "not my password", "new_password": "a fine new one!",
                  "confirm_password": "a fine new one!"},
     {"#current_password": "Your current password is not right."}),
    ("register", {"name": "", "countries": ""},
     {"#name": "Enter the name.", "#kind": "Choose the kind of organisation."}),
    ("register", {"name": "Ministry of Finance", "kind": "government", "countries": "GHA COL"},
     {"#countries": "A government reports on exactly one country."}),
    ("rename", {"name": ""}, {"#name": "Enter the new name."}),
    ("suspend", {"reason": ""}, {"#reason": "Give the reason."}),
    ("role", {"role": ""}, {"#role": "Choose a role."}),
    ("deactivate", {"reason": "  "}, {"#reason": "Enter the reason."}),
]


@pytest.mark.parametrize(("form", "answers", "errors"), INVALID,
                         ids=[f"{form}-{'-'.join(e)}" for form, _, e in INVALID])
def test_invalid_input_comes_back_with_an_error_summary_linking_to_each_field(
        client: FlaskClient, services: Services, world: World, form: str,
        answers: dict[str, str], errors: dict[str, str]) -> None:
    organisation, account = (world.government.actor.organisation_id,
                             world.government.actor.account_id)
    acting = steward(services)
    token = services.accounts.invite(acting.actor, organisation_id=UUID(organisation),
                                     role=Role.MEMBER, email="new@accord.test",
                                     display_name="New").token
    page = {"invite": f"/manage/organisations/{organisation}/invite",
            "invitation": f"/invitations/{token}", "password": "/account/password",
            "register": "/manage/organisations/new",
            "rename": f"/manage/organisations/{organisation}/rename",
            "suspend": f"/manage/organisations/{organisation}/suspend",
            "role": f"/manage/accounts/{account}/role",
            "deactivate": f"/manage/accounts/{account}/deactivate"}[form]
    sign_in(client, world.government if form == "password" else acting)
    before = services.app.max_notification_id()
    # the form is sent with something wrong in it
    soup = html(client.get(page))
    response = client.post(str(soup.select_one(FORM).get("action") or page),
                           data={**form_fields(soup, FORM), **answers})
    result = html(response)
    # it comes back with a summary whose links lead to each field, and the error at the field
    assert response.status_code == 422
    assert {a["href"]: a.get_text(strip=True)
            for a in result.select(".error-summary a")} == errors
    for target, message in errors.items():
        assert result.select_one(target) is not None, target
        assert message in text(result, f"{target}-error")
    assert result.title.get_text().startswith("Error:")
    # every description a field points to is on the page; nothing was recorded
    for element in result.select("[aria-describedby]"):
        for described in element["aria-describedby"].split():
            assert result.select_one(f"#{described}") is not None, described
    assert services.app.max_notification_id() == before


def test_the_account_page_says_who_you_are_and_offers_password_and_sign_out_everywhere(
        client: FlaskClient, world: World) -> None:
    sign_in(client, world.civil_society)
    soup = html(client.get("/account"))
    # the page names the person, their address, organisation and role
    rows = {" ".join(div.dt.get_text().split()): " ".join(div.dd.get_text().split())
            for div in soup.select(".summary-list > div")}
    assert rows == {"Name": "Budget Watch member", "E-mail address": "watch-gha@accord.test",
                    "Organisation": "Budget Watch", "Role": "Member"}
    # it links to the password form and has the "sign out everywhere" button
    assert soup.find("a", string="Change your password")["href"] == "/account/password"
    form = soup.select_one("main form[action='/account/sign-out-everywhere']")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrf_token]")["value"]
    assert form.button.get_text(strip=True) == "Sign out everywhere"


def test_an_administrator_invites_into_their_own_organisation_only(
        client: FlaskClient, services: Services, settings: Settings, world: World) -> None:
    own = world.civil_society.actor.organisation_id
    other = world.other_civil_society.actor.organisation_id
    sign_in(client, enrol(services, own, "admin-watch"))
    # the directory link leads the administrator to their own organisation, with an invite link
    response = client.get("/manage/organisations")
    assert response.location == f"/manage/organisations/{own}"
    page = html(client.get(response.location))
    assert page.find("a", string="Invite someone")["href"] == f"/manage/organisations/{own}/invite"
    assert page.select(".actions") == []
    # they invite a colleague, who is e-mailed a link
    status, _ = send(client, f"/manage/organisations/{own}/invite", display_name="Esi",
                     email="esi@watch.test")
    assert status == 200
    assert [message["To"] for message in outbox(settings)] == ["esi@watch.test"]
    # another organisation's page and invitation form are refused, and nothing is sent
    before = services.app.max_notification_id()
    assert client.get(f"/manage/organisations/{other}").status_code == 403
    assert client.get(f"/manage/organisations/{other}/invite").status_code == 403
    refused = client.post(f"/manage/organisations/{other}/invite", data={
        "csrf_token": csrf_token(client), "display_name": "Yaw", "email": "yaw@ledger.test",
        "role": "administrator"})
    assert refused.status_code == 403
    assert text(html(refused), "h1") == "You cannot do this"
    assert services.app.max_notification_id() == before
    assert len(outbox(settings)) == 1


def test_an_auditor_reads_the_directory_without_any_action(
        client: FlaskClient, services: Services, world: World) -> None:
    organisation = world.government.actor.organisation_id
    account = world.government.actor.account_id
    services.accounts.invite(steward(services).actor, organisation_id=UUID(organisation),
                             role=Role.MEMBER, email="pending@accord.test", display_name="P")
    sign_in(client, world.auditor)
    for page in ("/manage/organisations", f"/manage/organisations/{organisation}",
                 "/manage/accounts", f"/manage/accounts/{account}", "/manage/invitations"):
        response = client.get(page)
        soup = html(response)
        # the auditor sees the page and what it lists
        assert response.status_code == 200, page
        assert soup.select("main table, main .summary-list"), page
        # but no form, no list of actions, and no link to any change
        assert soup.select("main form") == [], page
        assert soup.select(".actions") == [], page
        hrefs = [a["href"] for a in soup.select("main a")]
        assert not [h for h in hrefs if h.endswith(
            ("/new", "/invite", "/rename", "/countries", "/suspend", "/role", "/deactivate"))]
    assert "pending@accord.test" in text(html(client.get("/manage/invitations")), "table")


def test_the_directory_shows_an_erased_account_without_its_person(
        client: FlaskClient, services: Services, world: World) -> None:
    account = world.government.actor.account_id
    claim(services.app, world.government, world.commitment_id)
    # the person behind the government member's account asks to be erased
    services.accounts.erase(UUID(account))
    sign_in(client, steward(services))
    # the directory lists the account as erased, with its role and state but no address
    row = html(client.get("/manage/accounts")).find("a", href=f"/manage/accounts/{account}")
    cells = [" ".join(cell.get_text().split()) for cell in row.find_parent("tr")(["th", "td"])]
    assert cells == ["Erased account", "", "Ministry of Integrity", "Member", "Deactivated"]
    page = html(client.get(f"/manage/accounts/{account}"))
    assert text(page, "h1") == "Erased account"
    assert "government-gha@accord.test" not in page.get_text()
    # the account's claim stays on the public record, in its organisation's name
    commitment = html(client.get(f"/commitments/{world.commitment_id}"))
    assert text(commitment, ".side--government .claim__who") == "Ministry of Integrity"


def accord(*arguments: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``accord`` script on ``data_dir`` (embedded SQLite)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    env["ACCORD_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(ACCORD), *arguments], env=env, cwd=data_dir.parent,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_accounts_commands_invite_a_steward_and_erase_an_account(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    # `accord accounts create-steward` prints the invitation link, also put in the outbox
    created = accord("accounts", "create-steward", "Chief@Accord.test", "--name", "Chief",
                     data_dir=settings.data_dir)
    assert created.returncode == 0, created.stderr
    lines = created.stdout.splitlines()
    assert lines[0] == "Invited chief@accord.test as a steward. Invitation link (valid 7 days):"
    link = invitation_path(outbox(settings)[0])
    assert lines[1].strip() == f"http://127.0.0.1:8000{link}"
    # the link opens the invitation for the new steward
    services = Services(settings)
    try:
        app = create_app(settings, services)
        assert "chief@accord.test" in text(html(app.test_client().get(link)), "main .lead")
        account = services.invitations.find(link.rsplit("/", 1)[1]).account_id
    finally:
        services.close()
    # `accord accounts erase` erases the person, once; a malformed id is refused
    erased = accord("accounts", "erase", account, data_dir=settings.data_dir)
    assert erased.stdout.strip() == (
        f"Erased the personal data of account {account}; it is deactivated.")
    again = accord("accounts", "erase", account, data_dir=settings.data_dir)
    assert again.stdout.strip() == (
        f"Account {account} had no personal data left; it is deactivated.")
    malformed = accord("accounts", "erase", "not-an-id", data_dir=settings.data_dir)
    assert malformed.returncode != 0
    assert "not an account id: not-an-id" in malformed.stderr
