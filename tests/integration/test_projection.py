"""The progress read model on each backend: caught up on demand, exactly once, rebuildable."""

from __future__ import annotations

import io
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy
from eventsourcing.utils import get_topic

from accord.domain.agreement import Agreement
from accord.domain.commitment import Commitment
from accord.projections import progress, tables
from accord.services import Services
from accord.settings import Settings
from tests.conftest import empty_postgres
from tests.integration.history import (
    busy_history,
    commitment_event_count,
    read_model,
    timeline_count,
)
from tests.scenario import build_world, claim

THREAD_TIMEOUT = 60


def test_each_command_shows_once_caught_up_to_its_position(services: Services) -> None:
    world = build_world(services.app)
    services.caught_up()
    ghana = str(world.commitment_id)

    # The government claims: the commitment awaits civil society, at once, without waiting.
    government = claim(services.app, world.government, world.commitment_id, "limited")
    assert services.caught_up(government.position) >= government.position
    page = services.queries.commitment_page(ghana)
    assert page is not None
    assert [c.claim_id for c in page.government] == [government.id]
    assert page.agreement is Agreement.AWAITING_CIVIL_SOCIETY

    # Civil society claims the same status: agreed.
    watch = claim(services.app, world.civil_society, world.commitment_id, "limited")
    services.caught_up(watch.position)
    page = services.queries.commitment_page(ghana)
    assert page is not None
    assert [c.claim_id for c in page.civil_society] == [watch.id]
    assert page.agreement is Agreement.AGREED

    # Civil society revises its claim to another status: contested, the revision is current.
    revision = claim(services.app, world.civil_society, world.commitment_id, "substantial",
                     replaces=watch.id, revision_reason="More was done than we thought.")
    services.caught_up(revision.position)
    page = services.queries.commitment_page(ghana)
    assert page is not None
    assert [c.claim_id for c in page.civil_society] == [revision.id]
    assert page.claims[watch.id].replaced_by == revision.id
    assert page.agreement is Agreement.CONTESTED
    assert [thread.entry.kind for thread in page.threads][:2] == ["revised", "claimed"]

    # Civil society withdraws the revision: only the government's claim remains current.
    withdrawal = services.app.withdraw_claim(world.civil_society.actor, world.commitment_id,
                                             claim_id=revision.id, reason="Not verified.")
    services.caught_up(withdrawal.position)
    page = services.queries.commitment_page(ghana)
    assert page is not None
    assert page.civil_society == []
    assert page.claims[revision.id].withdrawal_reason == "Not verified."
    assert page.agreement is Agreement.AWAITING_CIVIL_SOCIETY
    counts = services.queries.country("GHA")
    assert counts is not None
    assert (counts.awaiting_civil_society, counts.not_reported, counts.total) == (1, 1, 2)


def test_a_claim_is_written_once_and_its_standing_says_what_later_events_made_of_it(
    services: Services,
) -> None:
    world = build_world(services.app)
    government = claim(services.app, world.government, world.commitment_id, "limited")
    watch = claim(services.app, world.civil_society, world.commitment_id, "limited")
    services.caught_up()
    made = claim_rows(services)
    assert standings(services) == {government.id: (True, None, None),
                                   watch.id: (True, None, None)}

    revision = claim(services.app, world.civil_society, world.commitment_id, "substantial",
                     replaces=watch.id, revision_reason="More was done than we thought.")
    services.caught_up()
    assert standings(services) == {government.id: (True, None, None),
                                   watch.id: (False, revision.id, None),
                                   revision.id: (True, None, None)}

    services.app.withdraw_claim(world.civil_society.actor, world.commitment_id,
                                claim_id=revision.id, reason="Not verified.")
    services.caught_up()
    assert standings(services) == {government.id: (True, None, None),
                                   watch.id: (False, revision.id, None),
                                   revision.id: (False, None, "Not verified.")}
    # The claims' own rows are as they were made.
    assert {claim_id: row for claim_id, row in claim_rows(services).items()
            if claim_id in made} == made


def claim_rows(services: Services) -> dict[str, tuple[Any, ...]]:
    """Every stored claim's row, by claim id."""
    k = tables.claims
    with services.database.reader.connect() as connection:
        return {row.claim_id: tuple(row) for row in connection.execute(sqlalchemy.select(k))}


def standings(services: Services) -> dict[str, tuple[bool, str | None, str | None]]:
    """Each standing row, by its claim's id: current, replaced by, reason of withdrawal."""
    k, s = tables.claims, tables.standings
    with services.database.reader.connect() as connection:
        return {row.claim_id: (row.current, row.replaced_by, row.withdrawal_reason)
                for row in connection.execute(
                    sqlalchemy.select(k.c.claim_id, s.c.current, s.c.replaced_by,
                                      s.c.withdrawal_reason)
                    .join(s, s.c.position == k.c.position))}


def test_rows_built_one_small_batch_at_a_time_equal_the_rebuilt_rows(
    services: Services,
) -> None:
    # The world is projected one event per batch, then the history one command at a time.
    world = build_world(services.app)
    services.progress.catch_up(batch_size=1)
    for position in busy_history(world):
        assert services.progress.catch_up(position, batch_size=2) == position
    incremental = read_model(services.database)

    # Dropping the tables and replaying the whole log gives the very same rows.
    assert services.progress.rebuild() == services.app.max_notification_id()
    assert read_model(services.database) == incremental
    assert timeline_count(services.database) == commitment_event_count(services.app)


def test_a_crash_in_the_middle_of_a_batch_leaves_the_read_model_unchanged(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The world is projected; the busy history is recorded but not yet projected.
    world = build_world(services.app)
    services.caught_up()
    list(busy_history(world))
    rows, position = read_model(services.database), services.progress.position()

    # Applying the third claim of the batch fails, after two claims were applied in memory.
    handled = _fail_on_third_claim(monkeypatch)
    with pytest.raises(RuntimeError, match="crashed"):
        services.caught_up()
    assert len(handled) == 3

    # The position and every row are as they were before the batch.
    assert services.progress.position() == position
    assert read_model(services.database) == rows

    # Once the fault is gone, the next catch-up applies every event exactly once.
    monkeypatch.undo()
    assert services.caught_up() == services.app.max_notification_id()
    assert timeline_count(services.database) == commitment_event_count(services.app)
    caught_up = read_model(services.database)
    services.progress.rebuild()
    assert read_model(services.database) == caught_up


def _fail_on_third_claim(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    handled: list[int] = []
    status_claimed = progress.HANDLERS[Commitment.StatusClaimed]

    def crash_on_third(batch: progress.Batch, position: int, event: Any) -> None:
        handled.append(position)
        if len(handled) == 3:
            raise RuntimeError("the projection crashed")
        status_claimed(batch, position, event)

    monkeypatch.setitem(progress.HANDLERS, Commitment.StatusClaimed, crash_on_third)
    return handled


def test_two_threads_catching_up_at_once_apply_every_event_exactly_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A world and its busy history, none of it projected yet.
    world = build_world(services.app)
    list(busy_history(world))
    last = services.app.max_notification_id()

    # Both threads read the same old position before either starts applying events.
    barrier = threading.Barrier(2)
    read_position = services.progress.position

    def position_then_wait() -> int:
        position = read_position()
        barrier.wait(timeout=THREAD_TIMEOUT)
        return position

    monkeypatch.setattr(services.progress, "position", position_then_wait)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(services.progress.catch_up, batch_size=3) for _ in range(2)]
        assert [future.result(timeout=THREAD_TIMEOUT) for future in futures] == [last, last]
    monkeypatch.undo()

    # Every event was applied once: one timeline row each, and the same rows as a rebuild.
    assert timeline_count(services.database) == commitment_event_count(services.app)
    concurrent = read_model(services.database)
    services.progress.rebuild()
    assert read_model(services.database) == concurrent


def test_country_counts_match_the_agreement_states_of_the_commitments(
    services: Services,
) -> None:
    # A world with a busy history: commitments of two countries in several states.
    world = build_world(services.app)
    for position in busy_history(world):
        # After every command, the counts per country follow the commitments themselves.
        services.caught_up(position)
        assert _counts(services) == _expected_counts(services)
    assert {state for states in _counts(services).values() for state in states} >= {
        Agreement.CONTESTED, Agreement.AWAITING_GOVERNMENT, Agreement.NOT_REPORTED}


def _counts(services: Services) -> dict[str, Counter[Agreement]]:
    counts: dict[str, Counter[Agreement]] = {}
    for row in services.queries.country_counts():
        counts[row.country] = Counter({state: row.count(state) for state in Agreement
                                       if row.count(state)})
        assert row.total == sum(counts[row.country].values())
    return counts


def _expected_counts(services: Services) -> dict[str, Counter[Agreement]]:
    expected: dict[str, Counter[Agreement]] = {}
    last = services.app.max_notification_id()
    registered = services.app.read_events(after=0, upto=last, limit=last + 1,
                                          topics=[get_topic(Commitment.Registered)])
    for _, event in registered:
        commitment = services.app.commitment(event.originator_id)
        expected.setdefault(commitment.country, Counter())[commitment.agreement] += 1
    return expected


def test_withdrawing_the_latest_claim_makes_the_previous_one_current_again(
    services: Services,
) -> None:
    world = build_world(services.app)

    # Civil society claims "limited", the government agrees, then civil society claims more.
    first = claim(services.app, world.civil_society, world.commitment_id, "limited")
    claim(services.app, world.government, world.commitment_id, "limited")
    latest = claim(services.app, world.civil_society, world.commitment_id, "substantial")
    services.caught_up(latest.position)
    page = services.queries.commitment_page(str(world.commitment_id))
    assert page is not None
    assert [c.claim_id for c in page.civil_society] == [latest.id]
    assert page.agreement is Agreement.CONTESTED

    # Civil society withdraws its latest claim.
    withdrawal = services.app.withdraw_claim(world.civil_society.actor, world.commitment_id,
                                             claim_id=latest.id, reason="Premature.")
    services.caught_up(withdrawal.position)

    # Its previous claim is current again, in the read model as in the commitment itself.
    page = services.queries.commitment_page(str(world.commitment_id))
    assert page is not None
    assert [c.claim_id for c in page.civil_society] == [first.id]
    assert (page.claims[first.id].current, page.claims[latest.id].current) == (True, False)
    assert page.agreement is Agreement.AGREED
    commitment = services.app.commitment(world.commitment_id)
    assert first.id in {c.claim_id for c in commitment.current_claims()}
    row = next(r for r in services.queries.commitments("GHA") if r.reference == "GH0001")
    assert [label.code for label in row.civil_society_statuses] == ["limited"]
    counts = services.queries.country("GHA")
    assert counts is not None
    assert (counts.agreed, counts.contested) == (1, 0)


@pytest.mark.postgres
def test_a_rebuild_while_a_worker_catches_up_waits_for_it_on_postgresql(
    postgres_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_postgres(postgres_database)
    services = Services(Settings(data_dir=tmp_path, database_url=postgres_database))
    try:
        # A world and its busy history, none of it projected yet.
        world = build_world(services.app)
        list(busy_history(world))

        # A worker catching up holds the position, and touches no table until another
        # session is waiting for a lock.
        holding = _pause_first_batch_until_someone_waits(services, postgres_database,
                                                         monkeypatch)
        with ThreadPoolExecutor(max_workers=2) as pool:
            catching_up = pool.submit(services.progress.catch_up)
            assert holding.wait(timeout=THREAD_TIMEOUT)

            # Meanwhile the read model is rebuilt: it waits its turn, and both finish.
            rebuilding = pool.submit(services.progress.rebuild)
            last = services.app.max_notification_id()
            assert catching_up.result(timeout=THREAD_TIMEOUT) == last
            assert rebuilding.result(timeout=THREAD_TIMEOUT) == last

        # The read model holds every event once.
        assert timeline_count(services.database) == commitment_event_count(services.app)
    finally:
        services.close()


def _pause_first_batch_until_someone_waits(
    services: Services, url: str, monkeypatch: pytest.MonkeyPatch
) -> threading.Event:
    holding = threading.Event()
    apply = services.progress.projection.apply

    def apply_once_someone_waits(connection: Any, events: Any) -> None:
        if not holding.is_set():
            holding.set()
            _wait_for_a_session_waiting_for_a_lock(url)
        apply(connection, events)

    monkeypatch.setattr(services.progress.projection, "apply", apply_once_someone_waits)
    return holding


def _wait_for_a_session_waiting_for_a_lock(url: str) -> None:
    deadline = time.monotonic() + THREAD_TIMEOUT
    with psycopg.connect(url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()
            if waiting and waiting[0]:
                return
            time.sleep(0.01)  # polling PostgreSQL's own view of who waits, not guessing
    raise AssertionError("no session came to wait for a lock")


def test_catching_up_to_a_position_beyond_the_log_is_refused_not_skipped(
        services: Services) -> None:
    world = build_world(services.app)
    recorded = claim(services.app, world.government, world.commitment_id, "limited")
    position = services.caught_up(recorded.position)

    # A position the log has not reached is an error: jumping to it would skip future events.
    with pytest.raises(ValueError, match="not in the event log"):
        services.caught_up(recorded.position + 10)
    assert services.progress.position() == position

    # The next event is applied as usual.
    later = claim(services.app, world.civil_society, world.commitment_id, "limited")
    assert services.caught_up(later.position) == later.position
    assert services.queries.country("GHA").agreed == 1


def test_whether_the_read_models_are_caught_up_is_one_read_on_postgresql(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world(services.app)
    services.caught_up()
    recorded = claim(services.app, world.government, world.commitment_id)
    # The claim is found new and applied.
    assert services.caught_up() == recorded.position
    assert services.queries.commitment_page(str(world.commitment_id)).government
    postgres = not services.database.is_sqlite
    if postgres:
        # Now nothing is new: the log's position is read beside the read models', not asked
        # of the event store.
        def refused() -> int:
            raise AssertionError("the event store was asked")

        monkeypatch.setattr(services.app.recorder, "max_notification_id", refused)
    sent: list[str] = []
    sqlalchemy.event.listen(services.database.reader, "before_cursor_execute",
                            lambda *args: sent.append(args[2]))
    assert services.caught_up() == recorded.position
    reads = [statement for statement in sent if statement.startswith("SELECT")]
    assert len(reads) == 1
    assert ("notification_id" in reads[0]) is postgres


@pytest.mark.parametrize("rebuilt", [False, True], ids=["caught up", "rebuilt"])
def test_two_commitments_may_each_hold_a_claim_and_a_response_of_the_same_id(
        services: Services, rebuilt: bool) -> None:
    """A commitment refuses a second claim or response of an id it holds; another
    commitment may hold one of that id (a client may give its own ids, as a form does to be
    sent twice), each with the same file."""
    world = build_world(services.app)
    report = services.blobs.put(io.BytesIO(b"%PDF-1.4 the audit"), "audit.pdf")
    sides = [(world.commitment_id, world.government, world.civil_society, "limited"),
             (world.foreign_commitment_id, world.foreign_government,
              world.foreign_civil_society, "substantial")]
    for commitment_id, government, civil_society, status in sides:
        claim(services.app, government, commitment_id, status, claim_id="form-1",
              attachments=[report])
        claim(services.app, civil_society, commitment_id, "complete", claim_id="form-2",
              challenges="form-1")
        answer = services.app.respond_to_challenge(
            government.actor, commitment_id, challenge_id="form-2", narrative="Done.",
            evidence=[], attachments=[report], response_id="form-3")
        assert answer.id == "form-3"
    services.caught_up()
    if rebuilt:
        services.progress.rebuild()
    for commitment_id, _, _, status in sides:
        page = services.queries.commitment_page(str(commitment_id))
        assert page is not None
        assert [(c.claim_id, c.status.code) for c in page.government] == [("form-1", status)]
        assert [r.response_id for r in page.responses["form-2"]] == ["form-3"]
        feed = services.changes.latest(commitment_id=str(commitment_id))
        assert [(c.entry.claim_id, c.entry.status.code) for c in feed
                if c.entry.claim_id == "form-1"] == [("form-1", status)]
    everything = services.changes.latest()
    assert sorted(c.commitment_id for c in everything if c.entry.claim_id == "form-3") == sorted(
        [str(world.commitment_id), str(world.foreign_commitment_id)])
    with services.database.reader.connect() as connection:
        owners = connection.execute(
            sqlalchemy.select(tables.attachments.c.owner_id, tables.attachments.c.commitment_id)
            .where(tables.attachments.c.sha256 == report.sha256)).all()
    assert sorted(owners) == sorted((owner, str(commitment_id)) for owner in ("form-1", "form-3")
                                    for commitment_id, _, _, _ in sides)
