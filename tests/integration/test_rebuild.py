"""Rebuilding the progress read model from a generated data set, on each backend: the same
rows as catching up in small batches, whatever the rebuild keeps in memory or defers."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from accord.domain.commitment import Commitment
from accord.projections import projector, tables
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


def test_a_rebuild_gives_the_rows_of_a_catch_up_in_small_batches(generated: Services) -> None:
    # Caught up a hundred events at a time, each batch remembering the ones before it.
    generated.progress.catch_up(batch_size=100)
    incremental = read_model(generated.database)
    assert timeline_count(generated.database) == commitment_events(generated)

    # Rebuilt: the very same rows, and every index built again at the end.
    assert generated.progress.rebuild() == generated.app.max_notification_id()
    assert read_model(generated.database) == incremental
    assert index_names(generated) >= {index.name for table in tables.metadata.sorted_tables
                                      for index in table.indexes}


def test_a_rebuild_that_cannot_remember_everything_reads_back_through_its_indexes(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    generated.progress.catch_up()
    expected = read_model(generated.database)

    # Small batches and room for a few claims only: the memory is dropped again and again,
    # and the rows are read back from the tables, whose indexes are then built at once.
    monkeypatch.setattr(projector, "REBUILD_BATCH", 150)
    monkeypatch.setattr(projector, "REBUILD_MEMORY", 40)
    generated.progress.rebuild()
    assert read_model(generated.database) == expected
    assert "ix_progress_claim_commitment_id" in index_names(generated)


def test_a_rebuild_cut_short_leaves_its_indexes_to_the_next_start(
        generated: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    # The rebuild fails after its tables were dropped and created without their indexes.
    def crash(*args: object, **kwargs: object) -> int:
        raise RuntimeError("stopped")

    monkeypatch.setattr(generated.progress, "catch_up", crash)
    with pytest.raises(RuntimeError, match="stopped"):
        generated.progress.rebuild()
    assert "ix_progress_timeline_commitment" not in index_names(generated)
    monkeypatch.undo()

    # The next start creates them; the next catch-up fills the tables.
    generated.progress.create_tables()
    assert "ix_progress_timeline_commitment" in index_names(generated)
    generated.progress.catch_up()
    assert timeline_count(generated.database) == commitment_events(generated)
