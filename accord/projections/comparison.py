"""What changed between two moments in a country or an action plan.

Both moments' read models are built by the same projections (see ``as_of``); a commitment
changed if its agreement state or any party's current status differs between them. The
changes recorded in between (claims made, revised, withdrawn, endorsed, challenged, answered)
come from the later moment's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.projections.change_queries import Change
from accord.projections.listing import Filters
from accord.projections.queries import CommitmentRow
from accord.projections.read_models import ReadModels

CLAIM_KINDS = ("claimed", "revised", "withdrawn", "endorsed", "challenged", "responded")


@dataclass(frozen=True)
class Difference:
    """A commitment whose standing differs between the two moments (None: not there yet)."""

    before: CommitmentRow | None
    after: CommitmentRow | None

    @property
    def row(self) -> CommitmentRow:
        """The commitment as it stands at the later moment (or the earlier, if it is gone)."""
        row = self.after or self.before
        assert row is not None
        return row

    @property
    def agreement_changed(self) -> bool:
        """Whether the agreement state changed."""
        return _agreement(self.before) != _agreement(self.after)


@dataclass(frozen=True)
class Comparison:
    """The commitments that changed, and the claims recorded in between."""

    first: int
    second: int
    differences: list[Difference]
    changes: list[Change]

    def count(self, kind: str) -> int:
        """How many changes of ``kind`` (claimed, revised, withdrawn, ...) were recorded."""
        return sum(1 for change in self.changes if change.entry.kind == kind)


def standing(row: CommitmentRow | None) -> tuple[object, ...] | None:
    """What a comparison compares: agreement state and each party's current status."""
    if row is None:
        return None
    return (row.agreement, _code(row.government_status),
            tuple(sorted(label.code for label in row.civil_society_statuses)),
            _code(row.reviewer_status))


def compare(before: ReadModels, after: ReadModels, *, first: int, second: int,
            country: str | None = None, plan: str | None = None) -> Comparison:
    """Compare the commitments of ``country`` or ``plan`` between two moments' read models."""
    filters = Filters(country=country, plan=plan)
    earlier = {row.commitment_id: row for row in before.listing.all(filters)}
    later = {row.commitment_id: row for row in after.listing.all(filters)}
    differences = [
        Difference(earlier.get(commitment_id), later.get(commitment_id))
        for commitment_id in [*later, *(key for key in earlier if key not in later)]
        if standing(earlier.get(commitment_id)) != standing(later.get(commitment_id))
    ]
    changes = [change for change in after.changes.between(first, second, country=country,
                                                           plan=plan)
               if change.entry.kind in CLAIM_KINDS]
    return Comparison(first, second, differences, changes)


def _code(label: object) -> str | None:
    return getattr(label, "code", None)


def _agreement(row: CommitmentRow | None) -> object:
    return None if row is None else row.agreement
