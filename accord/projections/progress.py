"""The commitment-progress projection: where each commitment stands, per party and overall.

Events are applied a batch at a time: the rows a batch touches are loaded once, changed in
memory with the domain's own agreement rules, and written back together with the new position.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from eventsourcing.utils import get_topic
from sqlalchemy import Connection, func, select

from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.commitment import Commitment
from accord.domain.framework import Framework
from accord.domain.values import Party
from accord.projections import tables
from accord.projections.source import PositionedEvent

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

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced."""
        return self.withdrawn_at is None and self.replaced_by is None


@dataclass
class CommitmentState:
    """One commitment's row and claims while a batch is applied."""

    row: dict[str, Any]
    claims: dict[str, ClaimRow]
    new: bool = False
    themes: list[str] = field(default_factory=list)
    changed_claims: set[str] = field(default_factory=set)

    def recompute(self) -> None:
        """Derive current claims, agreement state and counts from the claims."""
        ordered = sorted(self.claims.values(), key=lambda claim: claim.position)
        current = current_claims(ordered)
        current_ids = {claim.claim_id for claim in current}
        for claim in ordered:
            if claim.current != (claim.claim_id in current_ids):
                claim.current = not claim.current
                self.changed_claims.add(claim.claim_id)
        government = [claim for claim in current if claim.party is Party.GOVERNMENT]
        civil_society = [claim for claim in current if claim.party is Party.CIVIL_SOCIETY]
        self.row.update(
            agreement=agreement_state(current).value,
            government_status=government[-1].status if government else None,
            civil_society_statuses=" ".join(dict.fromkeys(c.status for c in civil_society)),
            government_reports=len(government),
            civil_society_reports=len(civil_society),
            claims_total=len(self.claims),
        )


class Batch:
    """The rows touched by one batch of events, written back by ``flush``."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.commitments: dict[str, CommitmentState] = {}
        self.frameworks: dict[str, dict[str, Any]] = {}
        self.new_frameworks: set[str] = set()
        self.status_rows: list[dict[str, Any]] = []
        self.timeline_rows: list[dict[str, Any]] = []

    def prefetch(self, commitment_ids: Iterable[str]) -> None:
        """Load the stored rows and claims of these commitments in a few queries."""
        wanted = [cid for cid in dict.fromkeys(commitment_ids) if cid not in self.commitments]
        for chunk in _chunks(wanted):
            for row in self.connection.execute(
                select(tables.commitments).where(tables.commitments.c.commitment_id.in_(chunk))
            ).mappings():
                self.commitments[row["commitment_id"]] = CommitmentState(dict(row), {})
            for row in self.connection.execute(
                select(tables.claims).where(tables.claims.c.commitment_id.in_(chunk))
            ).mappings():
                claim = ClaimRow(**{**row, "party": Party(row["party"])})
                self.commitments[claim.commitment_id].claims[claim.claim_id] = claim

    def framework(self, framework_id: str) -> dict[str, Any]:
        """The framework's row, loaded on first use."""
        if framework_id not in self.frameworks:
            row = self.connection.execute(
                select(tables.frameworks).where(tables.frameworks.c.framework_id == framework_id)
            ).mappings().one()
            self.frameworks[framework_id] = dict(row)
        return self.frameworks[framework_id]

    def flush(self) -> None:
        """Write every touched row back."""
        for state in self.commitments.values():
            state.recompute()
        self._write_frameworks()
        self._write_commitments()
        self._insert(tables.timeline, self.timeline_rows)
        self._recount({state.row["country"] for state in self.commitments.values()})

    def _write_frameworks(self) -> None:
        old = [fid for fid in self.frameworks if fid not in self.new_frameworks]
        self._delete(tables.frameworks.c.framework_id, old)
        self._insert(tables.frameworks, list(self.frameworks.values()))
        self._insert(tables.statuses, self.status_rows)

    def _write_commitments(self) -> None:
        states = list(self.commitments.values())
        self._delete(tables.commitments.c.commitment_id,
                     [s.row["commitment_id"] for s in states if not s.new])
        self._insert(tables.commitments, [s.row for s in states])
        self._insert(tables.commitment_themes, [
            {"commitment_id": s.row["commitment_id"], "theme": theme}
            for s in states for theme in s.themes
        ])
        changed = [s.claims[cid] for s in states for cid in sorted(s.changed_claims)]
        self._delete(tables.claims.c.claim_id, [claim.claim_id for claim in changed])
        self._insert(tables.claims, [
            {**asdict(claim), "party": claim.party.value} for claim in changed
        ])

    def _recount(self, countries: set[str]) -> None:
        counts: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(sorted(countries)):
            query = (
                select(tables.commitments.c.country, tables.commitments.c.agreement,
                       func.count())
                .where(tables.commitments.c.country.in_(chunk))
                .group_by(tables.commitments.c.country, tables.commitments.c.agreement)
            )
            for country, agreement, count in self.connection.execute(query):
                row = counts.setdefault(country, _empty_count(country))
                row[agreement] = count
                row["total"] += count
        self._delete(tables.countries.c.country, sorted(countries))
        self._insert(tables.countries, list(counts.values()))

    def _delete(self, column: Any, values: Sequence[str]) -> None:
        for chunk in _chunks(values):
            self.connection.execute(column.table.delete().where(column.in_(chunk)))

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(table.insert(), rows)


def _empty_count(country: str) -> dict[str, Any]:
    return {"country": country, "total": 0, **{state.value: 0 for state in Agreement}}


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


# -- one handler per event type ---------------------------------------------------------------

def framework_defined(batch: Batch, position: int, event: Framework.Defined) -> None:
    framework_id = str(event.originator_id)
    batch.new_frameworks.add(framework_id)
    batch.frameworks[framework_id] = {
        "framework_id": framework_id, "code": event.code, "name": event.name,
        "description": event.description, "current_version": 1,
    }
    batch.status_rows += _status_rows(framework_id, 1, event.statuses)


def vocabulary_revised(batch: Batch, position: int, event: Framework.VocabularyRevised) -> None:
    framework = batch.framework(str(event.originator_id))
    framework["current_version"] += 1
    batch.status_rows += _status_rows(
        framework["framework_id"], framework["current_version"], event.statuses
    )


def _status_rows(framework_id: str, version: int, statuses: list[dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    return [
        {"framework_id": framework_id, "version": version, "code": s["code"],
         "label": s["label"], "definition": s["definition"], "rank": s["order"],
         "complete": bool(s.get("complete", False))}
        for s in statuses
    ]


def commitment_registered(batch: Batch, position: int, event: Commitment.Registered) -> None:
    commitment_id = str(event.originator_id)
    row = {
        "commitment_id": commitment_id, "country": event.country,
        "action_plan_id": event.action_plan_id, "reference": event.reference,
        "title": event.title, "description": event.description,
        "lead_institution": event.lead_institution,
        "start_date": _date(event.start_date), "end_date": _date(event.end_date),
        "framework_id": event.framework_id, "registered_at": event.timestamp,
        "last_change_at": event.timestamp, "last_position": position,
    }
    batch.commitments[commitment_id] = CommitmentState(row, {}, new=True,
                                                       themes=list(event.themes))
    _timeline(batch, position, event, kind="registered")


def status_claimed(batch: Batch, position: int, event: Commitment.StatusClaimed) -> None:
    state = _touch(batch, position, event)
    if event.replaces is not None:
        state.claims[event.replaces].replaced_by = event.claim_id
        state.changed_claims.add(event.replaces)
    state.claims[event.claim_id] = ClaimRow(
        claim_id=event.claim_id, commitment_id=str(event.originator_id), position=position,
        party=Party(event.party), organisation_id=event.organisation_id,
        account_id=event.actor_id, status=event.status,
        vocabulary_version=event.vocabulary_version, narrative=event.narrative,
        evidence=list(event.evidence), period_start=date.fromisoformat(event.period_start),
        period_end=date.fromisoformat(event.period_end), claimed_at=event.timestamp,
        replaces=event.replaces, revision_reason=event.revision_reason,
    )
    state.changed_claims.add(event.claim_id)
    _timeline(batch, position, event, kind="revised" if event.replaces else "claimed",
              claim=state.claims[event.claim_id], detail=event.revision_reason)


def claim_withdrawn(batch: Batch, position: int, event: Commitment.ClaimWithdrawn) -> None:
    state = _touch(batch, position, event)
    claim = state.claims[event.claim_id]
    claim.withdrawn_at = event.timestamp
    claim.withdrawal_reason = event.reason
    state.changed_claims.add(event.claim_id)
    _timeline(batch, position, event, kind="withdrawn", claim=claim, detail=event.reason)


def _touch(batch: Batch, position: int, event: Commitment.Event) -> CommitmentState:
    state = batch.commitments[str(event.originator_id)]
    state.row.update(last_change_at=event.timestamp, last_position=position)
    return state


def _timeline(batch: Batch, position: int, event: Commitment.Event, *, kind: str,
              claim: ClaimRow | None = None, detail: str | None = None) -> None:
    batch.timeline_rows.append({
        "position": position, "commitment_id": str(event.originator_id),
        "at": event.timestamp, "kind": kind, "detail": detail,
        "claim_id": claim.claim_id if claim else None,
        "party": claim.party.value if claim else None,
        "organisation_id": claim.organisation_id if claim else None,
        "status": claim.status if claim else None,
    })


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


HANDLERS: dict[type[Any], Callable[[Batch, int, Any], None]] = {
    Framework.Defined: framework_defined,
    Framework.VocabularyRevised: vocabulary_revised,
    Commitment.Registered: commitment_registered,
    Commitment.StatusClaimed: status_claimed,
    Commitment.ClaimWithdrawn: claim_withdrawn,
}


class ProgressProjection:
    """Commitments with each party's current claim and the agreement state; counts per country."""

    name = "progress"
    metadata = tables.metadata
    topics: Sequence[str] = tuple(get_topic(event_class) for event_class in HANDLERS)

    def apply(self, connection: Connection, events: Sequence[PositionedEvent]) -> None:
        """Apply ``events`` inside the caller's transaction."""
        batch = Batch(connection)
        batch.prefetch(
            str(event.originator_id) for _, event in events
            if isinstance(event, Commitment.Event)
            and not isinstance(event, Commitment.Registered)
        )
        for position, event in events:
            HANDLERS[type(event)](batch, position, event)
        batch.flush()
