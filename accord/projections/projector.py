"""Catching a projection up with the event log, exactly once per event.

The position of the last event applied is written in the same transaction as the rows those
events produced: a crash rolls back both, so no event is skipped or applied twice. The
transaction starts by locking the position (``BEGIN IMMEDIATE`` on SQLite, ``FOR UPDATE`` on
PostgreSQL), so two workers catching up at once take turns instead of both applying a batch.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    select,
)
from sqlalchemy.exc import IntegrityError

from accord.database import Database
from accord.projections.source import EventSource, Projection

metadata = MetaData()

positions = Table(
    "projection_position",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("position", BigInteger, nullable=False),
)

schemas = Table(
    "projection_schema",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
)
"""The version of each projection's tables; a projection whose tables changed is rebuilt."""

CATCH_UP_BATCH = 500
REBUILD_BATCH = 5_000


class Projector:
    """Keeps one projection's tables up to date with the event log."""

    def __init__(self, database: Database, source: EventSource, projection: Projection) -> None:
        self.database = database
        self.source = source
        self.projection = projection

    def create_tables(self) -> None:
        """Create the projection's tables, or drop and recreate them if their version changed.

        Recreated tables start from position 0 and are filled by the next catch-up, so a new
        release whose read model has other columns needs no migration.
        """
        self.database.create(metadata)
        name, version = self.projection.name, self.projection.version
        try:
            with self.database.writer.begin() as connection:
                stored = connection.execute(
                    select(schemas.c.version).where(schemas.c.name == name)).scalar()
                if stored != version:
                    self.projection.metadata.drop_all(connection)
                    connection.execute(schemas.delete().where(schemas.c.name == name))
                    connection.execute(schemas.insert().values(name=name, version=version))
                    connection.execute(positions.delete().where(positions.c.name == name))
                self.projection.metadata.create_all(connection)
                if self._position_row(connection) is None:
                    connection.execute(positions.insert().values(name=name, position=0))
        except IntegrityError:
            pass  # another process did the same at the same moment

    def position(self) -> int:
        """The position of the last event applied (0 before the first)."""
        with self.database.reader.connect() as connection:
            return self._position(connection)

    def catch_up(self, at_least: int = 0, *, batch_size: int = CATCH_UP_BATCH) -> int:
        """Apply every event recorded so far, which must include position ``at_least``.

        ``at_least`` is the position a command returned: it is refused, rather than skipped
        over, if the log does not reach it.

        Returns the new position. Cheap when there is nothing to do: one read of each side.
        """
        target = self.source.max_notification_id()
        if target < at_least:
            raise ValueError(f"position {at_least} is not in the event log (last: {target})")
        position = self.position()
        while position < target:
            position = self._apply_next_batch(target, batch_size)
        return position

    def rebuild(self) -> int:
        """Drop the projection's tables and replay the whole log into new ones."""
        with self.database.writer.begin() as connection:
            # Lock the position before the tables, in the order catching up takes them:
            # dropping first would deadlock with a worker holding the position on PostgreSQL.
            self._position(connection, lock=True)
            self.projection.metadata.drop_all(connection)
            self._save_position(connection, 0)
            self.projection.metadata.create_all(connection)
        return self.catch_up(batch_size=REBUILD_BATCH)

    def _apply_next_batch(self, target: int, batch_size: int) -> int:
        with self.database.writer.begin() as connection:
            position = self._position(connection, lock=True)
            if position >= target:
                return position  # another worker got there first
            events = self.source.read_events(
                after=position, upto=target, limit=batch_size, topics=self.projection.topics
            )
            if events:
                self.projection.apply(connection, events)
            # A short batch means nothing else of interest lies before the target.
            new_position = events[-1][0] if len(events) == batch_size else target
            self._save_position(connection, new_position)
            return new_position

    def _position(self, connection: Connection, *, lock: bool = False) -> int:
        return self._position_row(connection, lock=lock) or 0

    def _position_row(self, connection: Connection, *, lock: bool = False) -> int | None:
        query = select(positions.c.position).where(positions.c.name == self.projection.name)
        if lock:
            query = query.with_for_update()
        value = connection.execute(query).scalar()
        return None if value is None else int(value)

    def _save_position(self, connection: Connection, position: int) -> None:
        connection.execute(
            positions.update()
            .where(positions.c.name == self.projection.name)
            .values(position=position)
        )
