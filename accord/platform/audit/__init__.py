"""Tamper evidence: a Merkle tree over the event log, signed checkpoints, proofs, verification.

``AuditLog`` is what the web layer and the commands use; docs/audit.md describes the tree,
the checkpoints and the export for those who check them from outside.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from accord.database import Database
from accord.platform.audit import checkpoints
from accord.platform.audit.checkpoints import Checkpoint
from accord.platform.audit.keys import KEY_FILE, SigningKey
from accord.platform.audit.merkle import consistency_ranges, inclusion_ranges
from accord.platform.audit.tables import audit_checkpoint, audit_leaf
from accord.platform.audit.tree import TreeStore

__all__ = ["AuditLog", "Checkpoint", "ConsistencyProof", "InclusionProof"]

log = logging.getLogger(__name__)

EVENTS_BETWEEN_CHECKPOINTS = 10_000
"""A checkpoint is due once this many notification ids have passed since the last, whatever
its age."""
CHECK_EVERY = 60.0
"""Seconds between two looks, by one process, at whether a checkpoint is due."""
REQUEST_SYNC_LIMIT = 20_000
"""The most events a request records in the tree (about a second): after a large import, the
checkpoints made by requests catch up with the log a step at a time."""


@dataclass(frozen=True)
class InclusionProof:
    """RFC 9162's proof that an event is leaf ``leaf_index`` of the tree of ``tree_size``."""

    notification_id: int
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    audit_path: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    """RFC 9162's proof that the tree of ``first`` leaves is a prefix of that of ``second``."""

    first: int
    second: int
    first_root: bytes
    second_root: bytes
    consistency_path: list[bytes]


class AuditLog:
    """The Merkle tree of an application's event log, its key and its checkpoints.

    ``interval`` is how old the last checkpoint may grow, while events are recorded, before
    ``checkpoint_if_due`` makes another; None means only on demand.
    """

    def __init__(self, database: Database, app: Application[UUID], data_dir: Path,
                 interval: timedelta | None = None) -> None:
        self.database = database
        self.app = app
        self.tree = TreeStore(database, app.recorder)
        self.key = SigningKey(data_dir / KEY_FILE)
        self.interval = interval
        self._next_look = 0.0
        self._looking = threading.Lock()

    def create_tables(self) -> None:
        """Create the audit tables if they do not exist."""
        self.tree.create_tables()

    def checkpoint(self, *, if_due: bool = False, most: int | None = None
                   ) -> Checkpoint | None:
        """Record the new events' leaves (at most ``most`` of them) and sign a checkpoint of
        all the recorded ones: the whole log, unless ``most`` stopped short.

        With ``if_due``, only when the log grew since the last checkpoint and that one is older
        than the interval or ``EVENTS_BETWEEN_CHECKPOINTS`` events behind; else return None.
        """
        self.tree.sync(most=most)
        with self.database.writer.begin() as connection:
            self.tree.lock(connection)
            size = self.tree.size(connection)
            latest = next(iter(checkpoints.stored(connection, latest_only=True)), None)
            if if_due and not self._due(latest, size):
                return None
            made = checkpoints.sign(self.key, size, self.tree.root(size), datetime.now(UTC))
            checkpoints.save(connection, made)
        log.info("audit checkpoint: %d events, root %s", made.tree_size, made.root_hash)
        return made

    def _due(self, latest: Checkpoint | None, size: int) -> bool:
        if latest is None:
            return size > 0
        if size <= latest.tree_size:
            return False
        old = (self.interval is not None
               and datetime.now(UTC) - latest.made_at() >= self.interval)
        return old or size - latest.tree_size >= EVENTS_BETWEEN_CHECKPOINTS

    def checkpoint_if_due(self) -> Checkpoint | None:
        """Make a checkpoint when one is due; looks at most once a minute per process, and
        cheaply (two small queries) unless one is due. Never raises: a failure is logged."""
        if self.interval is None:
            return None
        with self._looking:
            if time.monotonic() < self._next_look:
                return None
            self._next_look = time.monotonic() + CHECK_EVERY
        try:
            if self._probably_due():
                return self.checkpoint(if_due=True, most=REQUEST_SYNC_LIMIT)
        except Exception:
            log.exception("audit checkpoint failed; `accord audit checkpoint` makes one")
        return None

    def _probably_due(self) -> bool:
        """Whether a checkpoint is due, judged by notification ids without syncing."""
        latest = self.latest_checkpoint()
        newest = self.app.recorder.max_notification_id() or 0
        if latest is None:
            return newest > 0
        with self.database.reader.connect() as connection:
            covered = connection.execute(audit_leaf.select().with_only_columns(
                audit_leaf.c.notification_id).where(
                audit_leaf.c.position == latest.tree_size - 1)).scalar() or 0
        assert self.interval is not None
        return newest > covered and (
            datetime.now(UTC) - latest.made_at() >= self.interval
            or newest - covered >= EVENTS_BETWEEN_CHECKPOINTS)

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, oldest first."""
        with self.database.reader.connect() as connection:
            return checkpoints.stored(connection)

    def latest_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, if any."""
        with self.database.reader.connect() as connection:
            return next(iter(checkpoints.stored(connection, latest_only=True)), None)

    def has_checkpoint_of(self, tree_size: int) -> bool:
        """Whether a checkpoint of this tree size was made."""
        with self.database.reader.connect() as connection:
            return connection.execute(audit_checkpoint.select().with_only_columns(
                audit_checkpoint.c.id).where(audit_checkpoint.c.tree_size == tree_size)
                .limit(1)).first() is not None

    def size(self) -> int:
        """How many events the tree holds (those recorded by the last checkpoint or since)."""
        return self.tree.size()

    def leaf_index(self, notification_id: int) -> int | None:
        """Where the event with this notification id is in the tree; None if not in it."""
        return self.tree.position_of(notification_id)

    def inclusion_proof(self, leaf_index: int, tree_size: int) -> InclusionProof:
        """The proof for leaf ``leaf_index`` in the tree of ``tree_size`` leaves
        (``leaf_index < tree_size <= size()``)."""
        self._check_size(tree_size)
        path_and_root = self.tree.range_hashes([*inclusion_ranges(leaf_index, tree_size),
                                                (0, tree_size)])
        notification_id, leaf = self.tree.leaf(leaf_index)
        return InclusionProof(notification_id, leaf_index, tree_size, leaf, path_and_root[-1],
                              path_and_root[:-1])

    def consistency_proof(self, first: int, second: int) -> ConsistencyProof:
        """The proof that the tree of ``first`` leaves is a prefix of the one of ``second``
        (0 < first <= second <= ``size()``)."""
        self._check_size(second)
        hashes = self.tree.range_hashes([*consistency_ranges(first, second),
                                         (0, first), (0, second)])
        return ConsistencyProof(first, second, hashes[-2], hashes[-1], hashes[:-2])

    def _check_size(self, tree_size: int) -> None:
        if tree_size > self.tree.size():
            raise ValueError(f"the tree holds fewer than {tree_size} leaves")

    def public_key(self) -> str:
        """The public key in standard base64 (the key pair is made on first use)."""
        return self.key.public_base64()

    def decode(self, state: bytes) -> Any:
        """An event's stored state, decoded by the application's transcoder."""
        return self.app.mapper.transcoder.decode(state)
