"""The Merkle tree of the event log, kept in the audit tables and extended as the log grows.

Syncing appends the leaf hash of every event not yet in ``audit_leaf``, in notification order,
and the perfect nodes completed meanwhile at the stored levels (multiples of ``LEVEL_STEP``).
Each batch is one transaction that first takes the audit lock, so that processes syncing at
once never record a leaf twice. A node at a level between stored ones is hashed from at most
``2**(LEVEL_STEP - 1)`` stored nodes below it, so a proof for a log of a million events reads a
few hundred rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from eventsourcing.persistence import ApplicationRecorder
from sqlalchemy import Connection, func, select, text

from accord.database import Database
from accord.platform.audit.leaves import READ_BATCH, event_leaf_hash
from accord.platform.audit.merkle import (
    Frontier,
    Node,
    Range,
    fold,
    perfect_hash,
    perfect_parts,
)
from accord.platform.audit.tables import audit_leaf, audit_node, metadata

LEVEL_STEP = 4
AUDIT_LOCK = 0x6175646974  # "audit": the PostgreSQL advisory lock of the audit tables
IN_LIMIT = 500  # positions per query


def stored_level(level: int) -> bool:
    """Whether perfect nodes of this level are kept (leaves are, in their own table)."""
    return level % LEVEL_STEP == 0


class TreeStore:
    """The leaves and stored nodes of the log's Merkle tree."""

    def __init__(self, database: Database, recorder: ApplicationRecorder) -> None:
        self.database = database
        self.recorder = recorder

    def create_tables(self) -> None:
        """Create the audit tables if they do not exist."""
        self.database.create(metadata)

    def lock(self, connection: Connection) -> None:
        """Serialise writers of the audit tables (SQLite's writers already are)."""
        if not self.database.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})

    def size(self, connection: Connection | None = None) -> int:
        """How many leaves are recorded."""
        if connection is None:
            with self.database.reader.connect() as reader:
                return self.size(reader)
        last = connection.execute(select(func.max(audit_leaf.c.position))).scalar()
        return 0 if last is None else int(last) + 1

    def sync(self, batch: int = READ_BATCH, most: int | None = None) -> int:
        """Record the leaves of the events not recorded yet (at most ``most`` of them);
        return how many were added."""
        added = 0
        while most is None or added < most:
            wanted = batch if most is None else min(batch, most - added)
            with self.database.writer.begin() as connection:
                self.lock(connection)
                count = self._sync_batch(connection, wanted)
            added += count
            if count < wanted:
                break
        return added

    def _sync_batch(self, connection: Connection, batch: int) -> int:
        size = self.size(connection)
        last_id = None if size == 0 else connection.execute(
            select(audit_leaf.c.notification_id).where(audit_leaf.c.position == size - 1)
        ).scalar_one()
        events = self.recorder.select_notifications(start=last_id, limit=batch,
                                                    inclusive_of_start=False)
        if not events:
            return 0
        parts = perfect_parts(0, size)
        frontier = Frontier(zip(parts, self._subtrees(connection, parts), strict=True),
                            keep=stored_level)
        leaves = []
        for event in events:
            digest = event_leaf_hash(event)
            leaves.append({"position": frontier.size, "notification_id": event.id,
                           "leaf_hash": digest})
            frontier.append(digest)
        connection.execute(audit_leaf.insert(), leaves)
        if frontier.completed:
            connection.execute(audit_node.insert(), [
                {"level": level, "position": position, "node_hash": digest}
                for level, position, digest in frontier.completed])
        return len(events)

    def position_of(self, notification_id: int) -> int | None:
        """Where the event with this notification id is in the tree, if recorded."""
        with self.database.reader.connect() as connection:
            found = connection.execute(select(audit_leaf.c.position).where(
                audit_leaf.c.notification_id == notification_id)).scalar()
        return None if found is None else int(found)

    def leaf(self, position: int) -> tuple[int, bytes]:
        """The notification id and leaf hash at ``position``."""
        with self.database.reader.connect() as connection:
            row = connection.execute(select(audit_leaf.c.notification_id, audit_leaf.c.leaf_hash)
                                     .where(audit_leaf.c.position == position)).one()
        return int(row.notification_id), bytes(row.leaf_hash)

    def range_hashes(self, ranges: Sequence[Range]) -> list[bytes]:
        """The hash of the node over each range of leaves (all within the recorded tree)."""
        parts = [perfect_parts(start, end) for start, end in ranges]
        with self.database.reader.connect() as connection:
            hashes = iter(self._subtrees(connection, [p for each in parts for p in each]))
        return [fold([next(hashes) for _ in each]) for each in parts]

    def root(self, size: int) -> bytes:
        """The tree hash of the first ``size`` leaves."""
        (root,) = self.range_hashes([(0, size)])
        return root

    def leaves(self, start: int = 0, batch: int = READ_BATCH
               ) -> Iterator[list[tuple[int, bytes]]]:
        """The recorded (notification id, leaf hash) pairs from ``start``, in batches."""
        while True:
            with self.database.reader.connect() as connection:
                rows = connection.execute(
                    select(audit_leaf.c.notification_id, audit_leaf.c.leaf_hash)
                    .where(audit_leaf.c.position >= start)
                    .order_by(audit_leaf.c.position).limit(batch)).all()
            if not rows:
                return
            yield [(int(row.notification_id), bytes(row.leaf_hash)) for row in rows]
            start += len(rows)

    def nodes(self) -> dict[tuple[int, int], bytes]:
        """Every stored node, by (level, position)."""
        with self.database.reader.connect() as connection:
            return {(int(r.level), int(r.position)): bytes(r.node_hash) for r in connection.execute(
                select(audit_node.c.level, audit_node.c.position, audit_node.c.node_hash))}

    def _subtrees(self, connection: Connection, nodes: Sequence[Node]) -> list[bytes]:
        """The hashes of perfect nodes, from the stored ones at or below their levels."""
        wanted: dict[int, set[int]] = defaultdict(set)
        for level, position in nodes:
            base, shift = level - level % LEVEL_STEP, level % LEVEL_STEP
            wanted[base].update(range(position << shift, (position + 1) << shift))
        found = {base: self._stored(connection, base, sorted(positions))
                 for base, positions in wanted.items()}
        hashes = []
        for level, position in nodes:
            base, shift = level - level % LEVEL_STEP, level % LEVEL_STEP
            below = found[base]
            hashes.append(perfect_hash([below[p] for p in range(position << shift,
                                                                 (position + 1) << shift)]))
        return hashes

    def _stored(self, connection: Connection, level: int, positions: list[int]
                ) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        for start in range(0, len(positions), IN_LIMIT):
            chunk = positions[start:start + IN_LIMIT]
            if level == 0:
                query = select(audit_leaf.c.position, audit_leaf.c.leaf_hash).where(
                    audit_leaf.c.position.in_(chunk))
            else:
                query = select(audit_node.c.position, audit_node.c.node_hash).where(
                    (audit_node.c.level == level) & audit_node.c.position.in_(chunk))
            found.update((int(position), bytes(digest))
                         for position, digest in connection.execute(query))
        return found
