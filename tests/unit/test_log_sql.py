"""Attaching the events' SQLite file to the read models' connection, read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from accord.projections.log_sql import ATTACHED, EventsInSql, has_json


@dataclass(frozen=True)
class Events:
    file: str | None
    schema: str | None = None
    table: str = "stored_events"
    plain_json: bool = True


def events_file(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE stored_events (topic TEXT, state BLOB)")
    return path


def attached_names(connection: sqlite3.Connection) -> list[str]:
    return [row[1] for row in connection.execute("PRAGMA database_list")]


def test_the_events_are_attached_read_only(tmp_path: Path) -> None:
    sql = EventsInSql("sqlite", Events(str(events_file(tmp_path / "events.sqlite3"))))
    connection = sqlite3.connect(tmp_path / "read_models.sqlite3", isolation_level=None)
    attach = sql.attach()
    assert attach is not None
    connection.execute(attach)
    assert sql.attached(connection)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute(f"INSERT INTO {ATTACHED}.stored_events VALUES ('t', x'00')")  # noqa: S608


def test_another_file_attached_under_that_name_is_detached_and_removed_if_empty(
        tmp_path: Path) -> None:
    # As SQLite built without URI filenames does: the URI taken for a name, an empty file.
    sql = EventsInSql("sqlite", Events(str(events_file(tmp_path / "events.sqlite3"))))
    connection = sqlite3.connect(tmp_path / "read_models.sqlite3", isolation_level=None)
    stray = tmp_path / "file:events.sqlite3?mode=ro"
    connection.execute(f"ATTACH DATABASE '{stray}' AS {ATTACHED}")
    assert stray.exists()
    assert not sql.attached(connection)
    assert ATTACHED not in attached_names(connection)
    assert not stray.exists()


def test_sqlite_without_json_functions_is_not_used(tmp_path: Path) -> None:
    class WithoutJson:
        """A connection to a SQLite built without JSON functions."""

        def __init__(self, connection: sqlite3.Connection) -> None:
            self.connection = connection

        def execute(self, statement: str, *parameters: object) -> sqlite3.Cursor:
            if "json_extract" in statement:
                raise sqlite3.OperationalError("no such function: json_extract")
            return self.connection.execute(statement, *parameters)

    sql = EventsInSql("sqlite", Events(str(events_file(tmp_path / "events.sqlite3"))))
    connection = sqlite3.connect(tmp_path / "read_models.sqlite3", isolation_level=None)
    attach = sql.attach()
    assert attach is not None
    connection.execute(attach)
    assert not has_json(WithoutJson(connection))
    assert not sql.attached(WithoutJson(connection))
    assert ATTACHED not in attached_names(connection)
    assert Path(tmp_path / "events.sqlite3").exists()


def test_postgresql_attaches_nothing() -> None:
    assert EventsInSql("postgresql", Events(None, schema="public")).attach() is None
