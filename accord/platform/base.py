"""What every use case needs: loading aggregates, saving them, retrying on concurrent writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError

from accord.domain.actor import acting_as
from accord.domain.base import AccordAggregate
from accord.domain.errors import N_
from accord.platform.errors import AlreadyExists, ConcurrencyConflict, NotFound
from accord.platform.policy import Actor

A = TypeVar("A", bound=AccordAggregate)

SAVE_ATTEMPTS = 20
"""How often a change is retried when other writers keep saving the same aggregate first."""


@dataclass(frozen=True)
class Recorded:
    """What a command recorded: the id of the thing it made or changed, and the log position.

    ``position`` is the notification id of the last event recorded; a page that must show the
    change catches its projections up to it.
    """

    id: str
    position: int


class UseCases(Application[UUID]):
    """An event-sourced application with the helpers its use cases share."""

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether anything is recorded under this id."""
        return aggregate_id in self.repository

    def max_notification_id(self) -> int:
        """The position of the last event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def read_events(
        self, *, after: int, upto: int, limit: int, topics: Sequence[str] = ()
    ) -> list[tuple[int, DomainEventProtocol[UUID]]]:
        """Events after position ``after`` up to ``upto``, in log order, with their positions."""
        notifications = self.recorder.select_notifications(
            start=after, limit=limit, stop=upto, topics=topics, inclusive_of_start=False
        )
        return [(n.id, self.mapper.to_domain_event(n)) for n in notifications]

    def _get(self, kind: type[A], aggregate_id: UUID) -> A:
        aggregate: object = None
        with suppress(AggregateNotFoundError):
            aggregate = self.repository.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise NotFound(N_("No %(kind)s has this id."), kind=kind.__name__.lower())
        return aggregate

    def _save_new(self, aggregate: AccordAggregate, message: str) -> Recorded:
        try:
            recordings = self.save(aggregate)
        except IntegrityError:
            raise AlreadyExists(message) from None
        return Recorded(str(aggregate.id), recordings[-1].notification.id)

    def _change(
        self, kind: type[A], aggregate_id: UUID, actor: Actor, change: Callable[[A], None]
    ) -> Recorded:
        """Apply ``change`` to the latest version of the aggregate and save it.

        A concurrent writer may save the same aggregate between our read and our write; the
        event store then refuses our events (optimistic concurrency), and we start again from
        the aggregate as the other writer left it, re-checking every rule.
        """
        for _ in range(SAVE_ATTEMPTS):
            aggregate = self._get(kind, aggregate_id)
            with acting_as(actor.account_id):
                change(aggregate)
            try:
                recordings = self.save(aggregate)
            except IntegrityError:
                continue
            return Recorded(str(aggregate_id), recordings[-1].notification.id)
        raise ConcurrencyConflict(
            N_("Others kept changing this record at the same time; please try again.")
        )
