"""A busy history of commands on the scenario world, and the read model as plain values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import select

from accord.database import Database
from accord.domain.actor import acting_as
from accord.domain.commitment import Commitment
from accord.domain.framework import StatusDefinition
from accord.domain.organisation import OrganisationKind
from accord.platform.application import AccordApplication
from accord.platform.policy import SYSTEM
from accord.projections import tables
from tests.scenario import OGP, TI, World, claim

COMMITMENT_TOPICS = [get_topic(kind) for kind in
                     (Commitment.Registered, Commitment.StatusClaimed, Commitment.ClaimWithdrawn)]


def busy_history(world: World) -> Iterator[int]:
    """Claims, revisions, withdrawals, a new vocabulary, an organisation and a commitment:
    yields the log position after each command."""
    app = world.app
    ghana, pledge, colombia = world.commitment_id, world.pledge_id, world.foreign_commitment_id
    yield claim(app, world.government, ghana, "limited").position
    watch = claim(app, world.civil_society, ghana, "limited")
    yield watch.position
    ledger = claim(app, world.other_civil_society, ghana, "substantial")
    yield ledger.position
    yield claim(app, world.civil_society, ghana, "substantial", replaces=watch.id,
                revision_reason="The second tender was published too.").position
    yield app.withdraw_claim(world.other_civil_society.actor, ghana, claim_id=ledger.id,
                             reason="Reported on the wrong commitment.").position
    yield claim(app, world.civil_society, pledge, "ongoing").position
    yield claim(app, world.foreign_government, colombia, "complete").position
    yield claim(app, world.foreign_civil_society, colombia, "limited",
                period_start=date(2023, 7, 1), period_end=date(2023, 12, 31)).position
    yield revise_vocabulary(app, OGP)
    yield claim(app, world.government, ghana, "verified").position
    yield app.register_organisation(SYSTEM, name="Transparencia Activa",
                                    kind=OrganisationKind.CIVIL_SOCIETY,
                                    countries=["COL"]).position
    yield app.register_commitment(SYSTEM, country="COL", reference="CO0002", framework_id=TI,
                                  title="Asset declarations online").position


def revise_vocabulary(app: AccordApplication, framework_id: UUID) -> int:
    """Add a status ``verified`` to the framework's vocabulary; return the log position."""
    framework = app.framework(framework_id)
    statuses = [*framework.current.statuses,
                StatusDefinition("verified", "Verified", "Checked by an auditor.", 99, True)]
    with acting_as(SYSTEM.account_id):
        framework.revise_vocabulary(statuses, "Audited completion gets its own status.")
    return app.save(framework)[-1].notification.id


def read_model(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the progress read model, its rows sorted, as plain values."""
    with database.reader.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))),
                               key=repr)
            for table in tables.metadata.sorted_tables
        }


def commitment_event_count(app: AccordApplication) -> int:
    """How many events of commitments the log holds."""
    last = app.max_notification_id()
    return len(app.read_events(after=0, upto=last, limit=last + 1, topics=COMMITMENT_TOPICS))


def timeline_count(database: Database) -> int:
    """How many entries the timeline holds: the claims' and the others'."""
    model = read_model(database)
    return len(model[tables.timeline.name]) + len(model[tables.claims.name])
