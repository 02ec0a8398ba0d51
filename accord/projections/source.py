"""What a projection reads: the event log, as positions and domain events."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from sqlalchemy import Connection, MetaData

if TYPE_CHECKING:
    from accord.projections.log_sql import EventsInSql

PositionedEvent = tuple[int, Any]
"""An event with its position (notification id) in the log."""


class EventSource(Protocol):
    """The application's event log, read in order."""

    def max_notification_id(self) -> int:
        """The position of the last event recorded (0 when the log is empty)."""
        ...

    def read_events(
        self, *, after: int, upto: int, limit: int, topics: Sequence[str] = ()
    ) -> list[PositionedEvent]:
        """Up to ``limit`` events with ``after < position <= upto``, in log order."""
        ...


class Projection(Protocol):
    """Maps events to rows of its own tables."""

    name: str
    version: int
    """Changes whenever the tables change, so that stored tables are rebuilt."""
    metadata: MetaData
    topics: Sequence[str]

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Update the tables for ``events``, inside the caller's transaction."""
        ...


@runtime_checkable
class RebuildsInSql(Protocol):
    """A projection that can rebuild its tables with SQL reading the stored events."""

    def rebuild_in_sql(self, connection: Connection, reader: Connection, sql: EventsInSql,
                       source: EventSource, upto: int, empty: Callable[[], None]) -> bool:
        """Empty the tables (``empty``, on ``connection``) and fill them from every event
        up to ``upto``, inside the caller's transaction on ``connection`` (``reader``:
        another connection that reaches the events, for reading meanwhile); False when
        some events need the Python path (the caller then rolls back and replays a batch at
        a time)."""
        ...
