"""The Merkle tree kept in the audit tables, on each backend: its roots and every proof,
checked by the stand-alone verifier (tools/verify_export.py), an independent implementation
of RFC 9162's verification algorithms."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from accord.database import Database, postgres_database, sqlite_database
from accord.platform.audit import AuditLog
from accord.platform.audit.tables import audit_leaf, audit_node
from accord.settings import Settings
from tests.audit_support import MadeUpLog, made_up_app, verifier

SMALL = 70
SMALL_ON_POSTGRES = 33
"""Every tree up to 70 events on SQLite; up to 33 on PostgreSQL, where each proof's queries
take longer (33 still reaches the stored nodes of 16 leaves, and two of them)."""


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    """The read-model database of an empty Accord, on each backend."""
    if settings.database_url:
        database = postgres_database(settings.database_url)
    else:
        settings.data_dir.mkdir(parents=True)
        database = sqlite_database(settings.data_dir / "accord.sqlite3")
    yield database
    database.dispose()


def audit_log(database: Database, events: int, data_dir: Path) -> AuditLog:
    log = AuditLog(database, made_up_app(events), data_dir)
    log.create_tables()
    return log


def test_every_proof_of_every_tree_up_to_70_events_verifies(
        database: Database, tmp_path: Path) -> None:
    largest = SMALL if database.is_sqlite else SMALL_ON_POSTGRES
    log = audit_log(database, largest, tmp_path)
    # The leaves are recorded in small batches, so that batches end anywhere in the tree.
    assert log.tree.sync(batch=9) == largest
    leaves = log.app.recorder.leaf_hashes()
    for size in range(1, largest + 1):
        root = verifier.root_of(leaves[:size])
        assert log.tree.root(size) == root
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            assert proof.root_hash == root
            assert proof.leaf_hash == leaves[index]
            assert verifier.verify_inclusion(leaves[index], index, size, proof.audit_path,
                                             root), (index, size)
        for first in range(1, size + 1):
            consistency = log.consistency_proof(first, size)
            assert verifier.verify_consistency(first, size, verifier.root_of(leaves[:first]),
                                               root, consistency.consistency_path), (first, size)


def test_a_wrong_proof_does_not_verify(database: Database, tmp_path: Path) -> None:
    log = audit_log(database, 21, tmp_path)
    log.tree.sync()
    leaves = log.app.recorder.leaf_hashes()
    proof = log.inclusion_proof(5, 21)
    root = verifier.root_of(leaves)
    assert verifier.verify_inclusion(leaves[5], 5, 21, proof.audit_path, root)
    # another leaf, another position, another size, or a path with one node changed
    assert not verifier.verify_inclusion(leaves[6], 5, 21, proof.audit_path, root)
    assert not verifier.verify_inclusion(leaves[5], 4, 21, proof.audit_path, root)
    assert not verifier.verify_inclusion(leaves[5], 5, 16, proof.audit_path, root)
    assert not verifier.verify_inclusion(leaves[5], 5, 37, proof.audit_path, root)
    damaged = [proof.audit_path[0], bytes(32), *proof.audit_path[2:]]
    assert not verifier.verify_inclusion(leaves[5], 5, 21, damaged, root)
    consistency = log.consistency_proof(7, 21)
    first_root = verifier.root_of(leaves[:7])
    assert verifier.verify_consistency(7, 21, first_root, root, consistency.consistency_path)
    assert not verifier.verify_consistency(7, 21, verifier.root_of(leaves[:8]), root,
                                           consistency.consistency_path)
    assert not verifier.verify_consistency(7, 21, first_root, root,
                                           consistency.consistency_path[:-1])


def test_proofs_in_a_tree_of_70000_events_verify(database: Database, tmp_path: Path) -> None:
    count = 70_000
    log = audit_log(database, count, tmp_path)
    assert log.tree.sync() == count
    leaves = log.app.recorder.leaf_hashes()
    roots = {size: verifier.root_of(leaves[:size])
             for size in (1, 4096, 4097, 54_321, 65_536, 65_537, 69_999, count)}
    assert all(log.tree.root(size) == root for size, root in roots.items())
    # leaves at the edges of the stored levels (16, 256, 4096, 65536 leaves)
    for index, size in [(0, count), (count - 1, count), (65_535, 65_536), (65_536, 65_537),
                        (12_345, 54_321), (4095, 4097), (4096, 4097), (0, 1)]:
        proof = log.inclusion_proof(index, size)
        assert verifier.verify_inclusion(leaves[index], index, size, proof.audit_path,
                                         roots[size]), (index, size)
    for first, second in [(1, count), (4096, 4097), (4097, 65_536), (54_321, 69_999),
                          (65_536, count), (count, count)]:
        proof = log.consistency_proof(first, second)
        assert verifier.verify_consistency(first, second, roots[first], roots[second],
                                           proof.consistency_path), (first, second)
    # Only every fourth level of nodes is stored: 4375 + 273 + 17 + 1 nodes, not 70,000.
    with database.reader.connect() as connection:
        levels = dict(connection.execute(select(audit_node.c.level, func.count())
                                         .group_by(audit_node.c.level)).all())
    assert levels == {4: count // 16, 8: count // 256, 12: count // 4096, 16: 1}


def test_syncing_again_records_only_new_events_and_never_twice(
        database: Database, tmp_path: Path) -> None:
    log = audit_log(database, 40, tmp_path)
    log.app.recorder.events = log.app.recorder.events[:25]
    assert log.tree.sync() == 25
    assert log.tree.sync() == 0
    # The log grows; two processes record its new events at the same moment.
    log.app.recorder = MadeUpLog(40)
    others = [audit_log(database, 40, tmp_path) for _ in range(2)]
    threads = [threading.Thread(target=other.tree.sync, kwargs={"batch": 4}) for other in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.reader.connect() as connection:
        ids = connection.execute(select(audit_leaf.c.notification_id)
                                 .order_by(audit_leaf.c.position)).scalars().all()
    assert ids == [event.id for event in MadeUpLog(40).events]
    assert log.tree.root(40) == verifier.root_of(MadeUpLog(40).leaf_hashes())


def test_a_checkpoint_made_by_a_request_covers_a_bounded_prefix_of_a_long_backlog(
        database: Database, tmp_path: Path) -> None:
    log = audit_log(database, 50, tmp_path)
    leaves = log.app.recorder.leaf_hashes()
    # Each step hashes at most 20 new events and signs what the tree holds so far.
    sizes = []
    for _ in range(3):
        made = log.checkpoint(most=20)
        assert made is not None
        assert made.root_hash == verifier.root_of(leaves[:made.tree_size]).hex()
        sizes.append(made.tree_size)
    assert sizes == [20, 40, 50]
