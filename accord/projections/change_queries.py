"""Reading the timeline across commitments: the latest changes for the Atom feeds, and one
commitment's whole history for the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    CompoundSelect,
    Connection,
    Integer,
    Select,
    any_,
    bindparam,
    literal_column,
    select,
    union_all,
)

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
        with self.database.reader.connect() as connection:
            if commitment_id is not None:
                return _read(connection, _commitment_latest(limit), {"id": commitment_id})
            by = None if country is None else "country"
            positions = list(connection.execute(
                _latest_positions(by, limit), {"key": country}).scalars())
            if not positions:
                return []
            among = _AMONG_POSITIONS[connection.dialect.name == "postgresql"]
            return _read(connection, among, {"positions": positions})

    def between(self, first: int, second: int, *, country: str | None = None,
                plan: str | None = None) -> list[Change]:
        """The changes recorded after position ``first`` up to ``second``, oldest first, in
        one country or one action plan."""
        t, c = _TIMELINE, tables.commitments
        query = _changes().where((t.c.position > first) & (t.c.position <= second))
        if country is not None:
            query = query.where(c.c.country == country)
        if plan is not None:
            query = query.where(c.c.action_plan_id == plan)
        return self._read(query.order_by(t.c.position))

    def history(self, commitment_id: str) -> list[Change]:
        """Everything that happened to one commitment, oldest first."""
        t = _TIMELINE
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
            return _read(connection, query)


_TIMELINE = tables.whole_timeline()


@cache
def _commitment_latest(limit: int) -> Select[Any]:
    """A commitment's ``limit`` latest changes (``:id``), read through each table's index
    that begins with commitment_id."""
    t = _TIMELINE
    return (_changes().where(t.c.commitment_id == bindparam("id"))
            .order_by(t.c.position.desc()).limit(limit))


@cache
def _latest_positions(by: str | None, limit: int) -> CompoundSelect[Any]:
    """The positions of the ``limit`` latest changes, newest first: everywhere, or where
    column ``by`` is ``:key``. The latest of each table are read from its index on (``by``,
    position) or its key alone, then merged: asked of both tables at once, PostgreSQL read
    every entry of a country. (The limit is written out, so that PostgreSQL plans the
    statement once per connection: as a parameter it was planned again each time.)"""
    size = literal_column(str(int(limit)), Integer)
    arms = []
    for table in (tables.claims, tables.timeline):
        arm = select(table.c.position)
        if by is not None:
            arm = arm.where(table.c[by] == bindparam("key"))
        latest_of_table = arm.order_by(table.c.position.desc()).limit(size).subquery()
        arms.append(select(latest_of_table.c.position))
    latest = union_all(*arms)
    return latest.order_by(latest.selected_columns.position.desc()).limit(size)


def _among_positions(postgresql: bool) -> Select[Any]:
    """The changes at ``:positions``, newest first. On PostgreSQL the positions are one
    array, so that the statement's text is the same whatever their number, and is planned
    once per connection: planning the timeline's joins took longer than running them."""
    t = _TIMELINE
    among = (t.c.position == any_(bindparam("positions", type_=ARRAY(BigInteger)))
             if postgresql else t.c.position.in_(bindparam("positions", expanding=True)))
    return _changes().where(among).order_by(t.c.position.desc())


def _read(connection: Connection, query: Select[Any], parameters: dict[str, Any] | None = None
          ) -> list[Change]:
    return [_change(row) for row in connection.execute(query, parameters).mappings().all()]


def _changes() -> Select[Any]:
    """The timeline joined with what a reader needs: the commitment, the status's label in
    the vocabulary the claim was made in, and the organisation's name."""
    t, c, claims, s = _TIMELINE, tables.commitments, tables.claims, tables.statuses
    o = directory.organisations
    return (
        select(t, c.c.country, c.c.reference, c.c.title.label("commitment_title"),
               s.c.label.label("status_label"), s.c.definition.label("status_definition"),
               s.c.rank.label("status_rank"), s.c.complete.label("status_complete"),
               o.c.name.label("organisation_name"))
        .join(c, c.c.commitment_id == t.c.commitment_id)
        .outerjoin(claims, (claims.c.commitment_id == t.c.commitment_id)
                   & (claims.c.claim_id == t.c.claim_id))
        .outerjoin(s, (s.c.framework_id == c.c.framework_id)
                   & (s.c.version == claims.c.vocabulary_version) & (s.c.code == t.c.status))
        .outerjoin(o, o.c.organisation_id == t.c.organisation_id)
    )


_AMONG_POSITIONS = {postgresql: _among_positions(postgresql) for postgresql in (False, True)}


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
