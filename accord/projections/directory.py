"""The directory read model: organisations and accounts as they stand, for lists and names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import Boolean, Column, Connection, DateTime, MetaData, String, Table

from accord.domain.account import Account, AccountState
from accord.domain.organisation import Organisation
from accord.projections.rows import Rows
from accord.projections.source import PositionedEvent

metadata = MetaData()

organisations = Table(
    "directory_organisation",
    metadata,
    Column("organisation_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False, index=True),
    Column("countries", String(2000), nullable=False),  # space-separated ISO codes
    Column("verified", Boolean, nullable=False),
    Column("suspended", Boolean, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

accounts = Table(
    "directory_account",
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("organisation_id", String(36), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("invited_at", DateTime(timezone=True), nullable=False),
    Column("activated_at", DateTime(timezone=True)),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)


Handler = Callable[[dict[str, Rows], Any], None]


def _organisation(rows: dict[str, Rows], event: Any, **changes: Any) -> None:
    row = rows["organisations"].get(str(event.originator_id))
    row.update(changes, changed_at=event.timestamp)


def _account(rows: dict[str, Rows], event: Any, **changes: Any) -> None:
    row = rows["accounts"].get(str(event.originator_id))
    row.update(changes, changed_at=event.timestamp)


def organisation_registered(rows: dict[str, Rows], event: Organisation.Registered) -> None:
    rows["organisations"].add({
        "organisation_id": str(event.originator_id), "name": event.name, "kind": event.kind,
        "countries": " ".join(event.countries), "verified": False, "suspended": False,
        "registered_at": event.timestamp, "changed_at": event.timestamp,
    })


def account_invited(rows: dict[str, Rows], event: Account.Invited) -> None:
    rows["accounts"].add({
        "account_id": str(event.originator_id), "organisation_id": event.organisation_id,
        "role": event.role, "state": AccountState.INVITED.value,
        "invited_at": event.timestamp, "activated_at": None, "changed_at": event.timestamp,
    })


def account_reactivated(rows: dict[str, Rows], event: Account.Reactivated) -> None:
    # Back to active if it ever was, else back to waiting for the invitation to be accepted.
    row = rows["accounts"].get(str(event.originator_id))
    state = AccountState.ACTIVE if row["activated_at"] else AccountState.INVITED
    _account(rows, event, state=state.value)


HANDLERS: dict[type[Any], Handler] = {
    Organisation.Registered: organisation_registered,
    Organisation.Renamed: lambda rows, e: _organisation(rows, e, name=e.name),
    Organisation.ScopeChanged: lambda rows, e: _organisation(
        rows, e, countries=" ".join(e.countries)),
    Organisation.Verified: lambda rows, e: _organisation(rows, e, verified=True),
    Organisation.Suspended: lambda rows, e: _organisation(rows, e, suspended=True),
    Organisation.Reinstated: lambda rows, e: _organisation(rows, e, suspended=False),
    Account.Invited: account_invited,
    Account.Activated: lambda rows, e: _account(rows, e, state=AccountState.ACTIVE.value,
                                                activated_at=e.timestamp),
    Account.RoleChanged: lambda rows, e: _account(rows, e, role=e.role),
    Account.Deactivated: lambda rows, e: _account(rows, e,
                                                  state=AccountState.DEACTIVATED.value),
    Account.Reactivated: account_reactivated,
}


class DirectoryProjection:
    """Organisations and accounts, for the stewards' pages and for names on public pages."""

    name = "directory"
    version = 1
    metadata = metadata
    topics: Sequence[str] = tuple(get_topic(event_class) for event_class in HANDLERS)

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Apply ``events`` inside the caller's transaction."""
        rows = {"organisations": Rows(connection, organisations, "organisation_id"),
                "accounts": Rows(connection, accounts, "account_id")}
        for _, event in events:
            HANDLERS[type(event)](rows, event)
        for table_rows in rows.values():
            table_rows.flush()
