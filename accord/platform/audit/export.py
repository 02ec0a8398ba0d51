"""The log as JSON Lines, with a signed checkpoint, for anyone to verify (docs/audit.md).

The first line is ``{"format": "accord-log/1", "checkpoint": {...}, "public_key": "..."}``;
then one line per event of the checkpoint's tree, in tree order: the five fields of its leaf
(``id``, ``originator_id``, ``originator_version``, ``state``, ``topic``), its ``leaf_hash`` in
hex and, for people, ``event``: the state decoded. Every event is compared with the audit
record as it is written: a log that diverges from the record is refused, not exported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from itertools import chain
from typing import IO, Any

from accord.platform.audit import AuditLog, Checkpoint
from accord.platform.audit.leaves import canonical_json, leaf_fields, notifications
from accord.platform.audit.merkle import leaf_hash

FORMAT = "accord-log/1"
PROGRESS_EVERY = 100_000


class LogDiverged(Exception):
    """The event log no longer matches the audit record at ``notification_id``."""

    def __init__(self, notification_id: int) -> None:
        super().__init__(f"the log diverges from the audit record at notification id "
                         f"{notification_id}; run `accord audit verify`")
        self.notification_id = notification_id


def export(audit: AuditLog, out: IO[bytes],
           progress: Callable[[int], None] | None = None) -> Checkpoint:
    """Write the whole log to ``out`` under a checkpoint of all of it (the latest one, if it
    covers every event, else a new one); return that checkpoint."""
    audit.tree.sync()
    size = audit.size()
    latest = audit.latest_checkpoint()
    checkpoint = latest if latest is not None and latest.tree_size == size else audit.checkpoint()
    assert checkpoint is not None
    out.write(_json({"format": FORMAT, "checkpoint": checkpoint.as_json(),
                     "public_key": audit.public_key()}) + b"\n")
    leaves = chain.from_iterable(audit.tree.leaves())
    written = 0
    for batch in notifications(audit.app.recorder):
        for event in batch:
            if written == checkpoint.tree_size:
                return checkpoint
            recorded_id, recorded_hash = next(leaves)
            data = canonical_json(leaf_fields(event))
            digest = leaf_hash(data)
            if (event.id, digest) != (recorded_id, recorded_hash):
                raise LogDiverged(min(event.id, recorded_id))
            # The leaf data as hashed, with the two more keys appended to the object.
            out.write(b"".join((data[:-1], b',"leaf_hash":"', digest.hex().encode("ascii"),
                                b'","event":', _json(audit.decode(event.state)), b"}\n")))
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written)
    if written < checkpoint.tree_size:
        raise LogDiverged(next(leaves)[0])
    return checkpoint


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    """Decoded values that JSON has no type for (ids, times), as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
    return str(value)
