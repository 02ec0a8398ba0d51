"""Where events are stored: eventsourcing's SQLite module by default, PostgreSQL on request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.application import Application
from eventsourcing.persistence import (
    InterfaceError,
    JSONTranscoder,
    OperationalError,
    StoredEvent,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
)
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteFactory,
)
from eventsourcing.utils import retry


class DurableSQLiteConnectionPool(SQLiteConnectionPool):
    """Connections that sync to disk on every commit: an acknowledged claim survives a power cut.

    The SQLite module switches file databases to WAL but leaves ``synchronous`` at the build
    default, under which WAL commits can be lost when the machine loses power.
    """

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute("PRAGMA synchronous=FULL")
        return connection


class DurableSQLiteFactory(SQLiteFactory):
    """eventsourcing's SQLite persistence, with ``PRAGMA synchronous=FULL`` on every connection."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        pool = self.datastore.pool
        self.datastore.pool = DurableSQLiteConnectionPool(
            db_name=pool.db_name, lock_timeout=pool.lock_timeout
        )
        pool.close()


SQLITE_FACTORY_TOPIC = f"{DurableSQLiteFactory.__module__}:{DurableSQLiteFactory.__qualname__}"


def sqlite_env(path: Path) -> dict[str, str]:
    """Settings for the embedded event store in the file ``path``."""
    return {
        "PERSISTENCE_MODULE": SQLITE_FACTORY_TOPIC,
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


class SequentialPostgresRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, sending its statements one after the other.

    The library sends them in psycopg's pipeline mode, which hangs for good, holding the
    events table's exclusive lock, when one save carries some megabytes (psycopg stops
    sending before all of it is sent, and then waits for an answer): an import of thousands
    of commitments saves that much at once. The same statements, in the same transaction.
    """

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any
                      ) -> Sequence[int] | None:
        if self.datastore.enable_db_functions:  # one statement: no pipeline to hang
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        with (self.datastore.get_connection() as connection, connection.transaction(),
              connection.cursor() as cursor):
            self._insert_events(cursor, stored_events, **kwargs)
            if not stored_events:
                return None
            self._insert_stored_events(cursor, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(cursor, stored_events, **kwargs)


class SequentialPostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL persistence, with ``SequentialPostgresRecorder``."""

    application_recorder_class = SequentialPostgresRecorder


POSTGRES_FACTORY_TOPIC = (f"{SequentialPostgresFactory.__module__}:"
                          f"{SequentialPostgresFactory.__qualname__}")


def postgres_env(url: str, *, pool_size: int = 5) -> dict[str, str]:
    """Settings for eventsourcing's PostgreSQL module from a ``postgresql://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        raise ValueError(f"not a postgresql://host/database URL: {parts.scheme}://...")
    return {
        "PERSISTENCE_MODULE": POSTGRES_FACTORY_TOPIC,
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")),
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or ""),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_LOCK_TIMEOUT": "30",
    }


@dataclass(frozen=True)
class EventTable:
    """Where an application's events are stored, for SQL that reads them where they lie."""

    table: str
    file: str | None = None
    """SQLite: the database file."""
    schema: str | None = None
    """PostgreSQL: the table's schema."""
    plain_json: bool = True
    """Whether each event's state is JSON as written, with no cipher or compressor."""


def event_table(app: Application[Any]) -> EventTable | None:
    """Where ``app`` stores its events: a SQLite file or a PostgreSQL table (None for events
    kept in memory or another store)."""
    mapper = app.mapper
    plain_json = (mapper.cipher is None and mapper.compressor is None
                  and isinstance(mapper.transcoder, JSONTranscoder))
    recorder = app.recorder
    if isinstance(recorder, SQLiteApplicationRecorder):
        pool = recorder.datastore.pool
        if pool.is_sqlite_memory_mode:
            return None
        return EventTable(table=recorder.events_table_name, file=str(pool.db_name),
                          plain_json=plain_json)
    if isinstance(recorder, PostgresAggregateRecorder):
        return EventTable(table=recorder.events_table_name, schema=recorder.datastore.schema,
                          plain_json=plain_json)
    return None
