"""The event store on each backend: what is recorded stays recorded, and is read back in order."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
import pytest
from eventsourcing.utils import get_topic
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from accord import database as accord_database
from accord.domain.commitment import Commitment
from accord.domain.organisation import Organisation, OrganisationKind
from accord.domain.values import Party
from accord.platform.policy import SYSTEM
from accord.services import Services
from accord.settings import Settings
from tests.scenario import build_world, claim

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def test_commands_survive_a_restart(settings: Settings, services: Services) -> None:
    # The government and a civil-society group claim a status on one commitment.
    world = build_world(services.app)
    government = claim(services.app, world.government, world.commitment_id, "substantial",
                       period_start=date(2024, 1, 1), period_end=date(2024, 3, 31))
    civil_society = claim(services.app, world.civil_society, world.commitment_id, "limited",
                          evidence=["https://example.org/a", "https://example.org/b"])
    last_position = services.app.max_notification_id()

    # Accord stops, and a new process starts on the same settings.
    services.close()
    restarted = Services(settings)
    try:
        commitment = restarted.app.commitment(world.commitment_id)
        restarted_position = restarted.app.max_notification_id()
    finally:
        restarted.close()

    # The commitment and both claims load back as they were recorded.
    assert restarted_position == last_position
    assert commitment.reference == "GH0001"
    assert commitment.themes == ["open_contracting", "public_procurement"]
    assert list(commitment.claims) == [government.id, civil_society.id]
    first, second = commitment.claims[government.id], commitment.claims[civil_society.id]
    assert (first.party, first.status) == (Party.GOVERNMENT, "substantial")
    assert first.period.end == date(2024, 3, 31)
    assert first.account_id == world.government.actor.account_id
    assert (second.party, second.status) == (Party.CIVIL_SOCIETY, "limited")
    assert second.evidence == ("https://example.org/a", "https://example.org/b")


def test_every_sqlite_connection_syncs_each_commit_to_disk(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite here is built with synchronous=FULL by default; others default to NORMAL or OFF.
    # Every new connection starts with OFF, so only Accord's own setting can make it FULL.
    connect = sqlite3.connect

    def connect_unsynced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA synchronous=OFF")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_unsynced)
    services = Services(sqlite_settings)
    try:
        # Take more connections from the event store's pool than it holds, so that both the
        # pooled ones and newly made ones are checked.
        pool = services.app.recorder.datastore.pool
        connections = [pool.get_connection() for _ in range(pool.pool_size + 2)]
        try:
            event_store = [_pragma(connection, "synchronous") for connection in connections]
            journal = {_pragma(connection, "journal_mode") for connection in connections}
        finally:
            for connection in connections:
                pool.put_connection(connection)

        # The read-model database's engines are configured the same way.
        writer = _engine_pragma(services.database.writer, "synchronous")
        reader = _engine_pragma(services.database.reader, "synchronous")
    finally:
        services.close()

    assert event_store == [FULL] * len(connections)
    assert journal == {"wal"}
    assert (writer, reader) == (FULL, FULL)


def test_events_are_read_back_in_order_with_their_positions(services: Services) -> None:
    # A world, two claims and a withdrawal.
    world = build_world(services.app)
    claim(services.app, world.government, world.commitment_id)
    withdrawn = claim(services.app, world.civil_society, world.commitment_id)
    services.app.withdraw_claim(world.civil_society.actor, world.commitment_id,
                                claim_id=withdrawn.id, reason="Sent too early.")
    last = services.app.max_notification_id()

    # The whole log comes back in order, one position per event, ending at the last one.
    events = services.app.read_events(after=0, upto=last, limit=1_000)
    assert [position for position, _ in events] == list(range(1, last + 1))
    assert isinstance(events[-1][1], Commitment.ClaimWithdrawn)
    assert events[-1][1].originator_id == world.commitment_id

    # Topics select the kinds of event; the positions stay those of the whole log.
    claimed = services.app.read_events(after=0, upto=last, limit=1_000,
                                       topics=[get_topic(Commitment.StatusClaimed)])
    assert [type(event) for _, event in claimed] == [Commitment.StatusClaimed] * 2
    assert claimed == [(p, e) for p, e in events if isinstance(e, Commitment.StatusClaimed)]

    # ``after`` is exclusive, ``upto`` inclusive, and ``limit`` counts events.
    middle = services.app.read_events(after=3, upto=6, limit=100)
    assert [position for position, _ in middle] == [4, 5, 6]
    assert [p for p, _ in services.app.read_events(after=3, upto=last, limit=2)] == [4, 5]
    assert services.app.read_events(after=last, upto=last + 10, limit=100) == []


def test_reading_the_log_steps_over_gaps(services: Services) -> None:
    # An organisation is registered between two others, and its one event then disappears.
    # (PostgreSQL leaves such gaps when an insert rolls back; SQLite never does by itself.)
    build_world(services.app)
    before = _register(services, "Before")
    gone = _register(services, "Gone")
    after = _register(services, "After")
    _delete_from_log(services, gone)

    # Reading from just before the gap returns the next event after it, even one at a time.
    assert [p for p, _ in services.app.read_events(after=before, upto=after, limit=1)] == [after]
    events = services.app.read_events(after=0, upto=after, limit=1_000)
    positions = [position for position, _ in events]
    assert gone not in positions
    assert positions == sorted(positions)
    assert positions[-2:] == [before, after]
    assert [e.name for _, e in events[-2:] if isinstance(e, Organisation.Registered)] == [
        "Before", "After"]

    # The projection catches up across the gap, with the two organisations that remain.
    assert services.caught_up() == after
    organisation = services.directory.organisation(str(events[-1][1].originator_id))
    assert organisation is not None
    assert organisation.name == "After"


def _register(services: Services, name: str) -> int:
    recorded = services.app.register_organisation(
        SYSTEM, name=name, kind=OrganisationKind.CIVIL_SOCIETY, countries=["GHA"])
    return recorded.position


def _delete_from_log(services: Services, position: int) -> None:
    recorder = services.app.recorder
    table = recorder.events_table_name
    with recorder.datastore.transaction(commit=True) as cursor:
        if services.database.is_sqlite:
            cursor.execute(f"DELETE FROM {table} WHERE rowid = ?", (position,))  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {table} WHERE notification_id = %s",  # noqa: S608
                           (position,))


def _pragma(connection: object, name: str) -> object:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


def _engine_pragma(engine: Engine, name: str) -> object:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


@pytest.mark.postgres
def test_postgresql_read_models_are_queried_without_parallel_plans(
        postgres_database: str) -> None:
    # Starting parallel workers for Accord's small queries cost more than it saved.
    database = accord_database.postgres_database(postgres_database, pool_size=1)
    try:
        with database.reader.connect() as connection:
            assert connection.exec_driver_sql(
                "SHOW max_parallel_workers_per_gather").scalar() == "0"
    finally:
        database.dispose()


@pytest.mark.postgres
def test_postgresql_reads_open_no_transaction_and_writes_still_do(
        postgres_database: str) -> None:
    # A read's BEGIN and ROLLBACK cost two round trips and bought nothing at READ COMMITTED;
    # the one pooled connection must go back to transactions for a writer, and out of them
    # again for the next reader.
    database = accord_database.postgres_database(postgres_database, pool_size=1)
    idle, in_transaction = psycopg.pq.TransactionStatus.IDLE, psycopg.pq.TransactionStatus.INTRANS
    try:
        for engine, expected in [(database.reader, idle), (database.writer, in_transaction),
                                 (database.reader, idle)]:
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1").scalar()
                status = connection.connection.dbapi_connection.info.transaction_status
                assert status == expected
    finally:
        database.dispose()


def _backend(database: accord_database.Database) -> int:
    with database.reader.connect() as connection:
        return int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


@pytest.fixture
def pooled(postgres_database: str) -> Iterator[tuple[accord_database.Database, int]]:
    """A PostgreSQL database of one pooled connection, and the server process serving it."""
    database = accord_database.postgres_database(postgres_database, pool_size=1)
    try:
        yield database, _backend(database)
    finally:
        database.dispose()


def _terminate(url: str, backend: int) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("SELECT pg_terminate_backend(%s, 5000)", (backend,))


@pytest.mark.postgres
def test_a_pooled_connection_is_pinged_only_when_new_or_idle_for_a_second(
        postgres_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    database = accord_database.postgres_database(postgres_database, pool_size=1)
    pings: list[object] = []
    ping = database.reader.dialect.do_ping
    monkeypatch.setattr(database.reader.dialect, "do_ping",
                        lambda connection: pings.append(connection) or ping(connection))
    try:
        first = _backend(database)
        assert len(pings) == 1  # a new connection
        for _ in range(3):  # given back a moment ago: taken as it is
            assert _backend(database) == first
        assert len(pings) == 1
        time.sleep(accord_database.IDLE_BEFORE_PING + 0.1)
        assert _backend(database) == first
        assert len(pings) == 2
    finally:
        database.dispose()


@pytest.mark.postgres
def test_a_connection_dropped_while_idle_is_replaced_before_it_serves_a_read(
        postgres_database: str, pooled: tuple[accord_database.Database, int]) -> None:
    database, dropped = pooled
    _terminate(postgres_database, dropped)
    time.sleep(accord_database.IDLE_BEFORE_PING + 0.1)
    assert _backend(database) != dropped


@pytest.mark.postgres
def test_a_connection_dropped_within_the_second_fails_one_read_and_is_replaced(
        postgres_database: str, pooled: tuple[accord_database.Database, int]) -> None:
    # What taking recent connections without a ping costs: a read on one the server dropped
    # less than a second ago fails; the pool then replaces it for the next.
    database, dropped = pooled
    _terminate(postgres_database, dropped)
    with pytest.raises(OperationalError):
        _backend(database)
    assert _backend(database) != dropped
