"""The full history of one aggregate (a commitment, an organisation, an account...), read
straight from the event log: each event with its position in the log, its time, the acting
account, what it changed field by field and why.

The acting account is an opaque id: who holds it is for the directory and the store of
personal data to say, to those allowed to know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from accord.domain.errors import N_
from accord.platform.errors import NotFound
from accord.platform.history_changes import (
    FieldChange,
    Fold,
    creation_kinds,
    describe,
    reason_of,
    recorded_fields,
)

__all__ = ["FieldChange", "History", "HistoryEntry", "aggregate_history"]


@dataclass(frozen=True)
class HistoryEntry:
    """One event of an aggregate's history."""

    position: int | None
    """The event's notification id in the log (None when the store cannot say cheaply)."""
    version: int
    timestamp: datetime
    kind: str
    """A stable code for what happened, such as ``claim_revised``."""
    topic: str
    """The event class, as the log records it."""
    actor_id: str
    subject: str | None
    """What within the aggregate the event is about: a claim, a milestone, a response."""
    changes: tuple[FieldChange, ...]
    reason: str | None


@dataclass(frozen=True)
class History:
    """An aggregate's events, oldest first."""

    aggregate_id: UUID
    kind: str
    """What the aggregate is: ``commitment``, ``organisation``, ``account``, ..."""
    entries: list[HistoryEntry]


def aggregate_history(app: Application[UUID], aggregate_id: UUID,
                      kind: str | None = None) -> History:
    """Every event of the aggregate, described; ``NotFound`` when nothing is recorded under
    the id, or (given ``kind``) when the id is that of another kind of aggregate."""
    events: list[tuple[int | None, str, Any]] = [
        (position, item.topic, app.mapper.to_domain_event(item))
              for position, item in _stored_events(app.recorder, aggregate_id)]
    found = creation_kinds().get(type(events[0][2])) if events else None
    if found is None or (kind is not None and found != kind):
        raise NotFound(N_("No %(kind)s has this id."), kind=(kind or "record").replace("_", " "))
    fold = Fold()
    entries = []
    for position, topic, event in events:
        described = describe(event, fold)
        entries.append(HistoryEntry(
            position=position, version=event.originator_version,
            timestamp=_utc(event.timestamp), kind=described.kind, topic=topic,
            actor_id=str(getattr(event, "actor_id", "")), subject=described.subject,
            changes=described.changes, reason=reason_of(recorded_fields(event))))
    return History(aggregate_id, found, entries)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stored_events(recorder: ApplicationRecorder, aggregate_id: UUID
                   ) -> Sequence[tuple[int | None, StoredEvent]]:
    """The aggregate's stored events in version order, each with its notification id.

    The library selects an aggregate's events without their notification ids; both stores
    keep the id in the same row, found through the same (originator, version) key.
    """
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_notifications(recorder, aggregate_id)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_notifications(recorder, aggregate_id)
    return [(None, item) for item in recorder.select_events(aggregate_id)]  # without positions


def _sqlite_notifications(recorder: SQLiteApplicationRecorder, aggregate_id: UUID
                          ) -> list[tuple[int | None, StoredEvent]]:
    # The table's name is the recorder's own, never the visitor's: the id is a parameter.
    statement = (f"SELECT rowid, * FROM {recorder.events_table_name} "  # noqa: S608
                 "WHERE originator_id=? ORDER BY originator_version")
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, [aggregate_id.hex])
        return [(row["rowid"], _notification(row["rowid"], aggregate_id, row))
                for row in cursor.fetchall()]


def _postgres_notifications(recorder: PostgresApplicationRecorder, aggregate_id: UUID
                            ) -> list[tuple[int | None, StoredEvent]]:
    statement = SQL("SELECT * FROM {schema}.{table} WHERE originator_id = %s "
                    "ORDER BY originator_version").format(
        schema=Identifier(recorder.datastore.schema),
        table=Identifier(recorder.events_table_name))
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
        cursor.execute(statement, [aggregate_id])
        return [(row["notification_id"], _notification(row["notification_id"], aggregate_id,
                                                       row))
                for row in cursor.fetchall()]


def _notification(position: int, aggregate_id: UUID, row: Any) -> Notification:
    return Notification(id=position, originator_id=aggregate_id,
                        originator_version=row["originator_version"], topic=row["topic"],
                        state=bytes(row["state"]))
