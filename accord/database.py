"""The relational database that holds the read models and the store of personal data.

On SQLite, writers begin with ``BEGIN IMMEDIATE`` so that two processes catching a projection
up cannot both read the same position and then both write; readers begin a deferred
transaction and see one consistent snapshot. On PostgreSQL the writers lock rows instead, and
readers run each statement on its own, outside a transaction (see ``postgres_database``).
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SETUP_LOCK = 0x6163636f7264  # "accord": the PostgreSQL advisory lock taken by ``exclusive``


@dataclass(frozen=True)
class Database:
    """A reader and a writer engine on the same database."""

    reader: Engine
    writer: Engine
    lock_file: Path | None = None
    """SQLite only: the file that ``exclusive`` locks."""

    @property
    def is_sqlite(self) -> bool:
        """Whether this is the embedded database."""
        return self.writer.dialect.name == "sqlite"

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """One process at a time inside the block, e.g. to create tables when starting up.

        Two PostgreSQL sessions creating the same table at once make one of them fail (even
        with ``IF NOT EXISTS``), so they queue on an advisory lock held until the block ends.
        On SQLite, where a new database file is switched to WAL by whichever connection comes
        first, processes queue on a lock file beside the database.
        """
        if self.lock_file is not None:
            with self.lock_file.open("a") as file:
                fcntl.flock(file, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(file, fcntl.LOCK_UN)
            return
        with self.writer.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SETUP_LOCK})
            yield

    def create(self, metadata: MetaData) -> None:
        """Create the tables of ``metadata`` that do not exist yet."""
        with self.writer.begin() as connection:
            metadata.create_all(connection)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.reader.dispose()
        self.writer.dispose()


def sqlite_database(path: Path) -> Database:
    """The embedded database in the file ``path``."""
    url = f"sqlite+pysqlite:///{path}"
    writer = create_engine(url)
    reader = create_engine(url)
    _configure_sqlite(writer, begin="BEGIN IMMEDIATE")
    _configure_sqlite(reader, begin="BEGIN")
    return Database(reader=reader, writer=writer, lock_file=path.with_name(".setup.lock"))


def postgres_database(url: str, *, pool_size: int = 5) -> Database:
    """A PostgreSQL database from a ``postgresql://`` URL (driven by psycopg 3)."""
    sqlalchemy_url = make_url(url).set(drivername="postgresql+psycopg")
    # No parallel query plans: Accord's queries read at most some thousands of index entries,
    # and starting workers for them cost more than it saved (a search with a filter took
    # 100 ms with them, 27 ms without), while taking cores from the requests served beside.
    engine = create_engine(sqlalchemy_url, pool_size=pool_size, pool_recycle=3600,
                           connect_args={"options": "-c max_parallel_workers_per_gather=0"})
    ping_when_idle(engine)
    # Readers share the pool but open no transaction: at PostgreSQL's READ COMMITTED level,
    # each statement of a transaction sees its own snapshot anyway, so a read's BEGIN and
    # ROLLBACK (two round trips per connection taken) bought nothing, and cost the server more
    # than the statements of a page between them.
    reader = engine.execution_options(isolation_level="AUTOCOMMIT")
    return Database(reader=reader, writer=engine)


IDLE_BEFORE_PING = 1.0
"""Seconds a pooled PostgreSQL connection may lie unused and still be taken without a ping."""


def ping_when_idle(engine: Engine, idle: float = IDLE_BEFORE_PING) -> None:
    """Check a pooled connection with a round trip to the server when it is taken after
    lying unused for more than ``idle`` seconds, or for the first time: a connection that the
    server dropped meanwhile (a restart, an idle timeout) is then replaced, instead of failing
    a visitor's request. One given back less than ``idle`` seconds ago is taken as it is:
    a worker serving pages takes its connections several times a request, and a ping each
    time cost a round trip each (as SQLAlchemy's ``pool_pre_ping`` does). Should the server
    drop a connection within that second, the statement sent on it fails, and the pool then
    replaces every connection it holds."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def given_back(_dbapi_connection: Any, record: Any) -> None:
        record.info[IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(IDLE_SINCE)
        if since is not None and time.monotonic() - since <= idle:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise DisconnectionError(f"a pooled connection was dropped: {error}") from error
            raise


IDLE_SINCE = "accord_idle_since"
"""Where a pooled connection's record keeps when it was last given back (the record's
``info`` is emptied when the connection is replaced)."""


def _configure_sqlite(engine: Engine, *, begin: str) -> None:
    @event.listens_for(engine, "connect")
    def connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module, so that "begin" below decides.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")  # first: the statements below may wait
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def do_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)
