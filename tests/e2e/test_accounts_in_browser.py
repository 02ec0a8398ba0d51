"""A steward invites someone; the invited person accepts in their browser and is signed in."""

from __future__ import annotations

import email
import re
from email.message import Message
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

pytestmark = pytest.mark.browser

STEWARD = "steward@demo.accord.test"
PASSWORD = "accord-demo-2026"


def test_an_invited_person_activates_their_account_from_the_e_mailed_link(
        browser: Browser, base_url: str, data_dir: Path) -> None:
    problems: list[str] = []
    steward_page = browser.new_context().new_page()
    steward_page.on("console", lambda message: _collect_errors(message, problems))
    # The steward signs in and opens a Ghanaian civil-society organisation in the directory.
    steward_page.goto(f"{base_url}/login")
    steward_page.get_by_label("E-mail address").fill(STEWARD)
    steward_page.get_by_label("Password").fill(PASSWORD)
    steward_page.get_by_role("button", name="Sign in").click()
    steward_page.get_by_role("link", name="Directory").click()
    steward_page.get_by_role("link", name="Coastal Budget Watch (demo)").click()
    # They invite a new member.
    steward_page.get_by_role("link", name="Invite someone").click()
    steward_page.get_by_label("Their name").fill("Abena Osei")
    steward_page.get_by_label("Their e-mail address").fill("abena.osei@example.org")
    steward_page.get_by_role("button", name="Send the invitation").click()
    expect(steward_page.get_by_text("The invitation is on its way")).to_be_visible()
    expect(steward_page.locator("main table")).to_contain_text("Abena Osei")

    # The e-mail (in the outbox, as no SMTP server is configured) holds the link.
    link = _link_in_mail_to("abena.osei@example.org", data_dir)
    person = browser.new_context().new_page()
    person.on("console", lambda message: _collect_errors(message, problems))
    person.goto(link)
    # A weak password is refused with an error summary; a good one activates the account.
    person.get_by_label("Choose a password").fill("password")
    person.get_by_label("Type the new password again").fill("password")
    person.get_by_role("button", name="Activate my account").click()
    expect(person.locator(".error-summary")).to_contain_text("most common")
    person.get_by_label("Choose a password").fill("tamarind rain over accra")
    person.get_by_label("Type the new password again").fill("tamarind rain over accra")
    person.get_by_role("button", name="Activate my account").click()
    expect(person.get_by_text("your account is ready and you are signed in")).to_be_visible()
    expect(person.locator(".site-header")).to_contain_text("Signed in as Abena Osei")
    # The link cannot be used a second time.
    assert person.goto(link).status == 404  # type: ignore[union-attr]
    assert problems == []


def _link_in_mail_to(address: str, data_dir: Path) -> str:
    for path in sorted((data_dir / "outbox").glob("*.eml")):
        mail: Message = email.message_from_bytes(path.read_bytes())
        if mail["To"] == address:
            body = mail.get_payload(decode=True)
            assert isinstance(body, bytes)
            found = re.search(r"https?://\S+/invitations/\S+", body.decode("utf-8"))
            assert found is not None
            return found.group(0)
    raise AssertionError(f"no e-mail to {address} in the outbox")


def _collect_errors(message: ConsoleMessage, problems: list[str]) -> None:
    # The browser reports every 4xx response; the 422 and 404 asked for here are expected.
    if message.type == "error" and not re.search(r"status of (422|404)", message.text):
        problems.append(message.text)
