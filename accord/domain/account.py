"""Accounts: a person's membership of one organisation, without any personal data.

Names, e-mail addresses and password hashes live in the platform's store of personal data,
keyed by the account id, so that they can be erased while the history stays readable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from accord.domain.base import AccordAggregate


class Role(StrEnum):
    """A member's role in their organisation."""

    MEMBER = "member"
    ADMINISTRATOR = "administrator"


class Account(AccordAggregate):
    """One person's account, a member of one organisation."""

    organisation_id: UUID
    role: Role
    active: bool


    def __init__(self) -> None:
        """State is set by the created event's ``apply``."""
    class Opened(AccordAggregate.Created):
        organisation_id: str
        role: str

        def apply(self, aggregate: Any) -> None:
            aggregate.organisation_id = UUID(self.organisation_id)
            aggregate.role = Role(self.role)
            aggregate.active = True

    @classmethod
    def open(
        cls, *, organisation_id: UUID, role: Role = Role.MEMBER, account_id: UUID | None = None
    ) -> Account:
        """Open an account in an organisation."""
        account: Account = cls._create(
            cls.Opened,
            id=account_id or uuid4(),
            organisation_id=str(organisation_id),
            role=role.value,
        )
        return account
