"""Rows touched by a batch of events: loaded once, changed in memory, written back once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, select


class Rows:
    """The rows of one table touched by a batch, loaded once and written back once."""

    def __init__(self, connection: Connection, table: Table, key: str) -> None:
        self.connection, self.table, self.key = connection, table, key
        self.rows: dict[str, dict[str, Any]] = {}
        self.new: set[str] = set()

    def add(self, row: dict[str, Any]) -> None:
        """A row that did not exist before."""
        self.rows[row[self.key]] = row
        self.new.add(row[self.key])

    def get(self, key: str) -> dict[str, Any]:
        """An existing row, loaded on first use."""
        if key not in self.rows:
            row = self.connection.execute(
                select(self.table).where(self.table.c[self.key] == key)).mappings().one()
            self.rows[key] = dict(row)
        return self.rows[key]

    def flush(self) -> None:
        """Replace the stored rows with the touched ones."""
        old = [key for key in self.rows if key not in self.new]
        if old:
            self.connection.execute(self.table.delete().where(self.table.c[self.key].in_(old)))
        if self.rows:
            self.connection.execute(self.table.insert(), list(self.rows.values()))
