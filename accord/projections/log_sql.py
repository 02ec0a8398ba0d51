"""The event log read in SQL, by the read models' own database, for rebuilds.

A rebuild replays the whole log. Most of it is claims, whose rows copy the event's fields
one for one: decoding each event in Python, building its row and sending it back to the
database cost most of a rebuild's time. When the read models' database can reach the stored
events (the SQLite file of the events, attached to the read models' connection; or the events
table of the same PostgreSQL database), the database builds those rows itself from the
events' JSON, while Python replays the events for what the agreement rules need.

Only events of the class version the projection knows are copied this way: an older shape
needs its upcaster, which only the Python path runs.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import quote
from uuid import UUID

from psycopg import pq
from sqlalchemy import Connection, text

FieldKind = Literal["text", "integer", "json", "date", "moment"]
Field = tuple[str, FieldKind]
"""An event's field, by name, and the kind of value the read model stores it as."""


class StoredEvents(Protocol):
    """Where the stored events lie, as the read models' database can reach them."""

    @property
    def file(self) -> str | None:
        """SQLite: the events' database file, which the read models' connection attaches."""

    @property
    def schema(self) -> str | None:
        """PostgreSQL: the schema of the events table, in the read models' own database."""

    @property
    def table(self) -> str:
        """The events table."""

    @property
    def plain_json(self) -> bool:
        """Whether each event's state is JSON as written, with no cipher or compressor."""


ATTACHED = "event_log"
"""The name the events' SQLite file is attached under."""


@dataclass(frozen=True)
class EventsInSql:
    """SQL that reads stored events of one topic, for one dialect."""

    dialect: str
    events: StoredEvents

    def attach(self) -> str | None:
        """SQLite: the statement that attaches the events' file (run outside a transaction).

        Read-only: a write transaction of the read models then takes no lock on the log, so
        that commands keep recording events while a rebuild reads it.
        """
        if self.dialect != "sqlite" or self.events.file is None:
            return None
        uri = f"file:{quote(self.events.file)}?mode=ro".replace("'", "''")
        return f"ATTACH DATABASE '{uri}' AS {ATTACHED}"

    def attached(self, driver: Any) -> bool:
        """SQLite: whether the events' file is what the statement of ``attach`` attached to
        the driver's connection, and SQLite can read their JSON; if not, it is detached.
        SQLite built without URI filenames takes the URI for a file name, and creates that
        empty file instead, which is then removed too."""
        row = driver.execute("SELECT file FROM pragma_database_list WHERE name = ?",
                             (ATTACHED,)).fetchone()
        if row is None:
            return False
        if self.events.file is not None and row[0] and (
                Path(row[0]).resolve() == Path(self.events.file).resolve()):
            if has_json(driver):
                return True
            driver.execute(f"DETACH DATABASE {ATTACHED}")
            return False
        driver.execute(f"DETACH DATABASE {ATTACHED}")
        stray = Path(row[0]) if row[0] else None
        if stray is not None and stray.exists() and stray.stat().st_size == 0:
            stray.unlink()
        return False

    def _table(self) -> str:
        """PostgreSQL: the events table, named with its schema."""
        return f"{_quote(self.events.schema or 'public')}.{_quote(self.events.table)}"

    def tend(self, connection: Connection) -> None:
        """PostgreSQL only: vacuum the events table if it never was, or if most of its rows came
        since; analyse it if it never was, or if most of its rows changed since. Run on
        ``connection`` in autocommit mode (VACUUM runs outside a transaction), before a
        rebuild reads the table.

        - Statistics: without them, the planner took the claims for 8,000 rows rather than
          600,000 and sorted them all before sending the first (5.7 s of a rebuild).
        - Vacuum: the first reads of a row after it was written mark it as committed, which
          writes its page again. Two readers at once did that for a log written in one go,
          and the rebuild took 13.7 s rather than 11.9 s; the vacuum, which marks every row
          in one pass, took 0.6 s.

        Autovacuum does both as a log grows, so this is only needed where it is off or has
        not yet come: after an import, or on a server configured without it. A table
        another role owns is only warned about, and read as it is; one being vacuumed
        already is left to that (``SKIP_LOCKED``). Counting inserts since the last vacuum
        needs PostgreSQL 13 or later."""
        row = connection.execute(text(
            "SELECT coalesce(last_vacuum, last_autovacuum) IS NULL "
            "OR n_ins_since_vacuum > n_live_tup / 2, "
            "coalesce(last_analyze, last_autoanalyze) IS NULL "
            "OR n_mod_since_analyze > n_live_tup / 2 FROM pg_stat_user_tables "
            "WHERE schemaname = :schema AND relname = :table"),
            {"schema": self.events.schema or "public", "table": self.events.table}).first()
        if row is None:
            return
        vacuum, analyze = row
        if vacuum:
            options = "SKIP_LOCKED, ANALYZE" if analyze else "SKIP_LOCKED"
            connection.execute(text(f"VACUUM ({options}) {self._table()}"))
        elif analyze:
            connection.execute(text(f"ANALYZE {self._table()}"))

    def source(self, moments: Collection[str] = ()) -> str:
        """The events of topic ``:topic`` up to position ``:upto``, as ``e`` with columns
        ``position``, ``originator`` (the aggregate's id as text) and ``j`` (the state); on
        SQLite, the moment fields named in ``moments`` too, for ``field`` to read."""
        if self.dialect == "sqlite":
            # The module stores ids as 32 hex digits; the read models write them with dashes.
            h = "originator_id"
            originator = (f"substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-' || "
                          f"substr({h}, 13, 4) || '-' || substr({h}, 17, 4) || '-' || "
                          f"substr({h}, 21)")
            # A moment is cut into pieces: read once here, the pieces then read the column.
            # OFFSET keeps SQLite from merging this query into the one around it, which
            # would read the field again for each piece.
            read = "".join(f", json_extract(state, '$.{name}._data_') AS {_moment(name)}"
                           for name in moments)
            # Names are the store's own, checked by _quote; values are parameters.
            return (f"(SELECT rowid AS position, {originator} AS originator, "  # noqa: S608
                    f"state AS j{read} "
                    f"FROM {ATTACHED}.{_quote(self.events.table)} "
                    "WHERE topic = :topic AND rowid <= :upto"
                    f"{' LIMIT -1 OFFSET 0' if moments else ''}) AS e")
        return ("(SELECT notification_id AS position, "  # noqa: S608
                "originator_id::text AS originator, convert_from(state, 'UTF8')::jsonb AS j "
                f"FROM {self._table()} WHERE topic = :topic "
                # OFFSET 0 keeps the planner from pulling the subquery up into the query
                # around it, which would decode the JSON again for every field read.
                "AND notification_id <= :upto OFFSET 0) AS e")

    def field(self, name: str, kind: FieldKind) -> str:
        """The event field ``name``, converted to how the read models store a ``kind`` (on
        SQLite, a moment is read from ``e`` as ``source`` was given it)."""
        if self.dialect == "sqlite":
            if kind == "moment":  # as SQLAlchemy stores a datetime: no T, six decimals
                iso = f"e.{_moment(name)}"
                return (f"substr({iso}, 1, 10) || ' ' || substr({iso}, 12, 8) || "
                        f"CASE WHEN substr({iso}, 20, 1) = '.' THEN substr({iso}, 20, 7) "
                        "ELSE '.000000' END")
            return f"json_extract(e.j, '$.{name}')"
        cast = {"text": "", "integer": "::integer", "date": "::date",
                "json": "", "moment": "::timestamptz"}[kind]
        if kind == "json":
            return f"(e.j -> '{name}')::json"
        if kind == "moment":
            return f"(e.j -> '{name}' ->> '_data_'){cast}"
        return f"(e.j ->> '{name}'){cast}"

    def version_is(self) -> str:
        """A condition: the event has class version ``:version``."""
        if self.dialect == "sqlite":
            return "coalesce(json_extract(e.j, '$.class_version'), 1) = :version"
        return "coalesce((e.j ->> 'class_version')::integer, 1) = :version"

    def insert(self, connection: Connection, table: str, fields: Mapping[str, Field],
               columns: Mapping[str, str], *, topic: str, upto: int, version: int,
               by_aggregate: bool = False, joined: tuple[str, str] | None = None) -> None:
        """Insert into ``table`` a row for each event of ``topic`` up to ``upto`` of class
        ``version``: ``fields`` maps columns to the event field each copies and its kind
        (``field``), ``columns`` others to SQL over ``e`` (``e.position``, ``e.originator``
        or a constant) or over ``j``, the row of table ``joined[0]`` that meets condition
        ``joined[1]`` (an event that none meets has no row). ``by_aggregate``: on
        PostgreSQL, write each aggregate's rows next to each other, in log order (see
        ``AGGREGATE_ORDER``)."""
        values = {**columns, **{column: self.field(name, kind)
                                for column, (name, kind) in fields.items()}}
        moments = [name for name, kind in fields.values() if kind == "moment"]
        names = ", ".join(_quote(name) for name in values)
        # Rows are keyed by their position, so their order only matters for speed: SQLite
        # reads the events in log order and appends them so untold, where told it would
        # sort them once more when moments are read (see source).
        order = "" if self.dialect == "sqlite" else " ORDER BY e.position"
        if by_aggregate and self.dialect != "sqlite":
            order = AGGREGATE_ORDER
        # Every name is one of our own tables' and columns'; the values are parameters.
        # A CROSS JOIN: SQLite keeps reading the events first, in log order.
        join, condition = ((f" CROSS JOIN {_quote(joined[0])} AS j", f"{joined[1]} AND ")
                           if joined is not None else ("", ""))
        statement = (f"INSERT INTO {_quote(table)} ({names}) "  # noqa: S608
                     f"SELECT {', '.join(values.values())} FROM {self.source(moments)}"
                     f"{join} WHERE {condition}{self.version_is()}{order}")
        connection.execute(text(statement), {"topic": topic, "upto": upto, "version": version})

    def states(self, connection: Connection, *, topic: str, upto: int, chunk: int
               ) -> Generator[tuple[int, str, Any], None, None]:
        """The events of ``topic`` up to ``upto``, in log order, as (position, originator,
        state as JSON: bytes from SQLite, text from PostgreSQL). SQLite reads them ``chunk``
        at a time; PostgreSQL streams them (``STREAMED``)."""
        if self.dialect != "sqlite":
            # Not from ``source``: the planner would read its subquery whole and sort it (on
            # disk, 490 MB for 600,000 claims) before sending the first, where the index of
            # positions sends them in order at once.
            # The state as text: bytea would come hex-encoded, twice as long, to be decoded.
            streamed = ("SELECT notification_id, originator_id::text, "  # noqa: S608
                        f"convert_from(state, 'UTF8') FROM {self._table()} "
                        "WHERE topic = %(topic)s AND notification_id <= %(upto)s "
                        "ORDER BY notification_id")
            driver = connection.connection.driver_connection
            assert driver is not None
            parameters = {"topic": topic, "upto": upto}
            if pq.version() >= CHUNKS_FROM_LIBPQ:
                with driver.cursor() as cursor:
                    yield from cursor.stream(streamed, parameters, size=STREAMED)
                return
            # An older libpq sends rows one at a time or all at once: a cursor on the server
            # then sends ``chunk`` at a time.
            with driver.cursor(name="accord_states") as cursor:
                cursor.execute(streamed, parameters)
                while rows := cursor.fetchmany(chunk):
                    yield from rows
            return
        # Ids as stored, given dashes below once per aggregate: in SQL, for every event,
        # that took a second of a rebuild's 600,000 claims.
        statement = ("SELECT rowid, originator_id, state "  # noqa: S608
                     f"FROM {ATTACHED}.{_quote(self.events.table)} "
                     "WHERE topic = :topic AND rowid <= :upto ORDER BY rowid")
        ids: dict[str, str] = {}
        with connection.execution_options(yield_per=chunk).execute(
                text(statement), {"topic": topic, "upto": upto}) as result:
            for rows in result.partitions(chunk):
                for position, stored, state in rows:
                    originator = ids.get(stored)
                    if originator is None:
                        originator = ids[stored] = str(UUID(stored))
                    yield position, originator, state


STREAMED = 1_000
"""PostgreSQL: the rows of ``EventsInSql.states`` sent in chunks of this many, one after
another while the rebuild handles them, with libpq 17 or later (``CHUNKS_FROM_LIBPQ``; the
binary package of psycopg installed here bundles 18). A cursor of its own on the server, asked
for 20,000 at a time, sends the next only once asked: the server and Python waited for each
other in turn, and reading and decoding a rebuild's 600,000 claims took 2.4 s rather than
1.0 s (in chunks of 10,000: 1.35 s)."""


CHUNKS_FROM_LIBPQ = 170000
"""The first libpq version (as ``psycopg.pq.version`` gives it) that sends rows in chunks."""


AGGREGATE_ORDER = ' ORDER BY e.originator COLLATE "C", e.position'
"""PostgreSQL keeps a table's rows where they were written, not in their key's order. Written
in log order, a commitment's claims lie on nearly as many of the table's pages as there are
claims (17 claims on 10 pages, in one plan read), and each page is read from disk once it
has left the caches; grouped by commitment, 22 claims lie on 2.6 pages on average. ("C": any
grouping will do, and bytes compare quicker than words. The sort costs the rebuild no time
that was measured: its thread waits for Python's replay anyway.)"""


def _moment(name: str) -> str:
    return _quote(f"moment_{name}")


def has_json(driver: Any) -> bool:
    """SQLite: whether this build reads JSON (built in since 3.38, an option before)."""
    try:
        driver.execute("SELECT json_extract('{\"a\": 1}', '$.a')").fetchone()
    except Exception:  # the driver's OperationalError: no such function
        return False
    return True


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not a table or column name: {name!r}")
    return f'"{name}"'
