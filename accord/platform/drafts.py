"""Drafts: what a person typed into a form and has not submitted yet, kept on the server.

A draft is not an event: it changes as the person types and goes once the claims are
recorded, so that nothing typed is lost to a session timeout or a closed tab, and nothing
half-answered ever reaches the event log. One draft per account and purpose (``key``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from accord.database import Database
from accord.platform.records import ID, now

metadata = MetaData()

KEY_MAX = 120

drafts = Table(
    "draft",
    metadata,
    Column("account_id", String(ID), primary_key=True),
    Column("key", String(KEY_MAX), primary_key=True),
    Column("payload", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class DraftStore:
    """Per account and purpose, the answers of a form not yet submitted (a JSON object)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create_tables(self) -> None:
        """Create the drafts table if it does not exist."""
        self.database.create(metadata)

    def save(self, account_id: str, key: str, payload: dict[str, Any]) -> None:
        """Keep ``payload`` as the account's draft for ``key``, replacing any earlier one."""
        if not key or len(key) > KEY_MAX:
            raise ValueError(f"a draft key has 1 to {KEY_MAX} characters")
        dialect = postgresql if not self.database.is_sqlite else sqlite
        row = {"account_id": account_id, "key": key, "payload": payload, "updated_at": now()}
        statement = dialect.insert(drafts).values(**row)
        # One statement, so that two saves at once (two tabs) never collide on the key.
        statement = statement.on_conflict_do_update(
            index_elements=[drafts.c.account_id, drafts.c.key],
            set_={"payload": statement.excluded.payload,
                  "updated_at": statement.excluded.updated_at})
        with self.database.writer.begin() as connection:
            connection.execute(statement)

    def load(self, account_id: str, key: str) -> dict[str, Any] | None:
        """The account's draft for ``key``, or None if there is none."""
        with self.database.reader.connect() as connection:
            payload = connection.execute(
                select(drafts.c.payload).where(
                    (drafts.c.account_id == account_id) & (drafts.c.key == key))
            ).scalar()
        return dict(payload) if isinstance(payload, dict) else None

    def delete(self, account_id: str, key: str) -> bool:
        """Forget the account's draft for ``key``; True if there was one."""
        with self.database.writer.begin() as connection:
            deleted = connection.execute(drafts.delete().where(
                (drafts.c.account_id == account_id) & (drafts.c.key == key))).rowcount
        return bool(deleted)

    def delete_all(self, account_id: str) -> int:
        """Forget every draft of the account (when its person's data is erased)."""
        with self.database.writer.begin() as connection:
            return int(connection.execute(
                drafts.delete().where(drafts.c.account_id == account_id)).rowcount)
