"""Catching a projection up with the event log, exactly once per event.

The position of the last event applied is written in the same transaction as the rows those
events produced: a crash rolls back both, so no event is skipped or applied twice. The
transaction starts by locking the position (``BEGIN IMMEDIATE`` on SQLite, ``FOR UPDATE`` on
PostgreSQL), so two workers catching up at once take turns instead of both applying a batch.

Between the batches of one catch-up, a projection may keep what it loaded in a ``Memory``, so
that a rebuild does not read back the rows it has just written. The memory is trusted only when
the stored position is the one it was left at by a committed batch: a failed batch, or a batch
applied meanwhile by another worker, makes the projection start again from the tables.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    column,
    func,
    select,
    table,
    true,
)
from sqlalchemy.exc import IntegrityError

from accord.database import Database
from accord.projections.log_sql import ATTACHED, EventsInSql, StoredEvents
from accord.projections.source import EventSource, Projection, RebuildsInSql

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
REBUILD_BATCH = 50_000
CATCH_UP_MEMORY = 100_000
"""How much a projection may keep in memory between the batches of a catch-up (in the units
of each projection: claims for the progress projection), so that a web worker catching up
a long stretch of the log stays small."""
REBUILD_MEMORY = 2_000_000
REBUILD_SQLITE_CACHE = -256 * 1024
"""SQLite's page cache while rebuilding a batch at a time, in KiB (negative: a size, not a
number of pages)."""
REBUILD_IN_SQL_CACHE = -1024 * 1024
"""SQLite's page cache while rebuilding in one transaction: room for all the pages it writes
at full scale (about 650 MB for 720,000 events), so that none is written twice. Pages are
taken only as they are needed."""
SQLITE_CACHE = -2000
"""SQLite's default page cache, restored after a rebuild."""


@dataclass
class Memory:
    """What a projection keeps between the batches of one catch-up, and the position the
    tables were at when it was last known to match them (None: it may not match)."""

    limit: int
    rebuilding: bool = False
    position: int | None = None
    state: Any = None
    deferred: list[Index] = field(default_factory=list)
    """The indexes a rebuild builds at its end. A projection that stops remembering what
    it wrote, and so must read it back, first builds them with ``build_deferred``."""

    def build_deferred(self, connection: Connection) -> None:
        """Build the deferred indexes now, inside the batch's transaction."""
        for index in self.deferred:
            index.create(connection, checkfirst=True)
        self.deferred = []


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: a rebuild allocates millions of objects that live on
    (the remembered state), and the collector kept walking all of them, costing a third of the
    time. Replaying events makes no reference cycles that would need it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_memory: ContextVar[Memory | None] = ContextVar("projection_memory", default=None)


def batch_memory() -> Memory | None:
    """The memory of the catch-up running in this context, if any, already checked against
    the stored position."""
    return _memory.get()


def positions_with_log(database: Database, events: StoredEvents
                       ) -> tuple[int, dict[str, int]]:
    """The log's last position (the greatest ``notification_id`` of ``events``, a table of
    the same PostgreSQL database) and every projection's, in one read."""
    log = table(events.table, column("notification_id"), schema=events.schema)
    last = select(func.max(log.c.notification_id).label("last")).subquery()
    query = select(last.c.last, positions.c.name, positions.c.position).select_from(
        last.outerjoin(positions, true()))
    with database.reader.connect() as connection:
        rows = connection.execute(query).all()
    return int(rows[0].last or 0), {row.name: int(row.position) for row in rows
                                    if row.name is not None}


def stored_positions(database: Database) -> dict[str, int]:
    """The position of every projection, by name, in one read."""
    with database.reader.connect() as connection:
        return {name: int(position) for name, position in
                connection.execute(select(positions.c.name, positions.c.position))}


class _NotInSql(Exception):
    """The projection could not rebuild in SQL (its transaction is rolled back)."""


class Projector:
    """Keeps one projection's tables up to date with the event log."""

    def __init__(self, database: Database, source: EventSource, projection: Projection,
                 stored_events: StoredEvents | None = None) -> None:
        self.database = database
        self.source = source
        self.projection = projection
        self.stored_events = stored_events
        """Where the database reaches the stored events, for a rebuild in SQL (None: it
        does not)."""

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
                for table in self.projection.metadata.sorted_tables:
                    for index in table.indexes:  # those a rebuild cut short left missing
                        index.create(connection, checkfirst=True)
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
        with self._remembering(CATCH_UP_MEMORY):
            while position < target:
                position = self._apply_next_batch(target, batch_size)
        return position

    def rebuild(self) -> int:
        """Drop the projection's tables and replay the whole log into new ones.

        The tables are filled without the indexes that only queries use, which are then
        built once from the full tables: much cheaper than keeping them in order row by row.
        A rebuild cut short leaves them missing; ``create_tables`` builds them again.
        """
        position = self._rebuild_in_sql()
        if position is None:
            position = self._rebuild_in_batches()
        if self.database.is_sqlite:
            with self.database.writer.begin() as connection:
                self._analyze(connection)
        else:
            # Each table on a connection of its own, two at a time: one statement keeps
            # one core busy.
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="analyze") as pool:
                list(pool.map(self._analyze_apart, self.projection.metadata.sorted_tables))
        return position

    def _rebuild_in_batches(self) -> int:
        """Empty the tables, catch up from the start, then build the deferred indexes."""
        with self.database.writer.begin() as connection:
            # Lock the position before the tables, in the order catching up takes them:
            # dropping first would deadlock with a worker holding the position on
            # PostgreSQL.
            self._position(connection, lock=True)
            self._empty_tables(connection)
        with self._remembering(REBUILD_MEMORY) as memory, _without_cycle_collection():
            memory.rebuilding, memory.deferred = True, self._deferred_indexes()
            position = self.catch_up(batch_size=REBUILD_BATCH)
        with self.database.writer.begin() as connection:
            self._position(connection, lock=True)
            for index in self._deferred_indexes():
                index.create(connection, checkfirst=True)
            if self.database.is_sqlite:
                connection.exec_driver_sql(f"PRAGMA cache_size={SQLITE_CACHE}")
        return position

    def _analyze(self, connection: Connection, *only: Table) -> None:
        """Fresh statistics, so that the query planner picks the selective index (most
        commitments share one agreement state; few share a country)."""
        for analysed in only or self.projection.metadata.sorted_tables:
            connection.exec_driver_sql(f'ANALYZE "{analysed.name}"')

    def _analyze_apart(self, analysed: Table) -> None:
        with self.database.writer.begin() as connection:
            self._analyze(connection, analysed)

    def _empty_tables(self, connection: Connection) -> None:
        """Drop the tables and create them again empty, without their deferred indexes, at
        position 0."""
        self.projection.metadata.drop_all(connection)
        self._save_position(connection, 0)
        self.projection.metadata.create_all(connection)
        for index in self._deferred_indexes():
            index.drop(connection)

    def _rebuild_in_sql(self) -> int | None:
        """Replay the whole log in one transaction, with SQL that reads the stored events
        (``log_sql``), if the projection can and the database reaches the events. The
        tables are emptied in the same transaction: until it commits, readers see the
        tables as they were (on SQLite; PostgreSQL makes them wait).

        Returns the new position, or None, having changed nothing, when it cannot: then the
        log is replayed a batch at a time.
        """
        if (self.stored_events is None or not self.stored_events.plain_json
                or not isinstance(self.projection, RebuildsInSql)):
            return None
        sql = EventsInSql(self.database.writer.dialect.name, self.stored_events)
        if not self.database.is_sqlite:
            with self.database.writer.connect() as tending:
                sql.tend(tending.execution_options(isolation_level="AUTOCOMMIT"))
        target = self.source.max_notification_id()
        try:
            with (_without_cycle_collection(),
                  self._batch_transaction(rebuilding=True, attach=sql) as connection,
                  self._reading_events(sql) as reader):
                self._position(connection, lock=True)
                if not self.projection.rebuild_in_sql(
                        connection, reader, sql, self.source, target,
                        empty=lambda: self._empty_tables(connection)):
                    raise _NotInSql  # rolls back what it wrote
                # Those the projection has not built: readers never see the new tables
                # without them.
                for index in self._deferred_indexes():
                    index.create(connection, checkfirst=True)
                self._save_position(connection, target)
        except _NotInSql:
            return None
        return target

    @contextmanager
    def _reading_events(self, sql: EventsInSql) -> Iterator[Connection]:
        """Another connection that reaches the stored events, in a transaction (on SQLite a
        reader's, which takes no write lock; on PostgreSQL a writer's, whose reads, unlike
        the readers', may stream in a transaction)."""
        engine = self.database.reader if self.database.is_sqlite else self.database.writer
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            attaching = sql.attach()
            if attaching is not None:
                driver.execute(attaching)
            try:
                with connection.begin():
                    yield connection
            finally:
                if attaching is not None:
                    driver.execute(f"DETACH DATABASE {ATTACHED}")

    def _deferred_indexes(self) -> list[Index]:
        """The indexes a rebuild builds at the end: all those declared as indexes, the
        unique ones too (the log is checked when they are built: a duplicate fails the
        rebuild), but not primary keys and constraints, which are part of their table."""
        return [index for table in self.projection.metadata.sorted_tables
                for index in sorted(table.indexes, key=lambda i: str(i.name))]

    @contextmanager
    def _remembering(self, limit: int) -> Iterator[Memory]:
        outer = _memory.get()
        if outer is not None:  # an outer catch-up already remembers
            yield outer
            return
        memory = Memory(limit)
        token = _memory.set(memory)
        try:
            yield memory
        finally:
            _memory.reset(token)

    def _apply_next_batch(self, target: int, batch_size: int) -> int:
        memory = _memory.get()
        with self._batch_transaction(
                rebuilding=memory is not None and memory.rebuilding) as connection:
            position = self._position(connection, lock=True)
            if position >= target:
                return position  # another worker got there first
            events = self.source.read_events(
                after=position, upto=target, limit=batch_size, topics=self.projection.topics
            )
            if memory is not None:
                if memory.position != position and memory.state is not None:
                    # The tables moved on without it, or its batch failed: read them back.
                    memory.build_deferred(connection)
                    memory.state = None
                memory.position = None  # until this batch is committed
            if events:
                self.projection.apply(connection, events)
            # A short batch means nothing else of interest lies before the target.
            new_position = events[-1][0] if len(events) == batch_size else target
            self._save_position(connection, new_position)
        if memory is not None:
            memory.position = new_position
        return new_position

    @contextmanager
    def _batch_transaction(self, *, rebuilding: bool, attach: EventsInSql | None = None
                           ) -> Iterator[Connection]:
        """A write transaction; while rebuilding on SQLite, one that keeps pages in memory
        and does not wait for the disk at commit, with the events' file attached when
        ``attach`` reads them.

        Without that wait (``synchronous=NORMAL``), a power cut may lose the last batches
        committed, never part of one: their rows and the position go together, and the
        next catch-up applies those events again.
        """
        if not rebuilding or not self.database.is_sqlite:
            with self.database.writer.begin() as connection:
                yield connection
            return
        with self.database.writer.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            # Outside any transaction: SQLite refuses both inside one.
            driver.execute("PRAGMA synchronous=NORMAL")
            # Dropped tables hold what events say, which the log keeps anyway: they need not
            # be overwritten page by page, as SQLite built to delete securely does.
            secure_delete = driver.execute("PRAGMA secure_delete").fetchone()[0]
            driver.execute("PRAGMA secure_delete=FAST")
            attaching = attach.attach() if attach is not None else None
            try:
                if attaching is not None:
                    driver.execute(attaching)
                    if attach is not None and not attach.attached(driver):
                        attaching = None  # detached already
                        raise _NotInSql  # this SQLite cannot attach the events read-only
                with connection.begin():
                    cache = REBUILD_SQLITE_CACHE if attach is None else REBUILD_IN_SQL_CACHE
                    connection.exec_driver_sql(f"PRAGMA cache_size={cache}")
                    yield connection
            finally:
                driver.execute("PRAGMA synchronous=FULL")
                driver.execute(f"PRAGMA secure_delete={int(secure_delete)}")
                if attach is not None:  # one transaction: its cache is not needed after
                    driver.execute(f"PRAGMA cache_size={SQLITE_CACHE}")
                if attaching is not None:
                    driver.execute(f"DETACH DATABASE {ATTACHED}")

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
