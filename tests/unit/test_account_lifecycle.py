"""An account's life: invited, activated, given another role, deactivated, reactivated."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import pytest

from accord.domain.account import Account, AccountState, Role
from accord.domain.actor import NoActor, acting_as
from accord.domain.errors import InvalidValue

STEWARD = "account-steward"
ORGANISATION = UUID("5435e81d-e4a7-4e9a-bdda-a0a4ef91d9f4")
BASE_FIELDS = {"originator_id", "originator_version", "timestamp", "actor_id"}


def invited(role: Role = Role.MEMBER) -> Account:
    with acting_as(STEWARD):
        return Account.invite(organisation_id=ORGANISATION, role=role)


def accepted(account: Account) -> Account:
    """The invited person accepts: the account itself is the actor."""
    with acting_as(str(account.id)):
        account.activate()
    return account


def refused(account: Account, change: Any, field: str | None = None) -> InvalidValue:
    """Assert that ``change`` is refused with ``InvalidValue`` and triggers no event."""
    account.collect_events()
    state, role = account.state, account.role
    with acting_as(STEWARD), pytest.raises(InvalidValue) as refusal:
        change(account)
    assert account.collect_events() == []
    assert (account.state, account.role) == (state, role)
    assert refusal.value.field == field
    return refusal.value


def test_an_invited_account_belongs_to_one_organisation_and_cannot_act_yet() -> None:
    account_id = uuid4()
    with acting_as(STEWARD):
        account = Account.invite(organisation_id=ORGANISATION, role=Role.ADMINISTRATOR,
                                 account_id=account_id)
    assert account.id == account_id
    assert (account.organisation_id, account.role) == (ORGANISATION, Role.ADMINISTRATOR)
    assert account.state is AccountState.INVITED
    assert account.active is False
    (event,) = account.collect_events()
    assert isinstance(event, Account.Invited)
    assert (event.actor_id, event.organisation_id, event.role) == (
        STEWARD, str(ORGANISATION), "administrator")


def test_a_new_account_is_a_member_unless_told_otherwise() -> None:
    assert invited().role is Role.MEMBER


def test_an_account_cannot_be_invited_outside_a_use_case() -> None:
    # Every event names who caused it; without an actor nothing can be recorded.
    with pytest.raises(NoActor):
        Account.invite(organisation_id=ORGANISATION)


def test_accepting_the_invitation_activates_the_account_in_its_own_name() -> None:
    account = invited()
    account.collect_events()
    accepted(account)
    (event,) = account.collect_events()
    assert isinstance(event, Account.Activated)
    assert event.actor_id == str(account.id)
    assert account.state is AccountState.ACTIVE
    assert account.active is True


def test_an_invitation_cannot_be_accepted_twice() -> None:
    account = accepted(invited())
    error = refused(account, lambda a: a.activate())
    assert "already been used or withdrawn" in error.message


def test_a_deactivated_account_cannot_be_activated() -> None:
    # Withdrawing an invitation deactivates the account; the old link must not revive it.
    account = invited()
    with acting_as(STEWARD):
        account.deactivate("Invitation withdrawn.")
    refused(account, lambda a: a.activate())
    assert account.state is AccountState.DEACTIVATED


def test_a_member_is_made_administrator_and_back() -> None:
    account = accepted(invited())
    account.collect_events()
    with acting_as(STEWARD):
        account.change_role(Role.ADMINISTRATOR)
        account.change_role(Role.MEMBER)
    promoted, demoted = account.collect_events()
    assert isinstance(promoted, Account.RoleChanged)
    assert (promoted.role, promoted.actor_id) == ("administrator", STEWARD)
    assert demoted.role == "member"
    assert account.role is Role.MEMBER


def test_giving_the_role_an_account_already_has_is_refused() -> None:
    account = accepted(invited(Role.ADMINISTRATOR))
    error = refused(account, lambda a: a.change_role(Role.ADMINISTRATOR), field="role")
    assert "already has this role" in error.message


def test_deactivating_and_reactivating_an_active_account() -> None:
    account = accepted(invited())
    account.collect_events()
    # A steward deactivates the account, saying why.
    with acting_as(STEWARD):
        account.deactivate("  Left the ministry. ")
    (deactivated,) = account.collect_events()
    assert isinstance(deactivated, Account.Deactivated)
    assert (deactivated.reason, deactivated.actor_id) == ("Left the ministry.", STEWARD)
    assert account.state is AccountState.DEACTIVATED
    assert account.active is False
    # Reactivated, it is active again: it had accepted its invitation.
    with acting_as(STEWARD):
        account.reactivate()
    (reactivated,) = account.collect_events()
    assert isinstance(reactivated, Account.Reactivated)
    assert reactivated.actor_id == STEWARD
    assert account.state is AccountState.ACTIVE


def test_reactivating_a_never_activated_account_returns_it_to_invited() -> None:
    account = invited()
    # The invitation is withdrawn before it was accepted, then reopened.
    with acting_as(STEWARD):
        account.deactivate("Sent to the wrong person.")
        account.reactivate()
    assert account.state is AccountState.INVITED
    assert account.active is False
    # The person can now accept it.
    accepted(account)
    assert account.state is AccountState.ACTIVE


def test_an_account_deactivated_twice_after_activation_still_remembers_it() -> None:
    account = accepted(invited())
    with acting_as(STEWARD):
        account.deactivate("First leave.")
        account.reactivate()
        account.deactivate("Second leave.")
        account.reactivate()
    assert account.state is AccountState.ACTIVE


@pytest.mark.parametrize("reason", ["", "  ", "x" * 2001])
def test_a_deactivation_needs_a_reason_of_at_most_2000_characters(reason: str) -> None:
    account = accepted(invited())
    refused(account, lambda a: a.deactivate(reason), field="reason")


def test_deactivating_twice_and_reactivating_an_undeactivated_account_are_refused() -> None:
    account = accepted(invited())
    assert "not deactivated" in refused(account, lambda a: a.reactivate()).message
    assert "not deactivated" in refused(invited(), lambda a: a.reactivate()).message
    with acting_as(STEWARD):
        account.deactivate("Left.")
    assert "already deactivated" in refused(account, lambda a: a.deactivate("Again.")).message


def test_a_deactivated_account_keeps_its_role_and_organisation() -> None:
    account = accepted(invited(Role.ADMINISTRATOR))
    with acting_as(STEWARD):
        account.deactivate("On leave.")
    assert (account.role, account.organisation_id) == (Role.ADMINISTRATOR, ORGANISATION)


def test_events_carry_the_account_id_and_never_personal_data() -> None:
    account = invited()
    accepted(account)
    with acting_as(STEWARD):
        account.change_role(Role.ADMINISTRATOR)
        account.deactivate("Left.")
        account.reactivate()
    events = account.collect_events()
    assert [type(event).__name__ for event in events] == [
        "Invited", "Activated", "RoleChanged", "Deactivated", "Reactivated"]
    # No name, no e-mail, no password: only ids, the role and the reason.
    assert [set(vars(event)) - BASE_FIELDS for event in events] == [
        {"originator_topic", "organisation_id", "role"}, set(), {"role"}, {"reason"}, set()]
    assert all(event.originator_id == account.id for event in events)


def test_the_history_replays_to_the_same_account() -> None:
    account = invited()
    with acting_as(STEWARD):
        account.deactivate("Wrong person.")
        account.reactivate()
    accepted(account)
    replayed: Any = None
    for event in account.collect_events():
        replayed = event.mutate(replayed)
    assert (replayed.state, replayed.ever_activated, replayed.role) == (
        AccountState.ACTIVE, True, Role.MEMBER)
