"""Reading the timeline across commitments: the latest changes for the Atom feeds, and one
commitment's whole history for the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from accord.database import Database
from accord.projections import directory, tables
from accord.projections.commitment_queries import StatusLabel, TimelineEntry

FEED_SIZE = 50


@dataclass(frozen=True)
class Change:
    """An entry of a commitment's timeline, with the commitment it happened to."""

    entry: TimelineEntry
    commitment_id: str
    country: str
    reference: str
    title: str


class ChangeQueries:
    """Read-only queries on the timeline of every commitment."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def latest(self, *, country: str | None = None, commitment_id: str | None = None,
               limit: int = FEED_SIZE) -> list[Change]:
        """The ``limit`` latest changes, newest first: everywhere, in one country or to one
        commitment."""
        t = tables.timeline
        # The positions first, from the index on (country or commitment_id, position) alone;
        # then the rows of those positions only, joined with what a reader needs.
        latest = select(t.c.position)
        if country is not None:
            latest = latest.where(t.c.country == country)
        if commitment_id is not None:
            latest = latest.where(t.c.commitment_id == commitment_id)
        latest = latest.order_by(t.c.position.desc()).limit(limit)
        return self._read(_changes().where(t.c.position.in_(latest))
                          .order_by(t.c.position.desc()))

    def between(self, first: int, second: int, *, country: str | None = None,
                plan: str | None = None) -> list[Change]:
        """The changes recorded after position ``first`` up to ``second``, oldest first, in
        one country or one action plan."""
        t, c = tables.timeline, tables.commitments
        query = _changes().where((t.c.position > first) & (t.c.position <= second))
        if country is not None:
            query = query.where(c.c.country == country)
        if plan is not None:
            query = query.where(c.c.action_plan_id == plan)
        return self._read(query.order_by(t.c.position))

    def history(self, commitment_id: str) -> list[Change]:
        """Everything that happened to one commitment, oldest first."""
        t = tables.timeline
        return self._read(_changes().where(t.c.commitment_id == commitment_id)
                          .order_by(t.c.position))

    def commitment(self, commitment_id: str) -> tuple[str, str] | None:
        """The reference and country of a commitment, or None if there is no such one."""
        c = tables.commitments
        with self.database.reader.connect() as connection:
            row = connection.execute(select(c.c.reference, c.c.country)
                                     .where(c.c.commitment_id == commitment_id)).first()
        return None if row is None else (row.reference, row.country)

    def _read(self, query: Select[Any]) -> list[Change]:
        with self.database.reader.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_change(row) for row in rows]


def _changes() -> Select[Any]:
    """The timeline joined with what a reader needs: the commitment, the status's label in
    the vocabulary the claim was made in, and the organisation's name."""
    t, c, claims, s = tables.timeline, tables.commitments, tables.claims, tables.statuses
    o = directory.organisations
    return (
        select(t, c.c.country, c.c.reference, c.c.title.label("commitment_title"),
               s.c.label.label("status_label"), s.c.definition.label("status_definition"),
               s.c.rank.label("status_rank"), s.c.complete.label("status_complete"),
               o.c.name.label("organisation_name"))
        .join(c, c.c.commitment_id == t.c.commitment_id)
        .outerjoin(claims, claims.c.claim_id == t.c.claim_id)
        .outerjoin(s, (s.c.framework_id == c.c.framework_id)
                   & (s.c.version == claims.c.vocabulary_version) & (s.c.code == t.c.status))
        .outerjoin(o, o.c.organisation_id == t.c.organisation_id)
    )


def _change(row: Any) -> Change:
    status = None
    if row["status"] and row["kind"] != "responded":
        status = StatusLabel(row["status"], row["status_label"] or row["status"],
                             row["status_definition"] or "", row["status_rank"] or 0,
                             bool(row["status_complete"]))
    entry = TimelineEntry(
        position=row["position"], at=in_utc(row["at"]), kind=row["kind"],
        claim_id=row["claim_id"], party=row["party"],
        organisation_name=row["organisation_name"], status=status, detail=row["detail"],
        related_claim_id=row["related_claim_id"], milestone=row["milestone"])
    return Change(entry, row["commitment_id"], row["country"], row["reference"],
                  row["commitment_title"])


def in_utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC time (SQLite gives back naive times, which are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
