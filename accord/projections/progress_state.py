"""What the progress projection holds in memory while it applies a batch of events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.values import SIDES, Party
from accord.projections import tables
from accord.projections.rows import Rows

CHUNK = 500  # ids per IN (...) list


@dataclass
class ClaimRow:
    """A claim as the read model keeps it."""

    claim_id: str
    commitment_id: str
    position: int
    party: Party
    organisation_id: str
    account_id: str
    status: str
    vocabulary_version: int
    narrative: str
    evidence: list[str]
    period_start: date
    period_end: date
    claimed_at: Any
    replaces: str | None
    revision_reason: str | None
    replaced_by: str | None = None
    withdrawn_at: Any = None
    withdrawal_reason: str | None = None
    current: bool = False
    milestone: str | None = None
    language: str = "und"
    attachments: list[dict[str, Any]] = field(default_factory=list)
    endorses: str | None = None
    challenges: str | None = None

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced."""
        return self.withdrawn_at is None and self.replaced_by is None

    def as_row(self) -> dict[str, Any]:
        """The row to store."""
        return {**asdict(self), "party": self.party.value}


def summary(claims: Sequence[ClaimRow], complete: set[str]) -> dict[str, Any]:
    """Agreement, each party's current status, and whether every side's claim is complete."""
    current = current_claims(claims)
    government = [c for c in current if c.party is Party.GOVERNMENT]
    civil_society = [c for c in current if c.party is Party.CIVIL_SOCIETY]
    reviewer = [c for c in current if c.party is Party.INDEPENDENT_REVIEWER]
    sides = [c for c in current if c.party in SIDES]
    return {
        "agreement": agreement_state(current).value,
        "government_status": government[-1].status if government else None,
        "civil_society_statuses": " ".join(dict.fromkeys(c.status for c in civil_society)),
        "reviewer_status": reviewer[-1].status if reviewer else None,
        "settled": bool(sides) and all(c.status in complete for c in sides),
    }


@dataclass
class CommitmentState:
    """One commitment's row, milestones and claims while a batch is applied."""

    row: dict[str, Any]
    claims: dict[str, ClaimRow] = field(default_factory=dict)
    milestones: dict[str, dict[str, Any]] = field(default_factory=dict)
    new: bool = False
    themes: list[str] | None = None  # set when the themes are (re)written
    changed_claims: set[str] = field(default_factory=set)
    changed_milestones: set[str] = field(default_factory=set)
    new_milestones: set[str] = field(default_factory=set)

    def recompute(self, complete: set[str]) -> None:
        """Derive current claims and each scope's summary (the commitment, each milestone)."""
        ordered = sorted(self.claims.values(), key=lambda claim: claim.position)
        current = {claim.claim_id for scope in {c.milestone for c in ordered}
                   for claim in current_claims(c for c in ordered if c.milestone == scope)}
        for claim in ordered:
            if claim.current != (claim.claim_id in current):
                claim.current = not claim.current
                self.changed_claims.add(claim.claim_id)
        self.row.update(summary([c for c in ordered if c.milestone is None], complete),
                        government_reports=self._count(Party.GOVERNMENT),
                        civil_society_reports=self._count(Party.CIVIL_SOCIETY),
                        claims_total=len(self.claims))
        for reference, milestone in self.milestones.items():
            scoped = summary([c for c in ordered if c.milestone == reference], complete)
            if any(milestone.get(name) != value for name, value in scoped.items()):
                milestone.update(scoped)
                self.changed_milestones.add(reference)

    def _count(self, party: Party) -> int:
        return sum(1 for c in self.claims.values()
                   if c.current and c.party is party and c.milestone is None)


class Batch:
    """The rows touched by one batch of events, written back by ``flush``."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.commitments: dict[str, CommitmentState] = {}
        self.frameworks = Rows(connection, tables.frameworks, "framework_id")
        self.plans = Rows(connection, tables.plans, "plan_uuid")
        self.status_rows: list[dict[str, Any]] = []
        self.timeline_rows: list[dict[str, Any]] = []
        self.response_rows: list[dict[str, Any]] = []
        self.attachment_rows: list[dict[str, Any]] = []
        self.link_rows: list[dict[str, Any]] = []

    def prefetch(self, commitment_ids: Iterable[str]) -> None:
        """Load the stored rows, milestones and claims of these commitments in a few queries."""
        wanted = [cid for cid in dict.fromkeys(commitment_ids) if cid not in self.commitments]
        for chunk in chunks(wanted):
            for row in self._select(tables.commitments, tables.commitments.c.commitment_id, chunk):
                self.commitments[row["commitment_id"]] = CommitmentState(dict(row))
            for row in self._select(tables.milestones, tables.milestones.c.commitment_id, chunk):
                self.commitments[row["commitment_id"]].milestones[row["reference"]] = dict(row)
            for row in self._select(tables.claims, tables.claims.c.commitment_id, chunk):
                claim = ClaimRow(**{**row, "party": Party(row["party"])})
                self.commitments[claim.commitment_id].claims[claim.claim_id] = claim

    def flush(self) -> None:
        """Write every touched row back."""
        self.frameworks.flush()
        self.insert(tables.statuses, self.status_rows)
        self.plans.flush()
        complete = self._complete_statuses()
        for state in self.commitments.values():
            state.recompute(complete.get(state.row["framework_id"], set()))
        self._write_commitments()
        for table, rows in ((tables.timeline, self.timeline_rows),
                            (tables.responses, self.response_rows),
                            (tables.attachments, self.attachment_rows),
                            (tables.links, self.link_rows)):
            self.insert(table, rows)
        self._recount({state.row["country"] for state in self.commitments.values()})

    def _complete_statuses(self) -> dict[str, set[str]]:
        s = tables.statuses
        complete: dict[str, set[str]] = {}
        for framework_id, code in self.connection.execute(
                select(s.c.framework_id, s.c.code).where(s.c.complete)):
            complete.setdefault(framework_id, set()).add(code)
        return complete

    def _write_commitments(self) -> None:
        states = list(self.commitments.values())
        self.delete(tables.commitments.c.commitment_id,
                    [s.row["commitment_id"] for s in states if not s.new])
        self.insert(tables.commitments, [s.row for s in states])
        rethemed = [s for s in states if s.themes is not None]
        self.delete(tables.commitment_themes.c.commitment_id,
                    [s.row["commitment_id"] for s in rethemed if not s.new])
        self.insert(tables.commitment_themes, [
            {"commitment_id": s.row["commitment_id"], "theme": theme}
            for s in rethemed for theme in s.themes or []])
        for state in states:
            self._write_milestones(state)
        changed = [s.claims[cid] for s in states for cid in sorted(s.changed_claims)]
        self.delete(tables.claims.c.claim_id, [claim.claim_id for claim in changed])
        self.insert(tables.claims, [claim.as_row() for claim in changed])

    def _write_milestones(self, state: CommitmentState) -> None:
        old = state.changed_milestones - state.new_milestones
        m = tables.milestones
        for reference in sorted(old):
            self.connection.execute(m.delete().where(
                (m.c.commitment_id == state.row["commitment_id"]) & (m.c.reference == reference)))
        self.insert(m, [state.milestones[ref] for ref in
                        sorted(state.changed_milestones | state.new_milestones)])

    def _recount(self, countries: set[str]) -> None:
        counts: dict[str, dict[str, Any]] = {}
        c = tables.commitments
        for chunk in chunks(sorted(countries)):
            query = (select(c.c.country, c.c.agreement, func.count())
                     .where(c.c.country.in_(chunk)).group_by(c.c.country, c.c.agreement))
            for country, agreement, count in self.connection.execute(query):
                row = counts.setdefault(country, empty_count(country))
                row[agreement] = count
                row["total"] += count
        self.delete(tables.countries.c.country, sorted(countries))
        self.insert(tables.countries, list(counts.values()))

    def _select(self, table: Any, column: Any, keys: Sequence[str]) -> Any:
        return self.connection.execute(select(table).where(column.in_(keys))).mappings()

    def delete(self, column: Any, values: Sequence[str]) -> None:
        """Delete the rows whose ``column`` is one of ``values``."""
        for chunk in chunks(values):
            self.connection.execute(column.table.delete().where(column.in_(chunk)))

    def insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` in one statement."""
        if rows:
            self.connection.execute(table.insert(), rows)


def empty_count(country: str) -> dict[str, Any]:
    """A country's counts before any commitment is counted."""
    return {"country": country, "total": 0, **{state.value: 0 for state in Agreement}}


def chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    """``values`` in slices small enough for an IN (...) list."""
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
