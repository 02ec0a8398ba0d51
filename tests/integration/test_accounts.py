"""The account journeys on each backend: invitations, passwords, deactivation, the first steward."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from accord.domain.account import AccountState, Role
from accord.domain.errors import InvalidValue
from accord.domain.organisation import Organisation
from accord.platform import invitations as invitations_module
from accord.platform.accounts import STEWARDS_ORGANISATION
from accord.platform.errors import AlreadyExists, NotFound, NotPermitted
from accord.platform.policy import SYSTEM, Action, permits
from accord.platform.records import invitations, now, people, token_hash
from accord.services import Services
from accord.settings import Settings
from tests.integration.accounts import (
    GOOD_PASSWORD,
    NEW_PASSWORD,
    invite,
    member,
    ministry,
    people_rows,
)

# -- invitations -----------------------------------------------------------------------------------


def test_an_invited_person_sets_a_password_and_can_then_sign_in(services: Services) -> None:
    organisation_id = ministry(services)
    # A steward invites Ama by e-mail; her address is stored as typed, without case.
    invitation = invite(services, organisation_id, email="  Ama@Ministry.example ")
    account_id = UUID(invitation.account_id)
    assert invitation.email == "ama@ministry.example"
    assert invitation.position == services.app.max_notification_id()
    assert services.app.account(account_id).state is AccountState.INVITED
    assert services.people.authenticate("ama@ministry.example", GOOD_PASSWORD) is None
    # Her link names the invitation, which expires in a week.
    found = services.invitations.find(invitation.token)
    assert found is not None
    assert (found.account_id, found.invited_by) == (invitation.account_id, SYSTEM.account_id)
    assert timedelta(days=6) < found.expires_at - now() <= timedelta(days=7)
    # She accepts with a good password and the name she goes by.
    accepted, position = services.accounts.accept(
        invitation.token, display_name=" Ama A. Mensah ", password=GOOD_PASSWORD)
    assert (accepted, position) == (invitation.account_id, services.app.max_notification_id())
    # Her account is active, and she signs in with her e-mail in any case.
    assert services.app.actor(account_id).active is True
    assert services.people.authenticate("AMA@ministry.example", GOOD_PASSWORD) == accepted
    person = services.people.get(accepted)
    assert person is not None
    assert (person.display_name, person.has_password) == ("Ama A. Mensah", True)


def test_an_invitation_link_works_only_once(services: Services) -> None:
    invitation = invite(services, ministry(services))
    services.accounts.accept(invitation.token, display_name="Ama", password=GOOD_PASSWORD)
    position = services.app.max_notification_id()
    # Someone who copied the link tries to set their own password with it.
    with pytest.raises(NotFound):
        services.accounts.accept(invitation.token, display_name="Eve", password=NEW_PASSWORD)
    assert services.invitations.find(invitation.token) is None
    assert services.app.max_notification_id() == position
    assert services.people.authenticate(invitation.email, NEW_PASSWORD) is None
    assert services.people.authenticate(invitation.email, GOOD_PASSWORD) == invitation.account_id


def test_an_expired_invitation_is_refused(services: Services,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    invitation = invite(services, ministry(services))
    # Eight days later, the link no longer works.
    eight_days_on = now() + timedelta(days=8)
    monkeypatch.setattr(invitations_module, "now", lambda: eight_days_on)
    assert services.invitations.find(invitation.token) is None
    assert invitation.account_id not in services.invitations.pending()
    with pytest.raises(NotFound):
        services.accounts.accept(invitation.token, display_name="Ama", password=GOOD_PASSWORD)
    assert services.app.account(UUID(invitation.account_id)).state is AccountState.INVITED
    person = services.people.get(invitation.account_id)
    assert person is not None
    assert person.has_password is False


def test_an_invitation_that_expires_while_it_is_being_accepted_is_not_used(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation = invite(services, ministry(services))
    # The link is still open when found, and expires before it is marked used.
    assert services.invitations.find(invitation.token) is not None
    expired = now() + timedelta(days=7, seconds=1)
    monkeypatch.setattr(invitations_module, "now", lambda: expired)
    assert services.invitations.use(invitation.token) is False


def test_a_refused_password_leaves_the_invitation_open(services: Services) -> None:
    invitation = invite(services, ministry(services))
    position = services.app.max_notification_id()
    # Ama first tries a password that is too short, then one of the most common.
    for password in ("short", "iloveyou"):
        with pytest.raises(InvalidValue):
            services.accounts.accept(invitation.token, display_name="Ama", password=password)
    # An empty name is refused the same way.
    with pytest.raises(InvalidValue):
        services.accounts.accept(invitation.token, display_name=" ", password=GOOD_PASSWORD)
    assert services.app.max_notification_id() == position
    # The link still works for a good password.
    assert services.invitations.find(invitation.token) is not None
    services.accounts.accept(invitation.token, display_name="Ama", password=GOOD_PASSWORD)
    assert services.app.account(UUID(invitation.account_id)).active is True


def test_a_withdrawn_invitation_cannot_be_accepted(services: Services) -> None:
    invitation = invite(services, ministry(services))
    # A steward deactivates the invited account before Ama accepts.
    services.accounts.deactivate(SYSTEM, UUID(invitation.account_id), "Wrong person.")
    with pytest.raises(NotFound):
        services.accounts.accept(invitation.token, display_name="Ama", password=GOOD_PASSWORD)
    assert services.app.account(UUID(invitation.account_id)).state is AccountState.DEACTIVATED
    assert services.people.authenticate(invitation.email, GOOD_PASSWORD) is None


def test_only_the_hash_of_an_invitation_token_is_stored(services: Services) -> None:
    invitation = invite(services, ministry(services))
    with services.database.reader.connect() as connection:
        rows = [tuple(row) for row in connection.execute(select(invitations))]
    assert [row[0] for row in rows] == [token_hash(invitation.token)]
    assert not any(invitation.token in str(value) for row in rows for value in row)


def test_inviting_an_email_that_already_has_an_account_is_refused(services: Services) -> None:
    invite(services, ministry(services), email="ama@ministry.example")
    finance = ministry(services, "Ministry of Finance")
    position, rows = services.app.max_notification_id(), people_rows(services)
    # The same address, in another case, into another organisation.
    with pytest.raises(AlreadyExists) as refused:
        invite(services, finance, email="AMA@ministry.example ", name="Someone Else")
    assert refused.value.field == "email"
    assert services.app.max_notification_id() == position
    assert people_rows(services) == rows
    assert len(services.invitations.pending()) == 1


@pytest.mark.parametrize("email", ["ama", "ama@localhost", "ama @ministry.example", ""])
def test_an_email_in_the_wrong_format_is_refused(services: Services, email: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        invite(services, ministry(services), email=email)
    assert refused.value.field == "email"
    assert people_rows(services) == 0


def test_a_refused_invitation_leaves_no_person_behind(services: Services) -> None:
    organisation_id = ministry(services)
    services.app.suspend_organisation(SYSTEM, organisation_id, "Under review.")
    position = services.app.max_notification_id()
    # Inviting into a suspended organisation is refused after the person was stored.
    with pytest.raises(NotPermitted):
        invite(services, organisation_id)
    # So is inviting into an organisation that does not exist.
    with pytest.raises(NotFound):
        invite(services, UUID(int=1))
    assert services.app.max_notification_id() == position
    assert people_rows(services) == 0
    assert services.invitations.pending() == {}
    # The address is free for a later invitation.
    services.app.reinstate_organisation(SYSTEM, organisation_id, "Cleared.")
    assert invite(services, organisation_id).email == "ama@ministry.example"


def test_an_account_that_may_not_invite_learns_nothing_about_who_has_an_account(
    services: Services
) -> None:
    organisation_id = ministry(services)
    account_id = member(services, organisation_id)
    kofi, rows = services.app.actor(UUID(account_id)), people_rows(services)
    # A plain member tries to invite an address that has an account, and one that has not:
    # both are refused alike, so the refusal does not reveal which addresses are known.
    for email in ("ama@ministry.example", "nobody@ministry.example"):
        with pytest.raises(NotPermitted):
            services.accounts.invite(kofi, organisation_id=organisation_id, role=Role.MEMBER,
                                     email=email, display_name="Someone")
    assert people_rows(services) == rows


# -- passwords, sessions, deactivation -----------------------------------------------------------


def test_changing_the_password_needs_the_current_one_and_ends_every_session(
    services: Services
) -> None:
    account_id = member(services, ministry(services))
    actor = services.app.actor(UUID(account_id))
    laptop, phone = services.sessions.start(account_id), services.sessions.start(account_id)
    # A wrong current password is refused, and nothing changes.
    with pytest.raises(InvalidValue) as refused:
        services.accounts.change_password(actor, current="not it at all", new=NEW_PASSWORD)
    assert refused.value.field == "current_password"
    assert services.sessions.account_for(laptop) == account_id
    # A common new password, or the same one again, is refused.
    for new in ("password1", GOOD_PASSWORD):
        with pytest.raises(InvalidValue) as refused:
            services.accounts.change_password(actor, current=GOOD_PASSWORD, new=new)
        assert refused.value.field == "new_password"
    # With the right current password, the new one replaces it and every session ends.
    services.accounts.change_password(actor, current=GOOD_PASSWORD, new=NEW_PASSWORD)
    assert services.sessions.account_for(laptop) is None
    assert services.sessions.account_for(phone) is None
    assert services.people.authenticate("ama@ministry.example", GOOD_PASSWORD) is None
    assert services.people.authenticate("ama@ministry.example", NEW_PASSWORD) == account_id


def test_deactivating_an_account_ends_its_sessions_only(services: Services) -> None:
    organisation_id = ministry(services)
    ama = member(services, organisation_id)
    kofi = member(services, organisation_id, email="kofi@ministry.example", name="Kofi")
    sessions = [services.sessions.start(ama), services.sessions.start(ama, remember=True)]
    colleague = services.sessions.start(kofi)
    position = services.accounts.deactivate(SYSTEM, UUID(ama), "Left the ministry.")
    assert position == services.app.max_notification_id()
    assert [services.sessions.account_for(token) for token in sessions] == [None, None]
    assert services.sessions.account_for(colleague) == kofi
    assert services.app.actor(UUID(ama)).active is False


def test_a_refused_deactivation_ends_no_session(services: Services) -> None:
    account_id = member(services, ministry(services))
    token = services.sessions.start(account_id)
    with pytest.raises(NotPermitted):
        services.accounts.deactivate(services.app.actor(UUID(account_id)), UUID(account_id), "r")
    assert services.sessions.account_for(token) == account_id


# -- the first steward, and real hashes -----------------------------------------------------------


def test_create_steward_makes_the_stewards_organisation_once(services: Services) -> None:
    # The first steward is invited into a stewards' organisation made for the occasion.
    first = services.accounts.create_steward("root@accord.example", "First Steward")
    stewards = services.app.repository.get(STEWARDS_ORGANISATION)
    assert isinstance(stewards, Organisation)
    assert (stewards.name, stewards.kind.value, stewards.version) == (
        "Accord stewards", "steward", 1)
    # A second steward joins the same organisation, which is not registered again.
    second = services.accounts.create_steward("backup@accord.example", "Second Steward")
    assert services.app.repository.get(STEWARDS_ORGANISATION).version == 1
    for invitation in (first, second):
        account = services.app.account(UUID(invitation.account_id))
        assert (account.organisation_id, account.role) == (STEWARDS_ORGANISATION,
                                                           Role.ADMINISTRATOR)
    # Once accepted, the steward manages organisations and claims nothing.
    services.accounts.accept(first.token, display_name="First Steward", password=GOOD_PASSWORD)
    steward = services.app.actor(UUID(first.account_id))
    assert permits(steward, Action.MANAGE_ORGANISATIONS)
    assert not permits(steward, Action.CLAIM_STATUS)
    # The same address cannot become a steward twice.
    with pytest.raises(AlreadyExists):
        services.accounts.create_steward("ROOT@accord.example", "Impostor")


def test_passwords_are_stored_as_argon2id_hashes_with_the_production_cost(
    settings: Settings
) -> None:
    # Not the cheap hasher of the other tests: the one Accord really uses.
    wired = Services(settings)
    try:
        account_id = member(wired, ministry(wired))
        with wired.database.reader.connect() as connection:
            stored = connection.execute(select(people.c.password_hash)).scalar_one()
        assert stored.startswith("$argon2id$")
        assert "m=65536,t=3,p=4" in stored
        assert GOOD_PASSWORD not in stored
        assert wired.people.authenticate("ama@ministry.example", GOOD_PASSWORD) == account_id
    finally:
        wired.close()
