"""The projections' bulk writes: the same rows as SQLAlchemy's own statements write, with the
parameters fixed when the write is prepared."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    select,
)
from sqlalchemy.dialects import sqlite

from accord.database import Database
from accord.projections import rows
from accord.services import Services


def _table(metadata: MetaData, name: str) -> Table:
    return Table(
        name, metadata,
        Column("key", String(36), primary_key=True),
        Column("number", Integer),
        Column("at", DateTime(timezone=True)),
        Column("day", Date),
        Column("items", JSON),
        Column("flag", Boolean, nullable=False),
        Column("text", Text),
    )


@pytest.fixture
def twins(services: Services) -> Iterator[tuple[Database, Table, Table]]:
    """Two tables of the same columns: one written by ``rows``, one by SQLAlchemy."""
    metadata = MetaData()
    ours, theirs = _table(metadata, "bulk_ours"), _table(metadata, "bulk_theirs")
    metadata.create_all(services.database.writer)
    yield services.database, ours, theirs
    metadata.drop_all(services.database.writer)


def _rows(count: int) -> list[dict[str, Any]]:
    moment = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    return [{
        "key": f"k{index:04d}",
        "number": index if index % 3 else None,
        "at": moment + timedelta(seconds=index) if index % 4 else
        moment.replace(microsecond=0),
        "day": date(2025, 1, 1) + timedelta(days=index) if index % 5 else None,
        "items": [] if index % 2 else [{"url": f"https://example.org/{index}", "n": index}],
        "flag": bool(index % 2),
        "text": f"narrative {index}, with \"quotes\", a tab\t and a new line\n",
    } for index in range(count)]


def _stored(database: Database, table: Table) -> list[tuple[Any, ...]]:
    with database.reader.connect() as connection:
        return [tuple(row) for row in connection.execute(select(table).order_by(table.c.key))]


@pytest.mark.parametrize("count", [3, 120])  # executemany, and COPY on PostgreSQL
def test_inserts_and_updates_store_what_sqlalchemy_stores(
        twins: tuple[Database, Table, Table], count: int) -> None:
    database, ours, theirs = twins
    written = _rows(count)
    with database.writer.begin() as connection:
        rows.insert_rows(connection, ours, written)
        connection.execute(theirs.insert(), written)
    assert _stored(database, ours) == _stored(database, theirs)
    assert len(_stored(database, ours)) == count

    changed = [{**row, "number": -1, "text": "revised", "items": [1, 2],
                "at": datetime(2027, 1, 1, tzinfo=UTC)} for row in written[::2]]
    with database.writer.begin() as connection:
        rows.update_rows(connection, ours, ["key"], ["number", "text", "items", "at"],
                         changed)
        for row in changed:
            connection.execute(theirs.update().where(theirs.c.key == row["key"]).values(
                number=row["number"], text=row["text"], items=row["items"], at=row["at"]))
    assert _stored(database, ours) == _stored(database, theirs)
    assert sum(1 for row in _stored(database, ours) if row[1] == -1) == len(changed)


def _written_both_ways(database: Database, ours: Table, theirs: Table,
                       written: list[dict[str, Any]], *, busy: bool) -> list[bool]:
    """``written`` into ``ours`` by ``inserting`` (told whether Python is ``busy``) and into
    ``theirs`` by SQLAlchemy; whether each statement ``inserting`` ran was an executemany."""
    write = rows.inserting(database.writer.dialect, ours, written, busy=lambda: busy)
    assert write is not None
    ran: list[bool] = []
    with database.writer.begin() as connection:
        @event.listens_for(connection, "before_cursor_execute")
        def record(*arguments: Any) -> None:
            ran.append(arguments[-1])

        write(connection)
        event.remove(connection, "before_cursor_execute", record)
        connection.execute(theirs.insert(), written)
    return ran


@pytest.mark.parametrize("count", [3, 120])
def test_rows_written_while_python_runs_are_one_statement_storing_what_sqlalchemy_stores(
        twins: tuple[Database, Table, Table], count: int) -> None:
    """Written while another thread runs Python, SQLite's rows are read by one statement
    from JSON; they are those SQLAlchemy's insert stores."""
    database, ours, theirs = twins
    written = _rows(count)
    written[0]["text"] = 'accents é, 中文, 🙂, a backslash \\, "quoted" [1, 2] {"a": null}'
    written[-1]["text"] = "null"
    statements = _written_both_ways(database, ours, theirs, written, busy=True)
    if database.is_sqlite:
        assert statements == [False]
    assert _stored(database, ours) == _stored(database, theirs)
    assert len(_stored(database, ours)) == count


@pytest.mark.parametrize(("busy", "text"), [(False, "plain"), (True, "before\x00after")])
def test_rows_json_cannot_carry_or_written_alone_go_one_at_a_time(
        twins: tuple[Database, Table, Table], busy: bool, text: str) -> None:
    database, ours, theirs = twins
    if not database.is_sqlite:
        pytest.skip("PostgreSQL stores no NUL in text; it copies rows rather than reading JSON")
    written = _rows(3)
    written[1]["text"] = text
    assert _written_both_ways(database, ours, theirs, written, busy=busy) == [True]
    assert _stored(database, ours) == _stored(database, theirs)
    assert _stored(database, ours)[1][6] == text


@pytest.mark.parametrize("count", [3, 120])
def test_a_prepared_write_keeps_the_values_it_was_prepared_with(
        twins: tuple[Database, Table, Table], count: int) -> None:
    """A rebuild prepares its writes while another thread holds the connection, then runs
    them: what the rows held when prepared is what is written."""
    database, ours, _ = twins
    written = _rows(count)
    dialect = database.writer.dialect
    insert = rows.inserting(dialect, ours, written)
    update = rows.updating(dialect, ours, ["key"], ["text"],
                           [{**row, "text": "prepared"} for row in written])
    assert insert is not None
    assert update is not None
    for row in written:
        row["text"] = "changed after"
        row["number"] = 999
    with database.writer.begin() as connection:
        insert(connection)
        update(connection)
    stored = _stored(database, ours)
    assert {row[6] for row in stored} == {"prepared"}
    assert 999 not in {row[1] for row in stored}
    assert rows.inserting(dialect, ours, []) is None
    assert rows.updating(dialect, ours, ["key"], ["text"], []) is None


@pytest.mark.parametrize("value", [
    datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC),
    datetime(2026, 3, 1, 12, 30, 15, tzinfo=UTC),
    datetime(2026, 3, 1, 12, 30, 15, 5),
    None,
])
def test_the_quick_datetime_conversion_is_sqlalchemys(value: datetime | None) -> None:
    dialect = sqlite.dialect()
    column_type = DateTime(timezone=True)
    quick = rows._processor(column_type, dialect)
    slow = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert quick is not None
    assert slow is not None
    assert quick(value) == slow(value)


@pytest.mark.parametrize(("column_type", "value"), [
    (Date(), date(2025, 12, 31)), (Date(), None),
    (JSON(), []), (JSON(), [{"url": "https://example.org/a", "n": 1}]), (JSON(), None),
    (JSON(), {"a": [1, 2]}),
])
def test_the_quick_date_and_json_conversions_are_sqlalchemys(column_type: Any,
                                                              value: Any) -> None:
    dialect = sqlite.dialect()
    quick = rows._processor(column_type, dialect)
    slow = column_type.dialect_impl(dialect).bind_processor(dialect)
    assert quick is not None
    assert slow is not None
    assert quick(value) == slow(value)
