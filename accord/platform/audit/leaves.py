"""What each event of the log contributes to the Merkle tree: its canonical JSON.

Canonical JSON here is: an object's keys sorted by code point, no whitespace (separators
``,`` and ``:``), integers in decimal, and text written as itself in UTF-8, not as ``\\u``
escapes (Python's ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)``): only ``"``, ``\\`` and the control characters U+0000 to U+001F are
escaped, as ``\\"``, ``\\\\``, ``\\b``, ``\\f``, ``\\n``, ``\\r``, ``\\t`` or ``\\u00xx``
(lower-case hex). For the objects hashed here (ASCII keys, integers and text) this is the
same as RFC 8785's JSON Canonicalization Scheme.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification

from accord.platform.audit.merkle import leaf_hash

LEAF_KEYS = ("id", "originator_id", "originator_version", "state", "topic")
READ_BATCH = 10_000


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON, in UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def leaf_fields(notification: Notification) -> dict[str, Any]:
    """The five fields of an event that its leaf commits to."""
    originator = notification.originator_id
    return {
        "id": notification.id,
        "originator_id": str(originator if isinstance(originator, UUID) else UUID(originator)),
        "originator_version": notification.originator_version,
        "state": base64.b64encode(notification.state).decode("ascii"),
        "topic": notification.topic,
    }


def event_leaf_hash(notification: Notification) -> bytes:
    """The Merkle leaf hash of an event."""
    return leaf_hash(canonical_json(leaf_fields(notification)))


def notifications(recorder: ApplicationRecorder, after: int | None = None,
                  batch: int = READ_BATCH) -> Iterator[list[Notification]]:
    """Every event of the log after notification id ``after`` (from the very first when None),
    in notification order, in batches."""
    while True:
        found = recorder.select_notifications(start=after, limit=batch,
                                              inclusive_of_start=after is None)
        if not found:
            return
        yield list(found)
        if len(found) < batch:
            return
        after = found[-1].id
