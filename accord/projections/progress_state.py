"""What the progress projection holds in memory while it applies batches of events.

A batch loads the stored state of the commitments its events touch (unless the catch-up still
remembers them from an earlier batch), changes it in memory, and writes back only what
changed: new rows are inserted, changed ones updated, in one statement per table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from accord.domain.agreement import Agreement, agreement_state, current_claims
from accord.domain.values import SIDES, Party
from accord.projections import tables
from accord.projections.rows import Rows, Write, insert_rows, inserting, updating

CHUNK = 500  # ids per IN (...) list
T = TypeVar("T")

COMMITMENT_KEY = ("commitment_id",)
COMMITMENT_CHANGES = ("agreement", "government_status", "civil_society_statuses",
                      "reviewer_status", "settled", "government_reports",
                      "civil_society_reports", "claims_total", "last_change_at",
                      "last_position")
"""The columns of a stored commitment that claims change (details change the others)."""
MILESTONE_KEY = ("commitment_id", "reference")


@dataclass(slots=True)
class ClaimState:
    """What the agreement rules and later events need to know of a claim.

    ``row`` holds the whole row of a claim made in this batch, until it is inserted;
    ``stood`` says whether a row of its standing is stored.
    """

    claim_id: str
    position: int
    party: Party
    organisation_id: str
    status: str
    milestone: str | None
    replaced_by: str | None = None
    withdrawn_at: Any = None
    withdrawal_reason: str | None = None
    current: bool = False
    row: dict[str, Any] | None = None
    stood: bool = False

    @property
    def active(self) -> bool:
        """Neither withdrawn nor replaced."""
        return self.withdrawn_at is None and self.replaced_by is None

    @property
    def stands(self) -> bool:
        """Whether it is current, replaced or withdrawn: then its standing has a row."""
        return self.current or not self.active

    def standing(self) -> dict[str, Any]:
        """The row of its standing (``tables.standings``)."""
        return {"position": self.position, "current": self.current,
                "replaced_by": self.replaced_by, "withdrawn_at": self.withdrawn_at,
                "withdrawal_reason": self.withdrawal_reason}


SUMMARY_COLUMNS = ("agreement", "government_status", "civil_society_statuses",
                   "reviewer_status", "settled")


def summary(current: Sequence[ClaimState], complete: set[str]) -> dict[str, Any]:
    """Agreement, each party's current status, and whether every side's claim is complete,
    from the current claims of one scope (the commitment, or one milestone)."""
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
    """One commitment's row, milestones and claims (in log order)."""

    row: dict[str, Any]
    claims: dict[str, ClaimState] = field(default_factory=dict)
    milestones: dict[str, dict[str, Any]] = field(default_factory=dict)
    new: bool = False
    details_changed: bool = False
    themes: list[str] | None = None  # set when the themes are (re)written
    changed_claims: set[str] = field(default_factory=set)
    changed_milestones: set[str] = field(default_factory=set)
    new_milestones: set[str] = field(default_factory=set)

    def recompute(self, complete: set[str]) -> None:
        """Derive current claims and each scope's summary (the commitment, each milestone)."""
        scopes: dict[str | None, list[ClaimState]] = {}
        for claim in self.claims.values():  # in log order: loaded so, appended so
            scopes.setdefault(claim.milestone, []).append(claim)
        current_by_scope = {scope: current_claims(claims) for scope, claims in scopes.items()}
        current = {claim.claim_id for claims in current_by_scope.values() for claim in claims}
        for claim in self.claims.values():
            if claim.current != (claim.claim_id in current):
                claim.current = not claim.current
                self.changed_claims.add(claim.claim_id)
        commitment = current_by_scope.get(None, [])
        self.row.update(summary(commitment, complete),
                        government_reports=_count(commitment, Party.GOVERNMENT),
                        civil_society_reports=_count(commitment, Party.CIVIL_SOCIETY),
                        claims_total=len(self.claims))
        for reference, milestone in self.milestones.items():
            scoped = summary(current_by_scope.get(reference, []), complete)
            if any(milestone.get(name) != value for name, value in scoped.items()):
                milestone.update(scoped)
                self.changed_milestones.add(reference)

    def written(self) -> None:
        """Everything is stored: forget what changed."""
        self.new = self.details_changed = False
        self.themes = None
        for claim_id in self.changed_claims:
            self.claims[claim_id].row = None
        self.changed_claims.clear()
        self.changed_milestones.clear()
        self.new_milestones.clear()


def _count(current: Sequence[ClaimState], party: Party) -> int:
    return sum(1 for claim in current if claim.party is party)


class Remembered:
    """The commitments a catch-up keeps in memory from one batch to the next."""

    def __init__(self) -> None:
        self.commitments: dict[str, CommitmentState] = {}
        self.claims = 0

    def size(self) -> int:
        """How many claims are held."""
        return self.claims


class Batch:
    """The rows touched by one batch of events, written back by ``flush``."""

    def __init__(self, connection: Connection, remembered: Remembered | None = None) -> None:
        self.connection = connection
        self.remembered = remembered or Remembered()
        self.commitments = self.remembered.commitments
        self.touched: dict[str, CommitmentState] = {}
        self.frameworks = Rows(connection, tables.frameworks, "framework_id")
        self.plans = Rows(connection, tables.plans, "plan_uuid")
        self.status_rows: list[dict[str, Any]] = []
        self.timeline_rows: list[dict[str, Any]] = []
        self.response_rows: list[dict[str, Any]] = []
        self.attachment_rows: list[dict[str, Any]] = []
        self.link_rows: list[dict[str, Any]] = []
        self.settled = False

    def commitment(self, commitment_id: str) -> CommitmentState:
        """A commitment changed by this batch."""
        state = self.commitments[commitment_id]
        self.touched[commitment_id] = state
        return state

    def registered(self, state: CommitmentState) -> None:
        """A commitment registered in this batch."""
        commitment_id = state.row["commitment_id"]
        self.commitments[commitment_id] = self.touched[commitment_id] = state

    def claimed(self, state: CommitmentState, claim: ClaimState, *, stored: bool = False
                ) -> None:
        """A claim made in this batch; ``stored`` when its row is written already, with
        no standing (only a change of that writes one)."""
        state.claims[claim.claim_id] = claim
        if not stored:
            state.changed_claims.add(claim.claim_id)
        self.remembered.claims += 1

    def prefetch(self, commitment_ids: Iterable[str]) -> None:
        """Load the stored rows, milestones and claims of the commitments not yet in memory."""
        wanted = [cid for cid in dict.fromkeys(commitment_ids) if cid not in self.commitments]
        c, m = tables.commitments, tables.milestones
        for chunk in chunks(wanted):
            for row in self._select(select(c).where(c.c.commitment_id.in_(chunk))):
                self.commitments[row["commitment_id"]] = CommitmentState(dict(row))
            for row in self._select(select(m).where(m.c.commitment_id.in_(chunk))):
                self.commitments[row["commitment_id"]].milestones[row["reference"]] = dict(row)
            self._prefetch_claims(chunk)

    def _prefetch_claims(self, chunk: Sequence[str]) -> None:
        k, s = tables.claims, tables.standings
        query = (select(k.c.commitment_id, k.c.claim_id, k.c.position, k.c.party,
                        k.c.organisation_id, k.c.status, k.c.milestone, s.c.replaced_by,
                        s.c.withdrawn_at, s.c.withdrawal_reason, s.c.current)
                 .outerjoin(s, s.c.position == k.c.position)
                 .where(k.c.commitment_id.in_(chunk)).order_by(k.c.position))
        for row in self.connection.execute(query):
            claim = ClaimState(row.claim_id, row.position, Party(row.party),
                               row.organisation_id, row.status, row.milestone,
                               row.replaced_by, row.withdrawn_at, row.withdrawal_reason,
                               bool(row.current), stood=row.current is not None)
            self.commitments[row.commitment_id].claims[claim.claim_id] = claim
            self.remembered.claims += 1

    def flush(self, prepared: list[Write] | None = None) -> None:
        """Write every touched row back (``prepared``: what ``prepare`` gave, if it ran)."""
        self.frameworks.flush()
        if self.status_rows:
            self.connection.execute(tables.statuses.insert(), self.status_rows)
        self.plans.flush()
        states = list(self.touched.values())
        if not self.settled:
            self.settle(self._complete_statuses())
        for write in self.prepare() if prepared is None else prepared:
            write(self.connection)
        self.write_entries()
        self._recount({state.row["country"] for state in states})
        for state in states:
            state.written()

    def write_entries(self) -> None:
        """Write what events add and no later event changes (timeline entries, responses,
        attachments, links to pledges), which ``flush`` then need not write."""
        for write in self.entries():
            write(self.connection)

    def entries(self, *, busy: Callable[[], bool] | None = None) -> list[Write]:
        """The statements that write what ``write_entries`` writes, their rows turned into
        parameters now and taken out of the batch; they may be run in another thread,
        while ``settle`` runs (``busy``, as ``inserting`` takes it)."""
        dialect = self.connection.dialect
        writes = [inserting(dialect, table, rows, busy=busy) for table, rows in [
            (tables.timeline, self.timeline_rows), (tables.responses, self.response_rows),
            (tables.attachments, self.attachment_rows), (tables.links, self.link_rows)]]
        self.timeline_rows, self.response_rows = [], []
        self.attachment_rows, self.link_rows = [], []
        return [write for write in writes if write is not None]

    def settle(self, complete: dict[str, set[str]]) -> None:
        """Work out each touched commitment's current claims and summaries before writing
        (``complete``: each framework's complete statuses), so that ``flush`` only writes."""
        for state in self.touched.values():
            state.recompute(complete.get(state.row["framework_id"], set()))
        self.settled = True

    def prepare(self) -> list[Write]:
        """The statements that write the touched commitments, their themes, milestones,
        claims and standings, their rows already turned into parameters, for ``flush`` to
        run. It makes no query, so that it can run while the connection is busy with
        something else; after ``settle``, and nothing may change the batch until ``flush``
        (each claim's standing is taken as written)."""
        if not self.settled:
            raise RuntimeError("a batch is settled before its writes are prepared")
        dialect = self.connection.dialect
        states = list(self.touched.values())
        c, m = tables.commitments, tables.milestones
        rethemed = [s for s in states if s.themes is not None]
        claims = [s.claims[cid] for s in states for cid in s.changed_claims]
        claims.sort(key=lambda claim: claim.position)
        writes = [
            inserting(dialect, c, [s.row for s in states if s.new]),
            # Only the columns that changed are set: indexes on the others are left alone.
            updating(dialect, c, COMMITMENT_KEY,
                     [col.name for col in c.columns if col.name not in COMMITMENT_KEY],
                     [s.row for s in states if not s.new and s.details_changed]),
            updating(dialect, c, COMMITMENT_KEY, COMMITMENT_CHANGES,
                     [s.row for s in states if not s.new and not s.details_changed]),
            *self._deleting(tables.commitment_themes.c.commitment_id,
                            [s.row["commitment_id"] for s in rethemed if not s.new]),
            inserting(dialect, tables.commitment_themes, [
                {"commitment_id": s.row["commitment_id"], "theme": theme}
                for s in rethemed for theme in s.themes or []]),
            inserting(dialect, m, [s.milestones[ref] for s in states
                                   for ref in sorted(s.new_milestones)]),
            updating(dialect, m, MILESTONE_KEY,
                     [col.name for col in m.columns if col.name not in MILESTONE_KEY],
                     [s.milestones[ref] for s in states
                      for ref in sorted(s.changed_milestones - s.new_milestones)]),
            inserting(dialect, tables.claims,
                      [claim.row for claim in claims if claim.row is not None]),
            # Each claim's standing replaced with what it is now, in log order.
            *self._deleting(tables.standings.c.position,
                            [claim.position for claim in claims if claim.stood]),
            inserting(dialect, tables.standings,
                      [claim.standing() for claim in claims if claim.stands]),
        ]
        for claim in claims:
            claim.stood = claim.stands
        return [write for write in writes if write is not None]

    def forget_claims(self) -> None:
        """Let go of every claim's state, for a rebuild: once ``prepare`` has turned what is
        to be written into parameters, ``flush`` needs them no more (and a rebuild's batch
        is not used after it). Freeing the whole log's claims takes a third of a second."""
        for state in self.touched.values():
            state.claims = {}
            state.changed_claims = set()

    def _complete_statuses(self) -> dict[str, set[str]]:
        s = tables.statuses
        complete: dict[str, set[str]] = {}
        for framework_id, code in self.connection.execute(
                select(s.c.framework_id, s.c.code).where(s.c.complete)):
            complete.setdefault(framework_id, set()).add(code)
        return complete

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
        insert_rows(self.connection, tables.countries, list(counts.values()))

    def _select(self, query: Any) -> Any:
        return self.connection.execute(query).mappings()

    def delete(self, column: Any, values: Sequence[Any]) -> None:
        """Delete the rows whose ``column`` is one of ``values``."""
        for write in self._deleting(column, values):
            write(self.connection)

    @staticmethod
    def _deleting(column: Any, values: Sequence[Any]) -> list[Write]:
        return [partial(_delete, column.table.delete().where(column.in_(chunk)))
                for chunk in chunks(values)]


def _delete(statement: Any, connection: Connection) -> None:
    connection.execute(statement)


def empty_count(country: str) -> dict[str, Any]:
    """A country's counts before any commitment is counted."""
    return {"country": country, "total": 0, **{state.value: 0 for state in Agreement}}


def chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    """``values`` in slices small enough for an IN (...) list."""
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]
