"""Helpers for the audit tests: the stand-alone verifier, loaded as the outsider runs it, and
a made-up event log of any size."""

from __future__ import annotations

import base64
import bisect
import importlib.util
import uuid
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from eventsourcing.persistence import Notification

VERIFIER_PATH = Path(__file__).parents[1] / "tools" / "verify_export.py"


def load_verifier() -> ModuleType:
    """tools/verify_export.py, which imports nothing of Accord: the independent verifier."""
    spec = importlib.util.spec_from_file_location("verify_export", VERIFIER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


verifier = load_verifier()


class MadeUpLog:
    """An event store's notifications, made up: ``count`` events whose ids skip every
    seventh number (ids have gaps in a real log too)."""

    def __init__(self, count: int) -> None:
        self.events = [Notification(
            id=n + n // 6 + 1, originator_id=uuid.UUID(int=n * 7919 + 1), originator_version=1,
            topic="tests.made_up:Event", state=f'{{"n":{n},"text":"événement"}}'.encode())
            for n in range(count)]

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *, inclusive_of_start: bool = True
                             ) -> list[Notification]:
        ids = [event.id for event in self.events]
        first = 0 if start is None else (bisect.bisect_left(ids, start) if inclusive_of_start
                                         else bisect.bisect_right(ids, start))
        return self.events[first:first + limit]

    def max_notification_id(self) -> int:
        return self.events[-1].id if self.events else 0

    def leaf_hashes(self) -> list[bytes]:
        """Each event's leaf hash, computed as the stand-alone verifier does."""
        return [verifier.hash_leaf(verifier.canonical({
            "id": e.id, "originator_id": str(e.originator_id),
            "originator_version": e.originator_version, "topic": e.topic,
            "state": base64.b64encode(e.state).decode()})) for e in self.events]


def made_up_app(count: int) -> Any:
    """Just enough of an eventsourcing application for ``AuditLog``: its recorder."""
    return SimpleNamespace(recorder=MadeUpLog(count))
