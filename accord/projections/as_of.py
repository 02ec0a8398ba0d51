"""The read models as they stood at a past moment, built by the same projections as today's.

A past moment is a position in the event log: the last event recorded at or before it. The
read models for that position are built by replaying the log up to it, with the very
projections that keep today's tables (``ProgressProjection``, ``DirectoryProjection``,
``SearchProjection``), into an embedded database of their own under the data dir. Nothing is
re-implemented for history, so a historical page is the page that was served then, less what
was recorded after.

Built databases are kept (one file per position, at most ``KEEP`` of them) and shared by every
worker: the second visitor of the same moment gets it at once. A database is built under a
temporary name and renamed when complete, so nobody reads a half-built one.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from accord.database import Database
from accord.projections.directory import DirectoryProjection
from accord.projections.log_sql import StoredEvents
from accord.projections.progress import ProgressProjection
from accord.projections.projector import Projector
from accord.projections.search import SearchProjection
from accord.projections.source import EventSource, PositionedEvent, Projection

KEEP = 8
"""How many historical databases are kept on disk (the least recently used go first)."""

PROJECTIONS: tuple[Callable[[], Projection], ...] = (
    ProgressProjection, DirectoryProjection, SearchProjection)
"""The projections a historical view needs: the same classes that build today's tables."""


class LogUpTo:
    """The event log as it stood when the event at ``position`` was the last one."""

    def __init__(self, source: EventSource, position: int) -> None:
        self.source = source
        self.position = position

    def max_notification_id(self) -> int:
        """The position of the last event recorded then."""
        return min(self.source.max_notification_id(), self.position)

    def read_events(self, *, after: int, upto: int, limit: int, topics: Sequence[str] = ()
                    ) -> list[PositionedEvent]:
        """Events recorded by then, as the log reads them."""
        return self.source.read_events(after=after, upto=min(upto, self.position),
                                       limit=limit, topics=topics)


def position_at(source: EventSource, moment: datetime) -> int:
    """The position of the last event recorded at or before ``moment`` (0 if none was).

    A binary search over positions, reading one event per step: events are numbered in the
    order they were committed, and their times increase with their positions.
    """
    low, high = 0, source.max_notification_id()
    while low < high:
        middle = (low + high + 1) // 2
        found = source.read_events(after=middle - 1, upto=high, limit=1)
        if not found:
            high = middle - 1  # a gap: nothing between middle and high
            continue
        position, first = found[0]
        if first.timestamp <= moment:
            low = position
        else:
            high = middle - 1
    return low


def _fast_sqlite(path: Path) -> Engine:
    """An engine for a throwaway database: no fsync while building, read-only use after."""
    engine = create_engine(f"sqlite+pysqlite:///{path}")

    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.close()

    return engine


def _database(path: Path) -> Database:
    engine = _fast_sqlite(path)
    return Database(reader=engine, writer=engine)


class History:
    """Read-model databases for past positions of the log, built on demand and kept."""

    def __init__(self, source: EventSource, directory: Path, keep: int = KEEP,
                 stored_events: StoredEvents | None = None) -> None:
        self.source = source
        self.directory = directory
        self.keep = keep
        self.stored_events = stored_events if stored_events and stored_events.file else None
        """The events' SQLite file, which a historical database attaches to be built in SQL
        (``Projector.rebuild``); events in PostgreSQL are out of its reach."""
        self._open: OrderedDict[int, Database] = OrderedDict()
        self._lock = threading.Lock()

    def position_at(self, moment: datetime) -> int:
        """The position of the last event recorded at or before ``moment``."""
        return position_at(self.source, moment)

    def database(self, position: int) -> Database:
        """The read models as they stood at ``position``, built the first time it is asked."""
        with self._lock:
            if position in self._open:
                self._open.move_to_end(position)
                return self._open[position]
            path = self.directory / f"as-of-{position}.sqlite3"
            if not path.exists():
                self._build(position, path)
            else:
                os.utime(path)  # recently used
            database = _database(path)
            self._open[position] = database
            while len(self._open) > self.keep:
                _, oldest = self._open.popitem(last=False)
                oldest.dispose()
            self._forget_old_files()
            return database

    def _build(self, position: int, path: Path) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        building = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.part")
        building.unlink(missing_ok=True)
        database = _database(building)
        try:
            source = LogUpTo(self.source, position)
            for make in PROJECTIONS:
                projector = Projector(database, source, make(), self.stored_events)
                projector.create_tables()
                projector.rebuild()  # as a release's new tables are filled: the fast way
        finally:
            database.dispose()
        os.replace(building, path)  # complete, or not there at all

    def _forget_old_files(self) -> None:
        files = sorted(self.directory.glob("as-of-*.sqlite3"),
                       key=lambda file: file.stat().st_mtime, reverse=True)
        kept = {f"as-of-{position}.sqlite3" for position in self._open}
        for file in files[self.keep:]:
            if file.name not in kept:
                file.unlink(missing_ok=True)
