"""Accounts: a person's membership of one organisation, without any personal data.

Names, e-mail addresses and password hashes live in the platform's store of personal data,
keyed by the account id, so that they can be erased while the history stays readable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from accord.domain.base import AccordAggregate
from accord.domain.errors import N_, InvalidValue
from accord.domain.values import REASON_MAX, required_text


class Role(StrEnum):
    """A member's role in their organisation."""

    MEMBER = "member"
    ADMINISTRATOR = "administrator"
    """Also invites people into the organisation."""


class AccountState(StrEnum):
    """Where an account is in its life."""

    INVITED = "invited"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


class Account(AccordAggregate):
    """One person's account, a member of one organisation."""

    organisation_id: UUID
    role: Role
    state: AccountState
    ever_activated: bool

    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""

    class Invited(AccordAggregate.Created):
        organisation_id: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.organisation_id = UUID(self.organisation_id)
            aggregate.role = Role(self.role)
            aggregate.state = AccountState.INVITED
            aggregate.ever_activated = False

    class Activated(AccordAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.state = AccountState.ACTIVE
            aggregate.ever_activated = True

    class RoleChanged(AccordAggregate.Event):
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.role = Role(self.role)

    class Deactivated(AccordAggregate.Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            aggregate.state = AccountState.DEACTIVATED

    class Reactivated(AccordAggregate.Event):
        def apply(self, aggregate: Any) -> None:
            aggregate.state = (AccountState.ACTIVE if aggregate.ever_activated
                               else AccountState.INVITED)

    @classmethod
    def invite(
        cls, *, organisation_id: UUID, role: Role = Role.MEMBER, account_id: UUID | None = None
    ) -> Account:
        """Create an account that its holder activates by accepting the invitation."""
        account: Account = cls._create(
            cls.Invited,
            id=account_id or uuid4(),
            organisation_id=str(organisation_id),
            role=role.value,
        )
        return account

    @property
    def active(self) -> bool:
        """Whether the account may sign in and act."""
        return self.state is AccountState.ACTIVE

    def activate(self) -> None:
        """The invited person accepted the invitation and set a password."""
        if self.state is not AccountState.INVITED:
            raise InvalidValue(N_("This invitation has already been used or withdrawn."))
        self.trigger_event(self.Activated)

    def change_role(self, role: Role) -> None:
        """Give the member another role in the organisation."""
        if role is self.role:
            raise InvalidValue(N_("The account already has this role."), field="role")
        self.trigger_event(self.RoleChanged, role=role.value)

    def deactivate(self, reason: str) -> None:
        """Stop the account from signing in or acting; its claims stay visible."""
        if self.state is AccountState.DEACTIVATED:
            raise InvalidValue(N_("The account is already deactivated."))
        self.trigger_event(self.Deactivated,
                           reason=required_text(reason, field="reason", maximum=REASON_MAX))

    def reactivate(self) -> None:
        """Let a deactivated account act again (or accept its invitation, if it never did)."""
        if self.state is not AccountState.DEACTIVATED:
            raise InvalidValue(N_("The account is not deactivated."))
        self.trigger_event(self.Reactivated)
