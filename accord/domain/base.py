"""The base aggregate: stamps every event with the acting account."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from accord.domain.actor import current_actor


class AccordAggregate(Aggregate):
    """An aggregate whose events all carry ``actor_id``, the opaque id of the acting account."""

    class Event(Aggregate.Event):
        actor_id: str

    class Created(Event, Aggregate.Created):
        pass

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("actor_id", current_actor())
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def _create(cls, event_class: Any, *, id: UUID | None = None, **kwargs: Any) -> Any:
        kwargs.setdefault("actor_id", current_actor())
        return super()._create(event_class, id=id, **kwargs)
