"""Writers at the same moment: two claims on one commitment, two workers starting up.

Each claiming writer loads the commitment, then waits at a barrier before its first save, so
both have read the same version before either saves: one save is refused and retried, every time.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import pytest

from accord.platform.application import AccordApplication
from accord.services import Services
from accord.settings import Settings
from tests.conftest import empty_postgres
from tests.scenario import Member, build_world, claim

BARRIER_TIMEOUT = 30  # seconds a writer waits for the other before giving up
PROCESS_TIMEOUT = 90  # seconds for a whole writer process, start-up included

spawn = multiprocessing.get_context("spawn")


class Barrier(Protocol):
    def wait(self, timeout: float | None = None) -> int: ...


class SharedCount(Protocol):
    value: int

    def get_lock(self) -> Any: ...


def wait_before_first_save(
    app: AccordApplication, barrier: Barrier, attempts: SharedCount
) -> None:
    """Make each thread's first save of ``app`` wait at ``barrier``; count every save."""
    save = app.save
    seen = threading.local()

    def rendezvous_save(*aggregates: Any, **kwargs: Any) -> Any:
        with attempts.get_lock():
            attempts.value += 1
        if not getattr(seen, "first_attempt_done", False):
            seen.first_attempt_done = True
            barrier.wait(timeout=BARRIER_TIMEOUT)
        return save(*aggregates, **kwargs)

    app.save = rendezvous_save  # type: ignore[method-assign]


def test_two_threads_claiming_at_once_both_record_their_claim(services: Services) -> None:
    # Ghana's government and a civil-society group will claim on the same commitment.
    world = build_world(services.app)
    before = services.app.commitment(world.commitment_id).version
    barrier, attempts = threading.Barrier(2), spawn.Value("i", 0)
    wait_before_first_save(services.app, barrier, attempts)

    # Both threads load the commitment, meet at the barrier, then save.
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(claim, services.app, member, world.commitment_id, status)
            for member, status in [(world.government, "substantial"),
                                   (world.civil_society, "limited")]
        ]
        recorded = [future.result(timeout=PROCESS_TIMEOUT) for future in futures]

    # Both claims are in the commitment, and one of the two saves had to be retried.
    commitment = services.app.commitment(world.commitment_id)
    assert set(commitment.claims) == {r.id for r in recorded}
    assert {c.status for c in commitment.claims.values()} == {"substantial", "limited"}
    assert commitment.version == before + 2
    assert attempts.value >= 3


def record_claim_in_own_process(settings: Settings, member: Member, commitment_id: UUID,
                                status: str, barrier: Barrier, attempts: SharedCount) -> None:
    """A writer process: its own services on the shared database, one claim."""
    services = Services(settings)
    try:
        wait_before_first_save(services.app, barrier, attempts)
        claim(services.app, member, commitment_id, status)
    finally:
        services.close()


@pytest.mark.postgres
def test_two_processes_claiming_at_once_both_record_their_claim(
    postgres_database: str, tmp_path: Path
) -> None:
    # A world on PostgreSQL, shared by two processes that each wire their own services.
    empty_postgres(postgres_database)
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_database,
                        secret_key="test-secret")
    services = Services(settings)
    try:
        world = build_world(services.app)
        barrier, attempts = spawn.Barrier(2), spawn.Value("i", 0)

        # Two organisations each claim from their own process, meeting before the first save.
        writers = [
            spawn.Process(target=record_claim_in_own_process,
                          args=(settings, member, world.commitment_id, status, barrier,
                                attempts))
            for member, status in [(world.government, "substantial"),
                                   (world.other_civil_society, "limited")]
        ]
        _run(writers)

        # Both claims are recorded, one from each organisation; one save was retried.
        commitment = services.app.commitment(world.commitment_id)
        assert sorted(c.organisation_id for c in commitment.claims.values()) == sorted(
            [world.government.actor.organisation_id,
             world.other_civil_society.actor.organisation_id])
        assert {c.status for c in commitment.claims.values()} == {"substantial", "limited"}
        assert attempts.value >= 3
    finally:
        services.close()


def start_services(settings: Settings, barrier: Barrier) -> None:
    """A process starting up, as a web worker does: it wires its services, then stops."""
    barrier.wait(timeout=BARRIER_TIMEOUT)
    Services(settings).close()


def test_two_processes_starting_at_once_on_an_empty_database_both_start(
    settings: Settings,
) -> None:
    # Two web workers start at the same moment on an empty database.
    barrier = spawn.Barrier(2)
    _run([spawn.Process(target=start_services, args=(settings, barrier)) for _ in range(2)])

    # Both started, and the seed frameworks were defined once.
    services = Services(settings)
    try:
        last = services.app.max_notification_id()
        events = services.app.read_events(after=0, upto=last, limit=100)
        assert [type(event).__qualname__ for _, event in events] == ["Framework.Defined"] * 2
        assert services.caught_up() == last
    finally:
        services.close()


def _run(processes: list[Any]) -> None:
    """Start the processes, wait for them all, and fail unless every one exited cleanly."""
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=PROCESS_TIMEOUT)
    stuck = [process for process in processes if process.is_alive()]
    for process in stuck:
        process.kill()
        process.join(timeout=10)
    assert not stuck, f"writer processes did not finish in {PROCESS_TIMEOUT} s"
    assert [process.exitcode for process in processes] == [0] * len(processes)
