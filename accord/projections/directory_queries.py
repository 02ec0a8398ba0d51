"""Reading the directory read model: organisations and their accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from accord.database import Database
from accord.projections.directory import accounts, organisations


@dataclass(frozen=True)
class OrganisationRow:
    """An organisation as the directory shows it."""

    organisation_id: str
    name: str
    kind: str
    countries: list[str]
    verified: bool
    suspended: bool
    registered_at: datetime


@dataclass(frozen=True)
class AccountRow:
    """An account as the directory shows it (the person's details come from elsewhere)."""

    account_id: str
    organisation_id: str
    role: str
    state: str
    invited_at: datetime
    activated_at: datetime | None
    changed_at: datetime


class DirectoryQueries:
    """Read-only queries on the directory read model."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def organisations(self) -> list[OrganisationRow]:
        """Every organisation, by name."""
        with self.database.reader.connect() as connection:
            rows = connection.execute(
                select(organisations).order_by(organisations.c.name)).mappings().all()
        return [_organisation(row) for row in rows]

    def organisation(self, organisation_id: str) -> OrganisationRow | None:
        """One organisation, or None."""
        with self.database.reader.connect() as connection:
            row = connection.execute(select(organisations).where(
                organisations.c.organisation_id == organisation_id)).mappings().first()
        return _organisation(row) if row else None

    def accounts(self, organisation_id: str | None = None) -> list[AccountRow]:
        """Every account, or those of one organisation, oldest invitation first."""
        query = select(accounts).order_by(accounts.c.invited_at)
        if organisation_id is not None:
            query = query.where(accounts.c.organisation_id == organisation_id)
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [AccountRow(**row) for row in rows]

    def account(self, account_id: str) -> AccountRow | None:
        """One account, or None."""
        with self.database.reader.connect() as connection:
            row = connection.execute(
                select(accounts).where(accounts.c.account_id == account_id)).mappings().first()
        return AccountRow(**row) if row else None


def _organisation(row: Any) -> OrganisationRow:
    return OrganisationRow(
        organisation_id=row["organisation_id"], name=row["name"], kind=row["kind"],
        countries=row["countries"].split(), verified=row["verified"],
        suspended=row["suspended"], registered_at=row["registered_at"])
