"""Erasing a person for good, on each backend, while the history they made stays readable."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import MetaData, select

from accord.domain.account import Account, AccountState
from accord.platform.errors import NotFound
from accord.platform.policy import SYSTEM
from accord.services import Services
from tests.integration.accounts import GOOD_PASSWORD, invite, member, ministry
from tests.scenario import OGP

NAME = "Ama Serwaa Mensah"
EMAIL = "ama.mensah@ministry.example"


def commitment(services: Services) -> UUID:
    recorded = services.app.register_commitment(
        SYSTEM, country="GHA", reference="GH0001", title="Publish contracts", framework_id=OGP)
    return UUID(recorded.id)


def every_stored_text(services: Services) -> str:
    """Every value of every table of the relational database, as text (bytes decoded)."""
    tables = MetaData()
    tables.reflect(bind=services.database.reader)
    values: list[str] = []
    with services.database.reader.connect() as connection:
        for table in tables.sorted_tables:
            for row in connection.execute(select(table)):
                values.extend(value.decode("utf-8", "replace") if isinstance(value, bytes)
                              else str(value) for value in row)
    return "\n".join(values)


def every_event_state(services: Services) -> list[bytes]:
    """The stored state of every event in the log, as the event store holds it."""
    recorder = services.app.recorder
    return [notification.state for notification in recorder.select_notifications(
        start=1, limit=services.app.max_notification_id())]


def test_erasing_a_person_keeps_their_claims_readable_without_them(services: Services) -> None:
    # Ama, of the ministry, claims a status on a Ghanaian commitment and is signed in.
    commitment_id = commitment(services)
    account_id = member(services, ministry(services), email=EMAIL, name=NAME)
    actor = services.app.actor(UUID(account_id))
    claim_id = services.app.claim_status(
        actor, commitment_id, status="substantial", narrative="Most contracts are online.",
        evidence=["https://example.org/contracts"], period_start=date(2024, 1, 1),
        period_end=date(2024, 6, 30)).id
    session = services.sessions.start(account_id, remember=True)
    # She has started another claim, signing it with her name, and not submitted it.
    services.drafts.save(account_id, f"claim:{commitment_id}",
                         {"narrative": f"Checked by {NAME}"})
    assert NAME in every_stored_text(services)  # the scan below would see her
    before = services.app.max_notification_id()
    # She asks to be erased.
    assert services.accounts.erase(UUID(account_id)) is True
    # Her account is deactivated, with one event saying why, by the platform itself.
    ((_, event),) = services.app.read_events(after=before, upto=before + 1, limit=5)
    assert isinstance(event, Account.Deactivated)
    assert (event.actor_id, event.reason) == (SYSTEM.account_id,
                                              "Personal data erased on request.")
    assert services.app.account(UUID(account_id)).state is AccountState.DEACTIVATED
    # Her details, her sessions and her password are gone.
    assert services.people.get(account_id) is None
    assert services.sessions.account_for(session) is None
    assert services.people.authenticate(EMAIL, GOOD_PASSWORD) is None
    assert services.drafts.load(account_id, f"claim:{commitment_id}") is None
    # The commitment page still shows her claim, in the ministry's name.
    services.caught_up()
    page = services.queries.commitment_page(str(commitment_id))
    assert page is not None
    (shown,) = page.government
    assert (shown.claim_id, shown.organisation_name) == (claim_id, "Ministry of Integrity")
    directory_row = services.directory.account(account_id)
    assert directory_row is not None
    assert directory_row.state == "deactivated"
    # Neither her name nor her address is anywhere in the database or in the event log.
    stored, states = every_stored_text(services), every_event_state(services)
    assert "Ministry of Integrity" in stored
    assert any(b"Ministry of Integrity" in state for state in states)
    for personal in (NAME, EMAIL, "Mensah"):
        assert personal not in stored
        assert not any(personal.encode() in state for state in states)


def test_erasing_an_invited_person_withdraws_their_invitation(services: Services) -> None:
    invitation = invite(services, ministry(services), email=EMAIL, name=NAME)
    assert services.accounts.erase(UUID(invitation.account_id)) is True
    # The link no longer works, and no invitation is pending for the account.
    assert services.invitations.find(invitation.token) is None
    assert services.invitations.pending() == {}
    with pytest.raises(NotFound):
        services.accounts.accept(invitation.token, display_name=NAME, password=GOOD_PASSWORD)
    assert services.app.account(UUID(invitation.account_id)).state is AccountState.DEACTIVATED
    assert NAME not in every_stored_text(services)


def test_erasing_twice_records_nothing_more(services: Services) -> None:
    account_id = UUID(member(services, ministry(services), email=EMAIL, name=NAME))
    assert services.accounts.erase(account_id) is True
    position = services.app.max_notification_id()
    assert services.accounts.erase(account_id) is False
    assert services.app.max_notification_id() == position


def test_erasing_an_already_deactivated_account_records_no_second_deactivation(
    services: Services
) -> None:
    account_id = UUID(member(services, ministry(services), email=EMAIL, name=NAME))
    services.accounts.deactivate(SYSTEM, account_id, "Left the ministry.")
    position = services.app.max_notification_id()
    assert services.accounts.erase(account_id) is True
    assert services.app.max_notification_id() == position
    assert services.people.get(str(account_id)) is None


def test_erasing_frees_the_email_address_for_a_new_invitation(services: Services) -> None:
    organisation_id = ministry(services)
    old = UUID(member(services, organisation_id, email=EMAIL, name=NAME))
    services.accounts.erase(old)
    # The person comes back later and is invited afresh, as a new account.
    invitation = invite(services, organisation_id, email=EMAIL, name=NAME)
    assert UUID(invitation.account_id) != old
    assert services.app.account(old).state is AccountState.DEACTIVATED


def test_erasing_an_unknown_account_is_refused(services: Services) -> None:
    with pytest.raises(NotFound):
        services.accounts.erase(UUID(int=7))
