"""Where events are stored: eventsourcing's SQLite module by default, PostgreSQL on request."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteFactory


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


def postgres_env(url: str, *, pool_size: int = 5) -> dict[str, str]:
    """Settings for eventsourcing's PostgreSQL module from a ``postgresql://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql") or not parts.path.strip("/"):
        raise ValueError(f"not a postgresql://host/database URL: {parts.scheme}://...")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")),
        "POSTGRES_HOST": parts.hostname or "localhost",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or ""),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_LOCK_TIMEOUT": "30",
    }
