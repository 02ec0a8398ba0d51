"""Checking the log against the audit record: every event, leaf, node, root and signature.

The events are read again from the event store and hashed; at each position the recomputed
leaf is compared with the recorded one (notification id and hash), so the first notification
id where the log diverges can be named: an altered or moved event has its id with another
hash; a removed one leaves its id out; an inserted one brings an id that was not recorded.
The roots of both the recomputed and the recorded leaves are compared with every checkpoint,
whose signature is checked, and every stored node with the one rebuilt from the leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from eventsourcing.persistence import Notification

from accord.platform.audit import AuditLog, Checkpoint
from accord.platform.audit.leaves import event_leaf_hash, notifications
from accord.platform.audit.merkle import Frontier
from accord.platform.audit.tree import stored_level

Progress = Callable[[int], None]
PROGRESS_EVERY = 100_000


@dataclass
class Report:
    """What verification found. ``divergence`` is the first notification id where the log
    differs from the record; ``problems`` says everything that is wrong, that first."""

    events: int = 0
    recorded: int = 0
    checkpoints: int = 0
    divergence: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.problems

    @property
    def newer(self) -> int:
        """Events recorded in the log after the audit record's last leaf (not yet covered)."""
        return max(0, self.events - self.recorded)


class _Roots:
    """Compares a growing tree's root with the checkpoints of each size it reaches."""

    def __init__(self, what: str, checkpoints: list[Checkpoint], report: Report,
                 keep: Callable[[int], bool] | None = None) -> None:
        self.what, self.report = what, report
        self.by_size: dict[int, list[Checkpoint]] = {}
        for checkpoint in checkpoints:
            self.by_size.setdefault(checkpoint.tree_size, []).append(checkpoint)
        self.frontier = Frontier(keep=keep)
        self.good_size = 0
        self.failed_size: int | None = None

    def append(self, leaf: bytes) -> None:
        self.frontier.append(leaf)
        size = self.frontier.size
        if size in self.by_size:
            root = self.frontier.root().hex()
            for checkpoint in self.by_size[size]:
                if checkpoint.root_hash != root:
                    self.fail(size)
                    self.report.problems.append(
                        f"{self.what} do not match the checkpoint made at "
                        f"{checkpoint.timestamp} ({size:,} events): root {root}, signed "
                        f"{checkpoint.root_hash}.")
            if self.failed_size is None:
                self.good_size = size

    def fail(self, size: int) -> None:
        if self.failed_size is None:
            self.failed_size = size

    def finish(self) -> None:
        for size, made in self.by_size.items():
            if size > self.frontier.size:
                self.fail(size)
                self.report.problems.append(
                    f"{self.what} hold {self.frontier.size:,} events, fewer than the "
                    f"{size:,} of the checkpoint made at {made[0].timestamp}.")


def verify(audit: AuditLog, progress: Progress | None = None) -> Report:
    """Recompute the tree from the stored events and check it against the audit record."""
    report = Report()
    stored_checkpoints = audit.checkpoints()
    report.checkpoints = len(stored_checkpoints)
    _check_signatures(audit, stored_checkpoints, report)
    recomputed = _Roots("The events in the log", stored_checkpoints, report)
    recorded = _Roots("The audit record's leaves", stored_checkpoints, report, stored_level)
    first_after: dict[int, int] = {}  # checkpoint size -> the first id past it
    last_within: dict[int, int] = {}  # checkpoint size -> its last id
    leaves = chain.from_iterable(audit.tree.leaves())
    for event in _events(audit, report):
        digest = event_leaf_hash(event)
        if recomputed.frontier.size in recomputed.by_size or recomputed.frontier.size == 0:
            first_after[recomputed.frontier.size] = event.id
        recomputed.append(digest)
        if recomputed.frontier.size in recomputed.by_size:
            last_within[recomputed.frontier.size] = event.id
        report.events += 1
        stored = next(leaves, None)
        if stored is not None:
            report.recorded += 1
            recorded.append(stored[1])
            if report.divergence is None:
                _compare(event.id, digest, stored, report)
        if progress and report.events % PROGRESS_EVERY == 0:
            progress(report.events)
    for stored in leaves:  # recorded events that are no longer in the log
        report.recorded += 1
        recorded.append(stored[1])
        if report.divergence is None:
            _diverged(report, stored[0], f"event {stored[0]} was removed from the log.")
    recomputed.finish()
    recorded.finish()
    if report.divergence is None and recomputed.failed_size is not None:
        start = first_after.get(recomputed.good_size)
        end = last_within.get(recomputed.failed_size, "the end")
        report.problems.insert(0, f"The log diverges from the signed checkpoints between "
                               f"notification ids {start} and {end}, and the audit record was "
                               "rewritten to match it.")
    _check_nodes(audit, recorded.frontier, report)
    return report


def _events(audit: AuditLog, report: Report) -> Iterator[Notification]:
    """The log's events; an event that cannot even be read ends the walk as a problem."""
    batches = notifications(audit.app.recorder)
    last = None
    while True:
        try:
            batch = next(batches, None)
        except (ValueError, TypeError) as error:  # e.g. an originator id that is no UUID
            report.problems.append(f"The event store cannot be read after notification id "
                                   f"{last}: {error}.")
            return
        if batch is None:
            return
        yield from batch
        last = batch[-1].id


def _compare(event_id: int, digest: bytes, stored: tuple[int, bytes], report: Report) -> None:
    recorded_id, recorded_hash = stored
    if event_id == recorded_id and digest != recorded_hash:
        _diverged(report, event_id, f"event {event_id} differs from what was recorded "
                                    "(altered, or moved from elsewhere in the log).")
    elif event_id > recorded_id:
        _diverged(report, recorded_id, f"event {recorded_id} was removed from the log.")
    elif event_id < recorded_id:
        _diverged(report, event_id, f"event {event_id} was not in the log when it was "
                                    "recorded (inserted).")


def _diverged(report: Report, notification_id: int, what: str) -> None:
    report.divergence = notification_id
    report.problems.insert(0, f"The log diverges at notification id {notification_id}: {what}")


def _check_signatures(audit: AuditLog, made: list[Checkpoint], report: Report) -> None:
    if not made:
        return
    if not audit.key.exists():
        report.problems.append("The signing key is missing from the data dir: no checkpoint "
                               "signature can be checked.")
        return
    public_key, log_id = audit.key.public_bytes(), audit.key.log_id()
    for checkpoint in made:
        if checkpoint.log_id != log_id:
            report.problems.append(f"The checkpoint made at {checkpoint.timestamp} names "
                                   f"another log: {checkpoint.log_id}.")
        if not checkpoint.signed_by(public_key):
            report.problems.append(f"The checkpoint of {checkpoint.tree_size:,} events made "
                                   f"at {checkpoint.timestamp} has an invalid signature.")


def _check_nodes(audit: AuditLog, rebuilt: Frontier, report: Report) -> None:
    stored = audit.tree.nodes()
    expected = {(level, position): digest for level, position, digest in rebuilt.completed}
    wrong = sorted(node for node in stored.keys() | expected.keys()
                   if stored.get(node) != expected.get(node))
    if wrong:
        level, position = wrong[0]
        report.problems.append(f"{len(wrong):,} stored nodes of the audit record are wrong, "
                               f"the first at level {level}, position {position}.")
