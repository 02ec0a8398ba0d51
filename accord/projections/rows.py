"""Rows touched by a batch of events: loaded once, changed in memory, written back once;
and the bulk statements that write them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Dialect, Numeric, Table, and_, bindparam, select
from sqlalchemy.dialects import sqlite


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


@dataclass(frozen=True)
class _Prepared:
    """A statement compiled once for a dialect, and how to turn a row into its parameters."""

    sql: str
    names: tuple[str, ...]  # the bind parameters, in the order a positional statement wants
    columns: tuple[str, ...]  # the row key each parameter takes its value from
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]
    positional: bool

    def parameter_rows(self, rows: Sequence[dict[str, Any]], *, tuples: bool = False
                       ) -> list[Any]:
        """Each row's parameters: a tuple for a positional statement (or when ``tuples``,
        in the order of ``columns``), else a dict."""
        get = itemgetter(*self.columns)
        single = len(self.columns) == 1
        result: list[Any] = []
        for row in rows:
            values = get(row)
            if single:
                values = (values,)
            if self.processors:
                values = list(values)
                for index, process in self.processors:
                    values[index] = process(values[index])
            result.append(tuple(values) if self.positional or tuples
                          else dict(zip(self.names, values, strict=True)))
        return result


_prepared: dict[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], _Prepared] = {}


Write = Callable[[Connection], None]
"""A statement whose parameters are ready, to be run in a transaction."""


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with a value for every column) in one executemany.

    The statement is compiled once per dialect and values are converted by the columns' own
    bind processors, as SQLAlchemy would, without its per-row overhead: the projections write
    hundreds of thousands of rows when rebuilt.
    """
    _run(connection, inserting(connection.dialect, table, rows))


def update_rows(connection: Connection, table: Table, keys: Sequence[str],
                columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Set ``columns`` of the rows whose ``keys`` match each of ``rows``, in one executemany
    (on PostgreSQL, for many rows: copied into a temporary table, then one UPDATE)."""
    _run(connection, updating(connection.dialect, table, keys, columns, rows))


def inserting(dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]], *,
              busy: Callable[[], bool] | None = None) -> Write | None:
    """``insert_rows``, with the rows converted to parameters now, to be written later (by
    calling the result with a connection); None when there are none.

    ``busy``, for a write run in a thread of its own, says when it runs whether another
    thread is running Python meanwhile. SQLite's executemany takes the interpreter lock back
    after each row it writes, waiting for it each time while another thread runs Python
    (115,000 rows took 140 s that way, against 0.4 s alone): then the rows go to SQLite as
    one JSON text, written by one statement, which takes twice as long as executemany alone.
    Not for tables of real numbers, which JSON does not carry exactly (not a number).
    """
    if not rows:
        return None
    columns = tuple(column.name for column in table.columns)
    prepared = _prepare(dialect, "insert", table, (), columns)
    if dialect.name == "postgresql":  # executemany sends one statement per row
        values = prepared.parameter_rows(rows, tuples=True)
        return partial(_copy, table=table.name, columns=prepared.columns, values=values)
    parameters = prepared.parameter_rows(rows)
    if busy is None or not prepared.positional or any(
            isinstance(column.type, Numeric) for column in table.columns):
        return partial(_execute, sql=prepared.sql, parameters=parameters)

    def write(connection: Connection) -> None:
        as_json = _json_rows(parameters) if busy() else None
        if as_json is None:
            _execute(connection, prepared.sql, parameters)
        else:
            _execute(connection, _from_json(connection.dialect, table, prepared.columns),
                     (as_json,))
    return write


def _json_rows(parameters: list[tuple[Any, ...]]) -> str | None:
    """Rows of parameters as a JSON array of arrays, if JSON gives SQLite back each value as
    it would be bound (text without NUL, whole numbers, NULL); else None."""
    try:
        encoded = orjson.dumps(parameters)
    except TypeError:  # bytes, or text that is not Unicode
        return None
    if b"\\u0000" in encoded:
        return None
    return encoded.decode()


def _from_json(dialect: Dialect, table: Table, columns: Sequence[str]) -> str:
    """SQLite: an insert of the rows of a JSON array of arrays (``_json_rows``), each
    array's values in the order of ``columns``."""
    quote = dialect.identifier_preparer.quote
    values = ", ".join(f"json_extract(value, '$[{index}]')" for index in range(len(columns)))
    # Every name is one of our own tables' and columns', quoted.
    return (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"SELECT {values} FROM json_each(?)")


def updating(dialect: Dialect, table: Table, keys: Sequence[str], columns: Sequence[str],
             rows: Sequence[dict[str, Any]]) -> Write | None:
    """``update_rows``, with the rows converted to parameters now, to be written later."""
    if not rows:
        return None
    prepared = _prepare(dialect, "update", table, tuple(keys), tuple(columns))
    if dialect.name != "postgresql" or len(rows) < COPY_FROM:
        return partial(_execute, sql=prepared.sql, parameters=prepared.parameter_rows(rows))
    values = prepared.parameter_rows(rows, tuples=True)

    def write(connection: Connection) -> None:
        quote = connection.dialect.identifier_preparer.quote
        changes = f"changes_{table.name}"
        # Every name below is one of our own tables' and columns', quoted.
        connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {quote(changes)} ON COMMIT DROP AS SELECT "  # noqa: S608
            f"{', '.join(map(quote, prepared.columns))} FROM {quote(table.name)} "
            "WITH NO DATA")
        _copy(connection, changes, prepared.columns, values)
        connection.exec_driver_sql(
            f"UPDATE {quote(table.name)} AS t SET "  # noqa: S608
            f"{', '.join(f'{quote(c)} = c.{quote(c)}' for c in columns)} "
            f"FROM {quote(changes)} AS c WHERE "
            f"{' AND '.join(f't.{quote(k)} = c.{quote(k)}' for k in keys)}")
        connection.exec_driver_sql(f"DROP TABLE {quote(changes)}")
    return write


def _run(connection: Connection, write: Write | None) -> None:
    if write is not None:
        write(connection)


COPY_FROM = 50
"""From how many rows an update on PostgreSQL goes through COPY rather than executemany."""


def _execute(connection: Connection, sql: str, parameters: Sequence[Any]) -> None:
    connection.exec_driver_sql(sql, parameters)


def _copy(connection: Connection, table: str, columns: Sequence[str],
          values: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY of ``values`` into ``table``, in the connection's transaction."""
    quote = connection.dialect.identifier_preparer.quote
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(
            f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(row)


def _prepare(dialect: Dialect, kind: str, table: Table, keys: tuple[str, ...],
             columns: tuple[str, ...]) -> _Prepared:
    cache_key = (dialect.name, kind, table.name, keys, columns)
    if cache_key in _prepared:
        return _prepared[cache_key]
    statement: Any
    if kind == "insert":
        statement = table.insert().values({name: bindparam(name) for name in columns})
        source = {name: name for name in columns}
    else:
        statement = (table.update()
                     .where(and_(*(table.c[key] == bindparam(f"k_{key}") for key in keys)))
                     .values({name: bindparam(f"v_{name}") for name in columns}))
        source = {**{f"k_{key}": key for key in keys}, **{f"v_{n}": n for n in columns}}
    compiled = statement.compile(dialect=dialect)
    names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(source)
    processors = []
    for index, name in enumerate(names):
        process = _processor(table.c[source[name]].type, dialect)
        if process is not None:
            processors.append((index, process))
    prepared = _Prepared(str(compiled), names, tuple(source[name] for name in names),
                         tuple(processors), compiled.positional)
    _prepared[cache_key] = prepared
    return prepared


def _processor(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """The column type's bind processor, with a quicker path for the commonest values where
    one gives the very same result (``tests/integration/test_bulk_rows.py`` checks that it does)."""
    impl = column_type.dialect_impl(dialect)
    process: Callable[[Any], Any] | None = impl.bind_processor(dialect)
    if process is None or dialect.name != "sqlite":
        return process
    slow = process
    if isinstance(impl, sqlite.DATETIME) and impl._storage_format == DATETIME_FORMAT:
        def process(value: Any) -> Any:
            if type(value) is datetime:
                return value.isoformat(" ", "microseconds")[:26]
            return slow(value)
    elif isinstance(impl, sqlite.DATE) and impl._storage_format == DATE_FORMAT:
        def process(value: Any) -> Any:
            return value.isoformat() if type(value) is date else slow(value)
    elif isinstance(impl, JSON):
        def process(value: Any) -> Any:
            return "[]" if value == [] else slow(value)
    return process


DATETIME_FORMAT = sqlite.DATETIME._storage_format
DATE_FORMAT = sqlite.DATE._storage_format
