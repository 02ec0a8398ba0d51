"""Rebuilding the progress read model from a generated data set, on each backend: the same
rows as catching up in small batches, whether the rebuild runs in SQL or in batches, and
whatever it keeps in memory or defers."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from sqlalchemy import JSON, Connection, inspect, select

from accord.database import Database
from accord.domain.commitment import Commitment
from accord.projections import log_sql, progress, progress_state, projector, tables
from accord.projections.source import PositionedEvent
from accord.services import Services
from benchmarks.generate import generate
from tests.integration.history import read_model, timeline_count


@pytest.fixture
def generated(services: Services) -> Services:
    """An Accord holding the tiny data set: 3 countries, 30 commitments, 600 claims."""
    generate(services.app, 0.001, seed=11)
    return services


def commitment_events(services: Services) -> int:
    """How many events of commitments the log holds (each has one timeline row)."""
    last = services.app.max_notification_id()
    return sum(1 for _, event in services.app.read_events(after=0, upto=last, limit=last + 1)
               if isinstance(event, Commitment.Event))


def index_names(services: Services) -> set[str]:
    """The indexes of the progress tables, as the database has them."""
    inspector = inspect(services.database.reader)
    return {str(index["name"]) for table in tables.metadata.sorted_tables
            for index in inspector.get_indexes(table.name)}


def primary_keys(services: Services) -> dict[str, list[str]]:
    """The columns of each progress table's primary key, as the database has them."""
    inspector = inspect(services.database.reader)
    return {table.name: list(inspector.get_pk_constraint(table.name)["constrained_columns"])
            for table in tables.metadata.sorted_tables}


SQLITE_ONLY_INDEXES = {"ix_progress_commitment_listed"}
"""The progress indexes declared for SQLite alone (``ddl_if``)."""


def declared_indexes(services: Services) -> set[str]:
    """The indexes of the progress tables that this database should have."""
    declared = {str(index.name) for table in tables.metadata.sorted_tables
                for index in table.indexes}
    return declared if services.database.is_sqlite else declared - SQLITE_ONLY_INDEXES


@pytest.mark.parametrize("in_sql", [True, False], ids=["in SQL", "in batches"])
def test_a_rebuild_gives_the_rows_of_a_catch_up_in_small_batches(
        generated: Services, in_sql: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Caught up a hundred events at a time, each batch remembering the ones before it.
    generated.progress.catch_up(batch_size=100)
    incremental = read_model(generated.database)
    stored = stored_values(generated.database)
    assert timeline_count(generated.database) == commitment_events(generated)

    # Rebuilt: the very same rows, stored the same way, and every index built again at the
    # end. In SQL, no event goes through ``apply``; in batches, every one does.
    applied = spy_on_apply(generated, monkeypatch)
    if not in_sql:
        monkeypatch.setattr(generated.progress, "stored_events", None)
    assert generated.progress.rebuild() == generated.app.max_notification_id()
    assert (sum(applied) == 0) if in_sql else (sum(applied) == len(progress_events(generated)))
    assert read_model(generated.database) == incremental
    assert stored_values(generated.database) == stored
    assert index_names(generated) >= declared_indexes(generated)
    # PostgreSQL's rebuild in SQL adds the claims' key once their rows are written.
    assert primary_keys(generated) == {
        table.name: [column.name for column in table.primary_key.columns]
        for table in tables.metadata.sorted_tables}


def spy_on_apply(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many events each call of the progress projection's ``apply`` was given."""
    calls: list[int] = []
    apply = services.progress.projection.apply

    def counting(connection: Connection, events: Sequence[PositionedEvent]) -> None:
        calls.append(len(events))
        apply(connection, events)

    monkeypatch.setattr(services.progress.projection, "apply", counting)
    return calls


def progress_events(services: Services) -> list[PositionedEvent]:
    """The events the progress projection reads."""
    last = services.app.max_notification_id()
    return services.app.read_events(after=0, upto=last, limit=last + 1,
                                    topics=services.progress.projection.topics)


def stored_values(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the progress read model as the database holds it (times and dates as
    the text SQLite keeps them, so that a difference in their form shows), with JSON parsed
    (its spacing may differ)."""
    json_columns = {(table.name, index) for table in tables.metadata.sorted_tables
                    for index, column in enumerate(table.columns)
                    if isinstance(column.type, JSON)}
    with database.reader.connect() as connection:
        return {
            table.name: sorted((tuple(json.loads(value) if (table.name, index) in json_columns
                                      and isinstance(value, str) else value
                                      for index, value in enumerate(row))
                                for row in connection.exec_driver_sql(
                                    f'SELECT * FROM "{table.name}"')),  # noqa: S608
                               key=repr)
            for table in tables.metadata.sorted_tables
        }


def test_a_rebuild_in_sql_skips_nothing(generated: Services,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the batch size of the events read meanwhile.
    generated.progress.catch_up()
    expected = read_model(generated.database)
    for chunk in (1, 7, 10_000):
        monkeypatch.setattr(progress, "BULK_CHUNK", chunk)
        generated.progress.rebuild()
        assert read_model(generated.database) == expected


def test_claims_of_an_older_shape_are_rebuilt_in_batches_by_their_upcaster(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    claim = record_claim_of_version_1(generated)
    generated.progress.catch_up()
    expected = read_model(generated.database)
    applied = spy_on_apply(generated, monkeypatch)

    generated.progress.rebuild()
    assert sum(applied) == len(progress_events(generated))
    assert read_model(generated.database) == expected
    with generated.database.reader.connect() as connection:
        k = tables.claims
        language = connection.execute(
            select(k.c.language).where(k.c.claim_id == claim)).scalar_one()
    assert language == "und"  # as the upcaster says


def record_claim_of_version_1(services: Services) -> str:
    """Record, as the oldest release did, one more claim on the first claimed commitment:
    without the fields that version 2 added. Returns its id."""
    app = services.app
    last = app.max_notification_id()
    topic = get_topic(Commitment.StatusClaimed)
    first = app.recorder.select_notifications(start=1, limit=last, topics=[topic])[0]
    state = json.loads(first.state)
    for name in ("class_version", "milestone", "language", "attachments", "endorses",
                 "challenges"):
        state.pop(name, None)
    state.update(claim_id=str(uuid4()), replaces=None, revision_reason=None)
    version = app.recorder.select_events(first.originator_id, desc=True, limit=1)[0]
    app.recorder.insert_events([StoredEvent(
        originator_id=first.originator_id, originator_version=version.originator_version + 1,
        topic=topic, state=json.dumps(state).encode())])
    return str(state["claim_id"])


def test_events_stored_with_a_cipher_or_a_compressor_are_replayed_in_batches(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    generated.progress.catch_up()
    expected = read_model(generated.database)
    stored = generated.progress.stored_events
    assert stored is not None
    assert stored.plain_json
    monkeypatch.setattr(generated.progress, "stored_events", replace(stored, plain_json=False))
    applied = spy_on_apply(generated, monkeypatch)

    generated.progress.rebuild()
    assert sum(applied) == len(progress_events(generated))
    assert read_model(generated.database) == expected


def test_a_rebuild_in_sql_that_fails_leaves_the_read_model_as_it_was(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    generated.progress.catch_up()
    expected, indexes = read_model(generated.database), index_names(generated)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stopped")

    monkeypatch.setattr(progress_state.Batch, "flush", crash)
    with pytest.raises(RuntimeError, match="stopped"):
        generated.progress.rebuild()
    assert read_model(generated.database) == expected
    assert index_names(generated) == indexes
    assert generated.progress.position() == generated.app.max_notification_id()


def test_a_rebuild_that_cannot_remember_everything_reads_back_through_its_indexes(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    generated.progress.catch_up()
    expected = read_model(generated.database)

    # Small batches and room for a few claims only: the memory is dropped again and again,
    # and the rows are read back from the tables, whose indexes are then built at once.
    monkeypatch.setattr(generated.progress, "stored_events", None)  # in batches
    monkeypatch.setattr(projector, "REBUILD_BATCH", 150)
    monkeypatch.setattr(projector, "REBUILD_MEMORY", 40)
    generated.progress.rebuild()
    assert read_model(generated.database) == expected
    assert "ix_progress_claim_commitment_claim" in index_names(generated)


def test_a_rebuild_cut_short_leaves_its_indexes_to_the_next_start(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # The rebuild fails after its tables were dropped and created without their indexes.
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stopped")

    monkeypatch.setattr(generated.progress, "stored_events", None)  # in batches
    monkeypatch.setattr(progress_state.Batch, "flush", crash)
    with pytest.raises(RuntimeError, match="stopped"):
        generated.progress.rebuild()
    assert "ix_progress_timeline_commitment" not in index_names(generated)
    monkeypatch.undo()

    # The next start creates them; the next catch-up fills the tables.
    generated.progress.create_tables()
    assert "ix_progress_timeline_commitment" in index_names(generated)
    generated.progress.catch_up()
    assert timeline_count(generated.database) == commitment_events(generated)


def test_a_rebuild_leaves_statistics_of_every_table_it_filled(generated: Services) -> None:
    generated.progress.rebuild()
    with generated.database.reader.connect() as connection:
        filled = {table.name for table in tables.metadata.sorted_tables
                  if connection.execute(select(table).limit(1)).first() is not None}
        if generated.database.is_sqlite:
            query = "SELECT DISTINCT tbl FROM sqlite_stat1"
        else:
            query = "SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()"
        analysed = set(connection.exec_driver_sql(query).scalars())
    assert {"progress_claim", "progress_claim_standing", "progress_timeline"} <= filled
    assert filled <= analysed


def test_a_rebuild_in_sql_commits_its_tables_with_every_index(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # What follows the rebuild's own transaction (the statistics) fails.
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stopped")

    monkeypatch.setattr(projector.Projector, "_analyze", crash)
    with pytest.raises(RuntimeError, match="stopped"):
        generated.progress.rebuild()
    monkeypatch.undo()
    assert generated.progress.position() == generated.app.max_notification_id()
    assert index_names(generated) >= declared_indexes(generated)


def test_a_rebuild_in_sql_gives_sqlite_its_usual_page_cache_back(generated: Services) -> None:
    if not generated.database.is_sqlite:
        pytest.skip("a page cache per connection is SQLite's")
    generated.progress.rebuild()
    with generated.database.writer.connect() as connection:  # the rebuild's, pooled
        size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    assert size == projector.SQLITE_CACHE


def about_events_table(services: Services, query: str) -> int:
    """PostgreSQL: the number ``query`` gives about the events table, which it names by the
    parameters ``schema`` and ``table``."""
    events = services.progress.stored_events
    assert events is not None
    with services.database.reader.connect() as connection:
        return int(connection.exec_driver_sql(
            query, {"schema": events.schema or "public", "table": events.table}).scalar_one())


def test_a_rebuild_in_sql_gives_the_events_table_the_statistics_it_lacks(
        generated: Services) -> None:
    """PostgreSQL plans the rebuild's reads of the events for their real number once it
    has statistics of their table, which a server without autovacuum never gathers."""
    if generated.database.is_sqlite:
        pytest.skip("SQLite reads the events' file along its positions, without statistics")

    def statistics() -> int:
        return about_events_table(generated, "SELECT count(*) FROM pg_stats WHERE "
                                  "schemaname = %(schema)s AND tablename = %(table)s")

    assert statistics() == 0, "the new events table was analysed before the rebuild"
    generated.progress.rebuild()
    assert statistics() > 0


def test_a_rebuild_in_sql_first_vacuums_an_events_table_never_vacuumed(
        generated: Services) -> None:
    """Otherwise the rebuild's two readers mark every row of a log written in one go as
    committed, each writing its pages again, as they read it."""
    if generated.database.is_sqlite:
        pytest.skip("vacuuming a table is PostgreSQL's")

    def vacuums() -> int:
        return about_events_table(generated, "SELECT vacuum_count FROM pg_stat_user_tables "
                                  "WHERE schemaname = %(schema)s AND relname = %(table)s")

    assert vacuums() == 0
    generated.progress.rebuild()
    assert vacuums() == 1
    # Vacuumed since most of its rows came: not again.
    generated.progress.rebuild()
    assert vacuums() == 1


@pytest.mark.parametrize("chunks", [True, False], ids=["libpq 17 on", "older libpq"])
def test_a_rebuild_reads_every_claim_in_log_order(
        generated: Services, chunks: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims Python replays while SQL copies them: streamed in chunks, or, with a
    libpq too old for that, through a cursor on the server (SQLite reads its file)."""
    if generated.database.is_sqlite and not chunks:
        pytest.skip("libpq is PostgreSQL's")
    if not chunks:
        monkeypatch.setattr(log_sql, "CHUNKS_FROM_LIBPQ", 10**9)
    monkeypatch.setattr(log_sql, "STREAMED", 7)  # many chunks of the 600 claims
    events = generated.progress.stored_events
    assert events is not None
    sql = log_sql.EventsInSql(generated.database.writer.dialect.name, events)
    last = generated.app.max_notification_id()
    expected = [(position, str(event.originator_id), event.claim_id) for position, event
                in generated.app.read_events(after=0, upto=last, limit=last + 1)
                if isinstance(event, Commitment.StatusClaimed)]
    with generated.progress._reading_events(sql) as reader:
        read = [(position, originator, json.loads(state)["claim_id"])
                for position, originator, state in sql.states(
                    reader, topic=progress.CLAIM_TOPIC, upto=last, chunk=5)]
    assert len(expected) == 600
    assert read == expected


def test_the_index_that_lists_a_themes_commitments_is_sqlites_alone(generated: Services) -> None:
    # SQLite reads a theme's counts and pages from it; PostgreSQL was no quicker with it.
    generated.progress.rebuild()
    assert (index_names(generated) >= SQLITE_ONLY_INDEXES) == generated.database.is_sqlite


def test_a_rebuild_on_postgresql_writes_each_commitments_claims_together(
        generated: Services) -> None:
    """PostgreSQL keeps rows where they were written: a commitment's page reads its claims
    (which are their timeline entries too) from a few pages of the table only if they were
    written together, not in log order, where each lies beside other commitments' claims."""
    if generated.database.is_sqlite:
        pytest.skip("SQLite keeps a table's rows in their key's order, the log's")
    generated.progress.rebuild()
    with generated.database.reader.connect() as connection:
        claims = connection.exec_driver_sql(
            "SELECT commitment_id FROM progress_claim ORDER BY ctid").scalars().all()
        logged = connection.exec_driver_sql(
            "SELECT commitment_id FROM progress_claim ORDER BY position").scalars().all()
    commitments = len(set(logged))
    assert len(runs(logged)) > 5 * commitments, "the log does not interleave commitments"
    # A short row may go where an earlier page has room left: not always one run each.
    assert sorted(claims) == sorted(logged)
    assert len(runs(claims)) < 2 * commitments


def runs(commitments: Sequence[str]) -> list[str]:
    """The commitment of each run of consecutive rows of one commitment."""
    return [commitment for commitment, _ in itertools.groupby(commitments)]
