"""What every import shares: the aggregates held in memory until one atomic save, the passes
over the rows that set rejected rows aside, and the retry when another writer came first."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from accord.domain.actor import acting_as
from accord.domain.base import AccordAggregate
from accord.domain.errors import N_, DomainError
from accord.platform.base import SAVE_ATTEMPTS, UseCases
from accord.platform.errors import ConcurrencyConflict
from accord.platform.imports.report import ImportReport, RowMessage
from accord.platform.imports.table import ImportFileError, Record, Table
from accord.platform.policy import Action, Actor, authorize

A = TypeVar("A", bound=AccordAggregate)

PROGRESS_EVERY = 1_000
"""How many rows go by between two progress reports."""

Progress = Callable[[int, int], None]
"""Told how many rows of how many have been read so far."""


class WorkingSet:
    """The aggregates an import reads and changes, kept in memory until they are saved together.

    Each aggregate is loaded at most once, so every row sees what earlier rows did to it.
    """

    def __init__(self, app: UseCases) -> None:
        self.app = app
        self._aggregates: dict[UUID, AccordAggregate | None] = {}

    def get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate as recorded and changed so far, or None when there is none."""
        if aggregate_id not in self._aggregates:
            found: object = None
            with suppress(AggregateNotFoundError):
                found = self.app.repository.get(aggregate_id)
            self._aggregates[aggregate_id] = found if isinstance(found, AccordAggregate) else None
        aggregate = self._aggregates[aggregate_id]
        return aggregate if isinstance(aggregate, kind) else None

    def add(self, aggregate: AccordAggregate) -> None:
        """Hold an aggregate created by the import."""
        self._aggregates[aggregate.id] = aggregate

    def pending(self) -> list[AccordAggregate]:
        """The aggregates with events to record, in the order they were first touched."""
        return [aggregate for aggregate in self._aggregates.values()
                if aggregate is not None and aggregate.pending_events]


class RowImporter(Protocol):
    """Turns one record into changes of the working set, or raises ``DomainError``."""

    def row(self, record: Record) -> None:
        """Apply the record, through the aggregates' own methods."""
        ...


MakeImporter = Callable[[WorkingSet, ImportReport], RowImporter]


def run_import(app: UseCases, actor: Actor, table: Table, make: MakeImporter, *, kind: str,
               skip_invalid: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import every row of ``table`` in one atomic save, or nothing.

    Rows that break a rule are reported with their line. Without ``skip_invalid`` one such row
    stops the import; with it, the other rows are recorded. When another writer saved one of
    the same aggregates meanwhile, everything is built again from what is now recorded.
    """
    authorize(actor, Action.MANAGE_COMMITMENTS)
    if not table.records:
        raise ImportFileError(N_("The file has a header but no rows to import."), field="file")
    for _ in range(SAVE_ATTEMPTS):
        work, report = _build(app, actor, table, make, kind, progress)
        progress = None  # shown once, for the first attempt
        aggregates = work.pending()
        if (report.rejected and not skip_invalid) or not aggregates:
            report.applied = not (report.rejected and not skip_invalid)
            report.position = app.max_notification_id()
            return report
        try:
            recordings = app.save(*aggregates)
        except IntegrityError:
            continue
        report.position = recordings[-1].notification.id
        return report
    raise ConcurrencyConflict(
        N_("Others kept changing the same records at the same time; please try again."))


def _build(app: UseCases, actor: Actor, table: Table, make: MakeImporter, kind: str,
           progress: Progress | None) -> tuple[WorkingSet, ImportReport]:
    """Apply the rows in memory until no row is refused, setting refused rows aside.

    A refused row may have changed an aggregate before the rule that refused it (a plan
    revised, then its commitment refused): the pass starts again without that row, so that
    what is saved holds exactly the accepted rows.
    """
    set_aside: dict[int, RowMessage] = {}
    while True:
        work = WorkingSet(app)
        report = ImportReport(kind, rows=len(table.records))
        importer = make(work, report)
        refused = _pass(importer, table, set_aside, actor, progress)
        progress = None
        if not refused:
            report.rejected = sorted(set_aside.values(), key=lambda message: message.line)
            return work, report
        set_aside.update((message.line, message) for message in refused)


def _pass(importer: RowImporter, table: Table, set_aside: dict[int, RowMessage], actor: Actor,
          progress: Progress | None) -> list[RowMessage]:
    refused = []
    total = len(table.records)
    with acting_as(actor.account_id):
        for done, record in enumerate(table.records, start=1):
            if record.line not in set_aside:
                try:
                    importer.row(record)
                except DomainError as error:
                    refused.append(RowMessage(record.line, error))
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
    return refused
